//! Running one rule's regex over a region: a fast `find` first (the regex crate's lazy DFA), then
//! capture groups only over the span it found; in a long region, a rule whose matches reach a
//! bounded distance (its [`Reach`]: lines or bytes) is searched only around its keyword hits (#15).
//! Also maps byte offsets to lines and columns.
use super::prefilter::Prefilter;
use crate::rules::rewrite::Reach;
use regex::{Captures, Regex};
use std::cell::Cell;
use std::ops::Range;

/// Regions at least this long are searched only around keyword hits; in shorter ones collecting
/// every hit costs about what the whole-text search it saves does. Measured on workload (c)
/// (CPU, 3 paired runs each): 0 bytes 1.9 s, 4 KiB 1.85 s, 32 KiB 2.2 s.
pub(super) const WINDOW_MIN: usize = 4 << 10;

/// The rules a region needs, and where their keywords occur when the region is long.
#[derive(Default)]
pub(super) struct KeywordSearch {
    candidates: Vec<usize>,
    /// (pattern, start) of every keyword occurrence, sorted; empty when the region is short. Per
    /// pattern, not per rule: memory follows the occurrences, not the rules sharing a keyword (#15).
    hits: Vec<(usize, usize)>,
    /// Offsets of the line feeds of a long region, for its windows.
    lfs: Vec<usize>,
    windowed: bool,
}

impl KeywordSearch {
    pub(super) fn run(&mut self, prefilter: &Prefilter, text: &str) {
        self.windowed = text.len() >= WINDOW_MIN;
        self.lfs.clear();
        if self.windowed {
            prefilter.hits_into(text, &mut self.hits);
            if !self.hits.is_empty() {
                self.lfs.extend(memchr::memchr_iter(b'\n', text.as_bytes()));
            }
            self.candidates.clear();
            for same in self.hits.chunk_by(|a, b| a.0 == b.0) {
                self.candidates
                    .extend_from_slice(prefilter.owners(same[0].0));
            }
            self.candidates.sort_unstable();
            self.candidates.dedup();
        } else {
            self.hits.clear();
            prefilter.candidates_into(text, &mut self.candidates);
        }
    }

    /// Adds rules found by another prefilter (whose keyword hits are not kept: searched whole).
    pub(super) fn add(&mut self, rules: &[usize]) {
        if !rules.is_empty() {
            self.candidates.extend_from_slice(rules);
            self.candidates.sort_unstable();
            self.candidates.dedup();
        }
    }

    /// Indices of the rules whose keywords occur, ascending.
    pub(super) fn candidates(&self) -> &[usize] {
        &self.candidates
    }

