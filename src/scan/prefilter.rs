//! One Aho-Corasick automaton over rules' keywords. A region that contains none of a rule's
//! keywords never runs that rule's regex, so a rule whose keyword never appears costs nothing.
//! Rules limited to some paths (`.env`, `config/master.key`) get an automaton of their own, read
//! only in files they apply to: their keywords (`=`, `:`, hex digits) occur everywhere and made
//! 95% of all keyword hits in a source tree (#15).
use crate::rules::Rule;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

pub struct Prefilter {
    /// Quick to build: what a small change (a commit's few hunks) is searched with.
    automaton: AhoCorasick,
    /// The same keywords as a full DFA, built once this prefilter has read [`DFA_AFTER`] bytes: it
    /// reads about 1.5x as fast but takes ~5 ms to build, a tenth of a typical commit's whole
    /// run (#15).
    dfa: std::sync::OnceLock<AhoCorasick>,
    /// Bytes read so far, across threads.
    read: std::sync::atomic::AtomicUsize,
    keywords: Vec<String>,
    /// For each automaton pattern, the rules that listed it as a keyword.
    owners: Vec<Vec<usize>>,
    rules: usize,
}

impl Prefilter {
    /// The prefilter of every rule.
    pub fn new(rules: &[Rule]) -> Self {
        Self::of(rules, |_| true)
    }

    /// The prefilter of the rules `select` picks; indices stay those of `rules`.
    pub fn of(rules: &[Rule], select: impl Fn(&Rule) -> bool) -> Self {
        let mut keywords: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        for (ri, rule) in rules.iter().enumerate().filter(|(_, r)| select(r)) {
            for k in &rule.keywords {
                match keywords.iter().position(|x| x == k) {
                    Some(p) => owners[p].push(ri),
                    None => {
                        keywords.push(k.clone());
                        owners.push(vec![ri]);
                    }
                }
            }
        }
        Prefilter {
            automaton: build(&keywords, None),
            dfa: std::sync::OnceLock::new(),
            read: std::sync::atomic::AtomicUsize::new(0),
            keywords,
            owners,
            rules: rules.len(),
        }
    }

    /// The automaton for a text of `len` bytes.
    fn automaton(&self, len: usize) -> &AhoCorasick {
        if let Some(dfa) = self.dfa.get() {
            return dfa;
        }
        let read = self
            .read
            .fetch_add(len, std::sync::atomic::Ordering::Relaxed);
        if read + len < DFA_AFTER {
            &self.automaton
        } else {
            self.dfa
                .get_or_init(|| build(&self.keywords, Some(AhoCorasickKind::DFA)))
        }
    }

    /// Indices of the rules whose keywords occur in `text`, ascending.
    pub fn candidates(&self, text: &str) -> Vec<usize> {
        let mut out = Vec::new();
        self.candidates_into(text, &mut out);
        out
    }

    /// Like [`Prefilter::candidates`], into a caller's buffer (cleared first), so a scan of many
    /// regions allocates once. Stops reading as soon as every keyword has been seen.
    pub fn candidates_into(&self, text: &str, out: &mut Vec<usize>) {
        out.clear();
        let mut seen_patterns = vec![false; self.owners.len()];
        let mut remaining = self.owners.len();
        for m in self.automaton(text.len()).find_overlapping_iter(text) {
            let p = m.pattern().as_usize();
            if !seen_patterns[p] {
                seen_patterns[p] = true;
                out.extend_from_slice(&self.owners[p]);
                remaining -= 1;
                if remaining == 0 {
                    break;
                }
            }
        }
        if !out.is_empty() {
            out.sort_unstable();
            out.dedup();
        }
        debug_assert!(out.last().is_none_or(|&r| r < self.rules));
    }

    /// Every keyword occurrence in `text` as (rule, start, end), sorted, into `out` (cleared
    /// first): where each candidate rule could match, for searching only near its keywords.
    pub fn hits_into(&self, text: &str, out: &mut Vec<(usize, usize, usize)>) {
        out.clear();
        for m in self.automaton(text.len()).find_overlapping_iter(text) {
            for &r in &self.owners[m.pattern().as_usize()] {
                out.push((r, m.start(), m.end()));
            }
        }
        out.sort_unstable();
    }
}

/// The DFA is built once this many bytes have been read: it pays for its build after about 3 MB
/// (workload a, 530 KB, never builds it; b and c build it within their first files).
const DFA_AFTER: usize = 2 << 20;

fn build(keywords: &[String], kind: Option<AhoCorasickKind>) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(kind)
        .build(keywords)
        .expect("keywords are plain literals")
}
