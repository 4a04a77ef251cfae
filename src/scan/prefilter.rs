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
        let mut hit = vec![false; self.rules];
        let mut seen_patterns = vec![false; self.owners.len()];
        let mut remaining = self.owners.len();
        for m in self.automaton.find_overlapping_iter(text) {
            let p = m.pattern().as_usize();
            if !seen_patterns[p] {
                seen_patterns[p] = true;
                for &r in &self.owners[p] {
                    hit[r] = true;
                }
                remaining -= 1;
                if remaining == 0 {
                    break;
                }
            }
        }
        hit.iter()
            .enumerate()
            .filter(|(_, &h)| h)
            .map(|(i, _)| i)
            .collect()
    }
}