    /// Where a rule with keyword patterns `patterns` ([`Prefilter::patterns_of`]) must be
    /// searched: the whole text, or (long text, a rule whose matches reach a bounded distance)
    /// around each of its keywords: the whole lines within its reach, each with the line feed
    /// before and after it, so anchors and word boundaries at a window's edge see what they see in
    /// the whole text. A rule without kept hits (added by [`KeywordSearch::add`]) is searched whole.
    pub(super) fn windows(
        &self,
        text: &str,
        patterns: &[usize],
        reach: Reach,
    ) -> Vec<Range<usize>> {
        let whole = || std::iter::once(0..text.len()).collect();
        if !self.windowed || reach == Reach::Whole {
            return whole();
        }
        // The hits of each of the rule's patterns, each list by start.
        let mut lists: Vec<&[(usize, usize)]> = patterns
            .iter()
            .map(|&p| {
                let from = self.hits.partition_point(|h| h.0 < p);
                let to = from + self.hits[from..].partition_point(|h| h.0 == p);
                &self.hits[from..to]
            })
            .filter(|l| !l.is_empty())
            .collect();
        if lists.is_empty() {
            return whole();
        }
        let lfs = &self.lfs;
        // The line feed that starts the line holding byte `at` (0 on the first line), and the
        // end (after its line feed) of the line holding `at`. Hits come by start, so each line
        // lookup goes forward from its last answer.
        let (mut at_hit, mut before, mut after) = (LineCursor(0), LineCursor(0), LineCursor(0));
        let start_of = |line: usize| line.checked_sub(1).map_or(0, |l| lfs[l]);
        let end_of = |line: usize| lfs.get(line).map_or(text.len(), |&p| p + 1);
        let mut out: Vec<Range<usize>> = Vec::new();
        // The rule's hits merged by start, so overlapping windows merge as they come. A rule has
        // few keywords: the earliest head is found by a scan.
        while let Some(list) = lists
            .iter_mut()
            .min_by_key(|l| l.first().map_or(usize::MAX, |h| h.1))
        {
            let Some((&(_, start), rest)) = list.split_first() else {
                break;
            };
            *list = rest;
            let (ws, we) = match reach {
                Reach::Lines(k) => {
                    let line = at_hit.line_of(lfs, start);
                    (start_of(line.saturating_sub(k)), end_of(line + k))
                }
                // A match holds this keyword and is at most `n` bytes long.
                Reach::Bytes(n) => (
                    start_of(before.line_of(lfs, start.saturating_sub(n))),
                    end_of(after.line_of(lfs, start.saturating_add(n).min(text.len()))),
                ),
                Reach::Whole => unreachable!("searched whole above"),
            };
            match out.last_mut() {
                Some(w) if ws <= w.end => w.end = w.end.max(we),
                _ => out.push(ws..we),
            }
        }
        out
    }

    /// How many keyword occurrences are kept.
    #[cfg(test)]
    pub(super) fn stored_hits(&self) -> usize {
        self.hits.len()
    }
}

/// `lfs.partition_point(|&p| p < at)` for an `at` that never decreases between calls: searched
/// forward from the last answer (galloping), so a rule's hits cost their gaps, not a binary search
/// of every line each; the windows of many rules over many hits were most of a run (#15).
struct LineCursor(usize);

impl LineCursor {
    fn line_of(&mut self, lfs: &[usize], at: usize) -> usize {
        let rest = &lfs[self.0..];
        let mut bound = 1;
        while bound < rest.len() && rest[bound - 1] < at {
            bound *= 2;
        }
        self.0 += rest[..bound.min(rest.len())].partition_point(|&p| p < at);
        self.0
    }
}

/// Every match of `regex` in the `windows` of `text`, with its groups. The lazy DFA finds each
/// match; captures then run from its start only: the slow engines never see the whole text. The
/// text before a window stays in view, so `\A`, `^` and `\b` at its start mean what they mean in
/// the whole text.
pub(super) fn captures<'a, 't: 'a>(
    regex: &'a Regex,
    text: &'t str,
    windows: &'a [Range<usize>],
) -> impl Iterator<Item = Captures<'t>> + 'a {
    windows.iter().flat_map(move |w| {
        let hay = &text[..w.end];
        let mut at = Some(w.start);
        std::iter::from_fn(move || {
            let m = regex.find_at(hay, at?)?;
            // After an empty match, on from the next character.
            at = if m.is_empty() {
                hay[m.end()..]
                    .chars()
                    .next()
                    .map(|c| m.end() + c.len_utf8())
            } else {
                Some(m.end())
            };
            regex.captures_at(hay, m.start())
        })
    })
}

/// Byte offsets of line starts in a region, for mapping a match to line and column.
pub(super) struct LineIndex {
    starts: Vec<usize>,
    /// The last (line, offset, column) located: hits come in order along a line, so the next
    /// column counts on from there. Many hits on one long line cost its length, not hits × length.
    last: Cell<(usize, usize, u32)>,
}

