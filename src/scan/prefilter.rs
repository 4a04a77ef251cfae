//! One Aho-Corasick automaton over rules' keywords. A region that contains none of a rule's
//! keywords never runs that rule's regex, so a rule whose keyword never appears costs nothing.
//! Rules limited to some paths (`.env`, `config/master.key`) get an automaton of their own, read
//! only in files they apply to: their keywords (`=`, `:`, hex digits) occur everywhere and made
//! 95% of all keyword hits in a source tree (#15).
use crate::rules::Rule;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

pub struct Prefilter {
    /// Quick to build: what a small change (a commit's few hunks) is searched with. A
    /// noncontiguous NFA: the contiguous one is built from it, 16% more to build and no faster on
    /// a 20-file commit's added lines (#15).
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
    /// For each rule (index in `rules`), the patterns of its keywords: hits are kept per pattern,
    /// and a rule finds its own through these (#15).
    patterns: Vec<Vec<usize>>,
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
        let mut patterns: Vec<Vec<usize>> = vec![Vec::new(); rules.len()];
        // Keyword to its pattern index: a search of the list per keyword was quadratic (#15).
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (ri, rule) in rules.iter().enumerate().filter(|(_, r)| select(r)) {
            for k in &rule.keywords {
                let p = match index.get(k.as_str()) {
                    Some(&p) => p,
                    None => {
                        index.insert(k, keywords.len());
                        keywords.push(k.clone());
                        owners.push(Vec::new());
                        keywords.len() - 1
                    }
                };
                // A keyword listed twice by one rule is one pattern of it.
                if !patterns[ri].contains(&p) {
                    owners[p].push(ri);
                    patterns[ri].push(p);
                }
            }
        }
        Prefilter {
            automaton: build(&keywords, Some(AhoCorasickKind::NoncontiguousNFA)),
            dfa: std::sync::OnceLock::new(),
            read: std::sync::atomic::AtomicUsize::new(0),
            keywords,
            owners,
            patterns,
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
        let automaton = self.automaton(text.len());
        with_lower_case(text, |text| {
            for m in automaton.find_overlapping_iter(text) {
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
        });
        if !out.is_empty() {
            out.sort_unstable();
            out.dedup();
        }
        debug_assert!(out.last().is_none_or(|&r| r < self.rules));
    }

    /// Every keyword occurrence in `text` as (pattern, start), sorted, into `out` (cleared first):
    /// where each candidate rule could match, for searching only near its keywords. One entry per
    /// occurrence however many rules share the keyword: one per owner made memory grow with
    /// rules x occurrences, and a repository may add rules (#15).
    pub fn hits_into(&self, text: &str, out: &mut Vec<(usize, usize)>) {
        out.clear();
        let automaton = self.automaton(text.len());
        with_lower_case(text, |text| {
            out.extend(
                automaton
                    .find_overlapping_iter(text)
                    .map(|m| (m.pattern().as_usize(), m.start())),
            );
        });
        out.sort_unstable();
    }

    /// The rules that listed pattern `pattern` as a keyword, ascending.
    pub fn owners(&self, pattern: usize) -> &[usize] {
        &self.owners[pattern]
    }

    /// The patterns of rule `rule`'s keywords (none for a rule this prefilter did not select).
    pub fn patterns_of(&self, rule: usize) -> &[usize] {
        self.patterns.get(rule).map_or(&[], Vec::as_slice)
    }
}

/// The DFA is built once this many bytes have been read: it pays for its build after about 3 MB
/// (workload a, 530 KB, never builds it; b and c build it within their first files).
const DFA_AFTER: usize = 2 << 20;

/// Keywords are lower case (`rules/compile.rs` checks it), and the automaton is searched over the
/// text with ASCII letters lowered ([`with_lower_case`]): the same matches at the same offsets as
/// an ASCII-case-insensitive automaton, which took four times as long to build (1.8 vs 0.5 ms for
/// the built-in keywords, a twentieth of a typical commit's run; #15).
fn build(keywords: &[String], kind: Option<AhoCorasickKind>) -> AhoCorasick {
    debug_assert!(keywords.iter().all(|k| k.to_ascii_lowercase() == *k));
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(kind)
        .build(keywords)
        .expect("keywords are plain literals")
}

/// Runs `f` on `text` with its ASCII letters lowered (every other byte as it is, so offsets are
/// the text's), in a buffer kept per thread.
fn with_lower_case<R>(text: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    thread_local! {
        static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    LOWER.with(|buf| {
        let Ok(mut buf) = buf.try_borrow_mut() else {
            // Re-entered (never, today): a buffer of its own.
            return f(&text.to_ascii_lowercase().into_bytes());
        };
        buf.clear();
        buf.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
        let out = f(&buf);
        // A large text's buffer is not kept for the rest of the run.
        if buf.capacity() > LOWER_KEEP {
            *buf = Vec::new();
        }
        out
    })
}

/// Largest lower-case buffer kept between texts.
const LOWER_KEEP: usize = 4 << 20;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    /// Keywords are found in any ASCII case, at the text's own offsets (non-ASCII text before
    /// them keeps its bytes), exactly where an ASCII-case-insensitive search finds them.
    #[test]
    fn keywords_match_in_any_case_at_their_offsets() {
        let set = RuleSet::builtin().unwrap();
        let pre = Prefilter::new(&set.rules);
        let reference = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(&pre.keywords)
            .unwrap();
        for text in [
            "é GHP_abc Token=1 ſecret KEY\n",
            "AKIA ÄKIA aKiA xoxb- XOXB-",
            "",
        ] {
            let mut hits = Vec::new();
            pre.hits_into(text, &mut hits);
            let mut want: Vec<(usize, usize)> = reference
                .find_overlapping_iter(text)
                .map(|m| (m.pattern().as_usize(), m.start()))
                .collect();
            want.sort_unstable();
            assert_eq!(hits, want, "{text}");
            let mut rules: Vec<usize> =
                want.iter().flat_map(|h| pre.owners(h.0)).copied().collect();
            rules.sort_unstable();
            rules.dedup();
            assert_eq!(pre.candidates(text), rules, "{text}");
        }
        let mut hits = Vec::new();
        pre.hits_into("é GHP_", &mut hits);
        assert!(hits.iter().all(|h| h.1 == 3) && !hits.is_empty());
    }

    /// Each rule's patterns are its own keywords, each once; every pattern's owners list it back.
    #[test]
    fn rules_and_patterns_map_both_ways() {
        let set = RuleSet::builtin().unwrap();
        let mut rules = vec![
            set.rules[0].clone(),
            set.rules[0].clone(),
            set.rules[0].clone(),
        ];
        rules[0].keywords = vec!["k1".into(), "k1".into()];
        rules[1].keywords = vec!["k1".into(), "k2".into()];
        rules[2].keywords = vec!["k2".into()];
        let pre = Prefilter::of(&rules, |r| r.keywords != ["k2"]);
        assert_eq!(pre.patterns_of(0), [0]);
        assert_eq!(pre.patterns_of(1), [0, 1]);
        assert_eq!(pre.patterns_of(2), [0usize; 0]);
        assert_eq!(pre.patterns_of(7), [0usize; 0]);
        assert_eq!((pre.owners(0), pre.owners(1)), (&[0, 1][..], &[1][..]));
        // Three rules share `k1`: one hit per occurrence all the same.
        let mut hits = Vec::new();
        pre.hits_into("k1 k2 K1", &mut hits);
        assert_eq!(hits, [(0, 0), (0, 6), (1, 3)]);
    }
}
