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
        // Keyword to its pattern index: a search of the list per keyword was quadratic (#15).
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (ri, rule) in rules.iter().enumerate().filter(|(_, r)| select(r)) {
            for k in &rule.keywords {
                match index.get(k.as_str()) {
                    Some(&p) => owners[p].push(ri),
                    None => {
                        index.insert(k, keywords.len());
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

    /// Every keyword occurrence in `text` as (rule, start, end), sorted, into `out` (cleared
    /// first): where each candidate rule could match, for searching only near its keywords.
    pub fn hits_into(&self, text: &str, out: &mut Vec<(usize, usize, usize)>) {
        out.clear();
        let automaton = self.automaton(text.len());
        with_lower_case(text, |text| {
            for m in automaton.find_overlapping_iter(text) {
                for &r in &self.owners[m.pattern().as_usize()] {
                    out.push((r, m.start(), m.end()));
                }
            }
        });
        out.sort_unstable();
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
            let mut want: Vec<(usize, usize, usize)> = reference
                .find_overlapping_iter(text)
                .flat_map(|m| {
                    pre.owners[m.pattern().as_usize()]
                        .iter()
                        .map(move |&r| (r, m.start(), m.end()))
                })
                .collect();
            want.sort_unstable();
            assert_eq!(hits, want, "{text}");
            let mut rules: Vec<usize> = want.iter().map(|h| h.0).collect();
            rules.dedup();
            rules.sort_unstable();
            rules.dedup();
            assert_eq!(pre.candidates(text), rules, "{text}");
        }
        let mut hits = Vec::new();
        pre.hits_into("é GHP_", &mut hits);
        assert!(hits.iter().all(|h| (h.1, h.2) == (3, 7)) && !hits.is_empty());
    }
}
