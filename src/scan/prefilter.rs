//! One Aho-Corasick automaton over every rule's keywords. A region that contains none of a rule's
//! keywords never runs that rule's regex, so a rule whose keyword never appears costs nothing.
use crate::rules::Rule;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

pub struct Prefilter {
    automaton: AhoCorasick,
    /// For each automaton pattern, the rules that listed it as a keyword.
    owners: Vec<Vec<usize>>,
    rules: usize,
}

impl Prefilter {
    pub fn new(rules: &[Rule]) -> Self {
        let mut keywords: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
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
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&keywords)
            .expect("keywords are plain literals");
        Prefilter {
            automaton,
            owners,
            rules: rules.len(),
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
        for m in self.automaton.find_overlapping_iter(text) {
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
}
