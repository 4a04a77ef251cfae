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
    /// (rule, start, end) of every keyword occurrence, sorted; empty when the region is short.
    hits: Vec<(usize, usize, usize)>,
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
            self.candidates.extend(self.hits.iter().map(|h| h.0));
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

    /// Where rule `rule` must be searched: the whole text, or (long text, a rule whose matches
    /// reach a bounded distance) around each of its keywords: the whole lines within its reach,
    /// each with the line feed before and after it, so anchors and word boundaries at a window's
    /// edge see what they see in the whole text. A rule without kept hits (added by
    /// [`KeywordSearch::add`]) is searched whole.
    pub(super) fn windows(&self, text: &str, rule: usize, reach: Reach) -> Vec<Range<usize>> {
        let first = self.hits.partition_point(|h| h.0 < rule);
        if !self.windowed
            || reach == Reach::Whole
            || self.hits.get(first).is_none_or(|h| h.0 != rule)
        {
            return std::iter::once(0..text.len()).collect();
        }
        let lfs = &self.lfs;
        // The line feed that starts the line holding byte `at` (0 on the first line), and the
        // end (after its line feed) of the line holding `at`.
        let line_of = |at: usize| lfs.partition_point(|&p| p < at);
        let start_of = |line: usize| line.checked_sub(1).map_or(0, |l| lfs[l]);
        let end_of = |line: usize| lfs.get(line).map_or(text.len(), |&p| p + 1);
        let mut out: Vec<Range<usize>> = Vec::new();
        for &(_, start, _) in self.hits[first..].iter().take_while(|h| h.0 == rule) {
            let (ws, we) = match reach {
                Reach::Lines(k) => {
                    let line = line_of(start);
                    (start_of(line.saturating_sub(k)), end_of(line + k))
                }
                // A match holds this keyword and is at most `n` bytes long.
                Reach::Bytes(n) => (
                    start_of(line_of(start.saturating_sub(n))),
                    end_of(line_of(start.saturating_add(n).min(text.len()))),
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
        let ks = KeywordSearch {
            candidates: vec![0, 1],
            hits: vec![(0, 2, 5), (0, 13, 16), (1, 24, 27)],
            lfs: vec![7, 12, 18],
            windowed: true,
        };
        assert_eq!(ks.windows(text, 0, Reach::Lines(0)), vec![0..8, 12..19]);
        assert_eq!(ks.windows(text, 1, Reach::Lines(0)), vec![18..27]);
        assert_eq!(ks.windows(text, 1, Reach::Lines(1)), vec![12..27]);
        assert_eq!(ks.windows(text, 0, Reach::Lines(1)), vec![0..27]);
        assert_eq!(ks.windows(text, 1, Reach::Whole), vec![0..text.len()]);
        // Within 6 bytes of `key` at 13..16: from line 2 (byte 10) into line 4 (byte 22).
        assert_eq!(ks.windows(text, 0, Reach::Bytes(6)), vec![0..27]);
        assert_eq!(ks.windows(text, 1, Reach::Bytes(3)), vec![18..27]);
    }
}