impl LineIndex {
    pub(super) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        if memchr::memchr(b'\r', text.as_bytes()).is_some() {
            // A lone CR (classic Mac OS endings) ends a line too, as editors show it (#11).
            let b = text.as_bytes();
            starts.extend((0..b.len()).filter_map(|i| {
                let ends = b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'));
                ends.then_some(i + 1)
            }));
        } else {
            starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        }
        LineIndex {
            starts,
            last: Cell::new((0, 0, 1)),
        }
    }

    /// (0-based line within the region, 1-based column in characters).
    /// An offset inside a character counts as that character: slicing there would panic, and the
    /// panic message would hold the line (the secret with it).
    pub(super) fn locate(&self, text: &str, offset: usize) -> (usize, u32) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let li = self.starts.partition_point(|&s| s <= offset) - 1;
        let (last_li, last_off, last_col) = self.last.get();
        let (from, col) = if last_li == li && last_off <= offset {
            (last_off, last_col)
        } else {
            (self.starts[li], 1)
        };
        let col = col + text[from..offset].chars().count() as u32;
        self.last.set((li, offset, col));
        (li, col)
    }

    #[cfg(test)]
    pub(super) fn line<'t>(&self, text: &'t str, li: usize) -> &'t str {
        &text[self.span(text, li)]
    }

    /// The byte range of line `li`, without its line ending's last byte.
    pub(super) fn span(&self, text: &str, li: usize) -> std::ops::Range<usize> {
        let start = self.starts[li];
        let end = self.starts.get(li + 1).map_or(text.len(), |&e| e - 1);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_never_slices_inside_a_character() {
        // See: #10. `é` is two bytes; offset 3 is its second byte.
        let text = "a\nbé\nc";
        let index = LineIndex::new(text);
        assert_eq!(index.locate(text, 4), (1, 2));
        assert_eq!(index.locate(text, 3), (1, 2));
        assert_eq!(index.locate(text, text.len() + 5), (2, 2));
        assert_eq!(index.line(text, 1), "bé");
    }

    #[test]
    fn columns_count_on_along_a_line_and_restart_elsewhere() {
        let text = "xé\néa b é c\n";
        let index = LineIndex::new(text);
        let cases = [
            (6, (1, 2)),
            (10, (1, 6)),
            (1, (0, 2)),
            (13, (1, 8)),
            (3, (0, 3)),
            (5, (1, 1)),
            (13, (1, 8)),
            (6, (1, 2)),
        ];
        for (offset, want) in cases {
            assert_eq!(index.locate(text, offset), want, "offset {offset}");
        }
    }

    #[test]
    fn windows_hold_whole_keyword_lines_with_their_line_feeds() {
        let text = "a key b\nnone\nkey x\nlast key";
        // Rule 0 has pattern 0, rule 1 pattern 1.
        let ks = KeywordSearch {
            candidates: vec![0, 1],
            hits: vec![(0, 2), (0, 13), (1, 24)],
            lfs: vec![7, 12, 18],
            windowed: true,
        };
        assert_eq!(ks.windows(text, &[0], Reach::Lines(0)), vec![0..8, 12..19]);
        assert_eq!(ks.windows(text, &[1], Reach::Lines(0)), vec![18..27]);
        assert_eq!(ks.windows(text, &[1], Reach::Lines(1)), vec![12..27]);
        assert_eq!(ks.windows(text, &[0], Reach::Lines(1)), vec![0..27]);
        assert_eq!(ks.windows(text, &[1], Reach::Whole), vec![0..text.len()]);
        // Within 6 bytes of `key` at 13..16: from line 2 (byte 10) into line 4 (byte 22).
        assert_eq!(ks.windows(text, &[0], Reach::Bytes(6)), vec![0..27]);
        assert_eq!(ks.windows(text, &[1], Reach::Bytes(3)), vec![18..27]);
        // A rule without kept hits (another prefilter's) is searched whole.
        assert_eq!(ks.windows(text, &[], Reach::Lines(0)), vec![0..text.len()]);
        assert_eq!(ks.windows(text, &[2], Reach::Lines(0)), vec![0..text.len()]);
    }

    /// Pattern 0 (`k1`) is shared by rules A and B, pattern 1 (`k2`) by B and C: each rule's
    /// windows are those of its own keywords' hits, and B's two keywords interleave. The ranges
    /// are what the per-rule hit list gave before hits were kept per pattern (#15).
    #[test]
    fn windows_of_shared_and_interleaved_keywords() {
        // Lines: 0..5 `k1 a`, 5..10 `k2 b`, 10..14 `mid`, 14..19 `k1 c`, 19..22 `zz`,
        // 22..27 `k2 d`, 27..30 `end`; line feeds at 4, 9, 13, 18, 21, 26.
        let text = "k1 a\nk2 b\nmid\nk1 c\nzz\nk2 d\nend";
        let ks = KeywordSearch {
            candidates: vec![0, 1, 2],
            hits: vec![(0, 0), (0, 14), (1, 5), (1, 22)],
            lfs: vec![4, 9, 13, 18, 21, 26],
            windowed: true,
        };
        let (a, b, c): (&[usize], &[usize], &[usize]) = (&[0], &[0, 1], &[1]);
        assert_eq!(ks.windows(text, a, Reach::Lines(0)), vec![0..5, 13..19]);
        assert_eq!(
            ks.windows(text, b, Reach::Lines(0)),
            vec![0..10, 13..19, 21..27]
        );
        assert_eq!(
            ks.windows(text, &[1, 0], Reach::Lines(0)),
            vec![0..10, 13..19, 21..27]
        );
        assert_eq!(ks.windows(text, c, Reach::Lines(0)), vec![4..10, 21..27]);
        assert_eq!(ks.windows(text, a, Reach::Lines(1)), vec![0..22]);
        assert_eq!(ks.windows(text, b, Reach::Lines(1)), vec![0..30]);
        assert_eq!(ks.windows(text, c, Reach::Lines(1)), vec![0..14, 18..30]);
        assert_eq!(ks.windows(text, a, Reach::Bytes(3)), vec![0..5, 9..19]);
        assert_eq!(ks.windows(text, b, Reach::Bytes(3)), vec![0..27]);
        assert_eq!(ks.windows(text, c, Reach::Bytes(3)), vec![0..10, 18..27]);
    }

    /// The cursor answers what a binary search of all line feeds does, for rising offsets.
    #[test]
    fn line_cursor_agrees_with_a_binary_search() {
        for lfs in [vec![], vec![0], vec![3, 4, 9, 20, 21, 22, 40, 41, 90]] {
            for step in 1..12 {
                let mut cursor = LineCursor(0);
                for at in (0..100).step_by(step) {
                    let want = lfs.partition_point(|&p| p < at);
                    assert_eq!(cursor.line_of(&lfs, at), want, "{lfs:?} {at}");
                    // Asked again at the same offset: the same line.
                    assert_eq!(cursor.line_of(&lfs, at), want, "{lfs:?} {at}");
                }
            }
        }
    }

    /// K occurrences of a keyword that R rules share keep K hits, not K x R: the old per-rule
    /// list made memory grow with the rules a repository adds (#15).
    #[test]
    fn a_shared_keyword_keeps_one_hit_per_occurrence() {
        let set = crate::rules::RuleSet::builtin().unwrap();
        let (rules_n, lines) = (50, 400);
        let rules: Vec<crate::rules::Rule> = (0..rules_n)
            .map(|_| {
                let mut r = set.rules[0].clone();
                r.keywords = vec!["secret".into()];
                r
            })
            .collect();
        let prefilter = Prefilter::new(&rules);
        let text = "let secret = value;\n".repeat(lines);
        assert!(text.len() >= WINDOW_MIN);
        let mut ks = KeywordSearch::default();
        ks.run(&prefilter, &text);
        assert_eq!(ks.stored_hits(), lines);
        assert_eq!(ks.candidates(), (0..rules_n).collect::<Vec<_>>());
        for r in [0, rules_n - 1] {
            let windows = ks.windows(&text, prefilter.patterns_of(r), Reach::Lines(0));
            assert_eq!(windows, vec![0..text.len()]);
        }
    }
}
