//! Edited in place (#14): an added line inside a multi-line construct whose other lines did not
//! change (a key pasted into an existing PEM skeleton, a rotated kubeconfig `token:`, a YAML value
//! under an unchanged key) is only a credential together with those lines. The added regions are
//! widened with the enclosing construct read from the new blob, so the rules see it whole.
//!
//! Unchanged lines that a rule needs only as a landmark (a kubeconfig's `users:` and `user:`) keep
//! their text; the unchanged lines between them are blanked to one space, so a credential on an
//! unchanged line of the same file is not reported again.
use super::Region;
use std::collections::BTreeMap;

/// How far up a construct's start is looked for, in lines.
const MAX_REACH: usize = 400;

#[derive(Clone, Copy, PartialEq)]
enum Take {
    /// An added line, or a line of the construct the rules need as it is.
    Text,
    /// A filler between landmarks: one space keeps the line numbers and indentation rules intact.
    Blank,
}

/// `added` widened with the constructs around its lines, from `new_text` (the whole new blob).
pub fn widen(new_text: &str, added: Vec<Region>) -> Vec<Region> {
    if added.is_empty() {
        return added;
    }
    // `split('\n')` by `memchr`: a blob is split whole, and this was a third of the widening.
    let mut lines: Vec<&str> = Vec::new();
    let mut at = 0;
    for nl in memchr::memchr_iter(b'\n', new_text.as_bytes()) {
        lines.push(&new_text[at..nl]);
        at = nl + 1;
    }
    lines.push(&new_text[at..]);
    // 0-based line index -> what to take.
    let mut take: BTreeMap<usize, Take> = BTreeMap::new();
    for r in &added {
        let n = memchr::memchr_iter(b'\n', r.text.as_bytes()).count() + 1;
        for i in 0..n {
            take.insert(r.first_line as usize - 1 + i, Take::Text);
        }
    }
    let added_lines: Vec<usize> = take.keys().copied().collect();
    let mut extra: BTreeMap<usize, Take> = BTreeMap::new();
    // Most blobs hold no PEM armour: one substring search instead of one per line (#15).
    if memchr::memmem::find(new_text.as_bytes(), b"-----BEGIN ").is_some() {
        pem_blocks(&lines, &take, &mut extra);
    }
    // Each line's shape once, not once per walk that passes it: the walks up from consecutive
    // added lines overlap, which made this quadratic in a block's length (#15). Only the lines a
    // walk can reach: up to 2 * MAX_REACH above an added line (a walk up, then a block scalar's
    // opener above where it stopped), not the whole blob.
    let shape = Shape::new(&lines, &added_lines);
    for &a in &added_lines {
        if a >= lines.len() {
            continue;
        }
        yaml_key(&lines, &shape, a, &mut extra);
        kubeconfig(&lines, a, &mut extra);
    }
    if extra.keys().all(|k| take.contains_key(k)) {
        return added;
    }
    for (k, v) in extra {
        let e = take.entry(k).or_insert(v);
        if v == Take::Text {
            *e = Take::Text;
        }
    }
    let mut out: Vec<Region> = Vec::new();
    let mut prev: Option<usize> = None;
    for (&i, &t) in &take {
        let text = match t {
            Take::Text => lines.get(i).copied().unwrap_or(""),
            Take::Blank => " ",
        };
        match (prev, out.last_mut()) {
            (Some(p), Some(r)) if p + 1 == i => {
                r.text.push('\n');
                r.text.push_str(text);
            }
            _ => out.push(Region {
                first_line: i as u32 + 1,
                text: text.to_owned(),
            }),
        }
        prev = Some(i);
    }
    out
}

/// A `-----BEGIN ...-----` .. `-----END ...-----` block with an added line inside it.
fn pem_blocks(lines: &[&str], take: &BTreeMap<usize, Take>, extra: &mut BTreeMap<usize, Take>) {
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].contains("-----BEGIN ") {
            i += 1;
            continue;
        }
        let Some(end) =
            (i + 1..lines.len().min(i + MAX_REACH)).find(|&j| lines[j].contains("-----END "))
        else {
            i += 1;
            continue;
        };
        if take.range(i..=end).next().is_some() {
            for j in i..=end {
                extra.insert(j, Take::Text);
            }
        }
        i = end + 1;
    }
}

/// `line.trim().is_empty()`, deciding at the first byte that is not ASCII white space.
fn is_blank(line: &str) -> bool {
    match line.bytes().find(|b| !b.is_ascii_whitespace()) {
        None => true,
        // U+000B and every non-ASCII character may be white space to `trim`.
        Some(b) if b.is_ascii() && b != 0x0b => false,
        Some(_) => line.trim().is_empty(),
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Per line of the new text from line `first` on: its indent, whether it is blank, whether it
/// was added; and how many block scalars open above it.
struct Shape {
    first: usize,
    indent: Vec<usize>,
    blank: Vec<bool>,
    added: Vec<bool>,
    /// `openers[i]`: lines of `first..first + i` that open a block scalar.
    openers: Vec<u32>,
}

impl Shape {
    /// The shape of the lines a walk up from `added_lines` (sorted) can reach.
    fn new(lines: &[&str], added_lines: &[usize]) -> Self {
        let first = added_lines[0]
            .saturating_sub(2 * MAX_REACH)
            .min(lines.len());
        let upto = lines
            .len()
            .min(added_lines[added_lines.len() - 1] + 1)
            .max(first);
        let range = &lines[first..upto];
        let mut added = vec![false; upto - first];
        for &a in added_lines.iter().filter(|&&a| a < upto) {
            added[a - first] = true;
        }
        let mut openers = Vec::with_capacity(range.len() + 1);
        openers.push(0);
        for l in range {
            openers.push(openers[openers.len() - 1] + u32::from(opens_block(l)));
        }
        Shape {
            first,
            indent: range.iter().map(|l| indent(l)).collect(),
            blank: range.iter().map(|l| is_blank(l)).collect(),
            added,
            openers,
        }
    }
    /// Whether a line of `lo..hi` opens a block scalar.
    fn opener_in(&self, lo: usize, hi: usize) -> bool {
        self.openers[hi - self.first] > self.openers[lo - self.first]
    }
    fn indent(&self, line: usize) -> usize {
        self.indent[line - self.first]
    }
    fn blank(&self, line: usize) -> bool {
        self.blank[line - self.first]
    }
    fn added(&self, line: usize) -> bool {
        self.added[line - self.first]
    }
}

/// `key:` (value on the next line) or `key: |` / `key: >-` (a block scalar) above added line `a`.
fn yaml_key(lines: &[&str], shape: &Shape, a: usize, extra: &mut BTreeMap<usize, Take>) {
    let ind = shape.indent(a);
    if ind == 0 || shape.blank(a) {
        return;
    }
    // The walk below stops within MAX_REACH lines. With no block scalar opening there, it can only
    // end in a `key:` on the line right above: checked directly, so a long block of added lines
    // (source code, mostly) is not walked once per line (#15).
    if !shape.opener_in(a.saturating_sub(MAX_REACH), a) {
        let above = a.checked_sub(1).filter(|&k| {
            !shape.blank(k) && shape.indent(k) < ind && lines[k].trim_end().ends_with(':')
        });
        if let Some(k) = above {
            extra.insert(k, Take::Text);
        }
        return;
    }
    yaml_key_walk(lines, shape, a, ind, extra);
}

/// [`yaml_key`] by walking up from added line `a` (indented `ind`) to its parent key.
fn yaml_key_walk(
    lines: &[&str],
    shape: &Shape,
    a: usize,
    ind: usize,
    extra: &mut BTreeMap<usize, Take>,
) {
    let mut k = a;
    for _ in 0..MAX_REACH {
        if k == 0 {
            return;
        }
        k -= 1;
        if shape.blank(k) {
            continue;
        }
        if shape.indent(k) < ind {
            break;
        }
        // A sibling at the same depth: only a block scalar's lines continue upwards.
        if !shape.added(k) && !is_block_body(lines, shape, k, ind) {
            return;
        }
    }
    let key = lines[k].trim_end();
    let block = opens_block(key);
    let next_line = key.ends_with(':') && k + 1 == a;
    if block || next_line {
        for j in k..a {
            extra.insert(j, Take::Text);
        }
    }
}

/// `key: |`, `key: >-`, `key: |2`...: a YAML block scalar starts on the next line.
fn opens_block(line: &str) -> bool {
    let line = line.trim_end();
    // Most lines end otherwise: rejected before the search for the colon (#15).
    if !matches!(
        line.as_bytes().last(),
        Some(b'|' | b'>' | b'+' | b'-' | b'0'..=b'9')
    ) {
        return false;
    }
    line.rsplit_once(':').is_some_and(|(_, v)| {
        let v = v.trim();
        !v.is_empty()
            && v.trim_start_matches(['|', '>'])
                .chars()
                .all(|c| "+-0123456789".contains(c))
            && v.starts_with(['|', '>'])
    })
}

/// Whether line `k` (indented `>= ind`) belongs to a block scalar opened above it.
fn is_block_body(lines: &[&str], shape: &Shape, k: usize, ind: usize) -> bool {
    (k.saturating_sub(MAX_REACH)..k)
        .rev()
        .find(|&j| !shape.blank(j) && shape.indent(j) < ind)
        .map(|j| lines[j])
        .is_some_and(|l| {
            let t = l.trim_end();
            t.ends_with('|') || t.ends_with('>') || t.ends_with("|-") || t.ends_with(">-")
        })
}

/// A kubeconfig `token:` (or another user credential) line: the `users:` and `user:` landmarks
/// above it, with the lines between blanked.
fn kubeconfig(lines: &[&str], a: usize, extra: &mut BTreeMap<usize, Take>) {
    let t = lines[a].trim_start();
    let cred = [
        "token:",
        "access-token:",
        "refresh-token:",
        "client-key-data:",
        "password:",
    ]
    .iter()
    .any(|p| t.starts_with(p));
    if !cred || indent(lines[a]) == 0 {
        return;
    }
    let lo = a.saturating_sub(MAX_REACH);
    let Some(user) = (lo..a)
        .rev()
        .find(|&j| lines[j].trim() == "user:" || lines[j].trim_end().ends_with(" user:"))
    else {
        return;
    };
    let Some(users) = (lo..user).rev().find(|&j| lines[j].trim_end() == "users:") else {
        return;
    };
    extra.insert(users, Take::Text);
    extra.insert(user, Take::Text);
    for j in (users + 1..a).filter(|&j| j != user) {
        extra.entry(j).or_insert(Take::Blank);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added(first_line: u32, text: &str) -> Vec<Region> {
        vec![Region {
            first_line,
            text: text.to_owned(),
        }]
    }

    #[test]
    fn a_body_line_brings_its_pem_block() {
        let new = "x: 1\n-----BEGIN RSA PRIVATE KEY-----\nAAAA\nBBBB\n-----END RSA PRIVATE KEY-----\ny: 2";
        let r = widen(new, added(3, "AAAA"));
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].first_line, 2);
        assert_eq!(
            r[0].text,
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\nBBBB\n-----END RSA PRIVATE KEY-----"
        );
    }

    #[test]
    fn a_yaml_value_brings_its_key_not_its_siblings() {
        let new = "db:\n  host: a\n  password: |\n    Zq8#vLm2pR7w\n  port: 5432";
        let r = widen(new, added(4, "    Zq8#vLm2pR7w"));
        assert_eq!(r[0].first_line, 3);
        assert_eq!(r[0].text, "  password: |\n    Zq8#vLm2pR7w");
        let new = "db:\n  password:\n    Zq8#vLm2pR7w";
        assert_eq!(widen(new, added(3, "    Zq8#vLm2pR7w"))[0].first_line, 2);
        // An ordinary sibling line is not a construct.
        let new = "db:\n  host: a\n  port: 5433";
        assert_eq!(widen(new, added(3, "  port: 5433"))[0].first_line, 3);
    }

    /// Any blob and any added line numbers inside it: no panic.
    #[test]
    fn arbitrary_text_never_panics() {
        let pieces = [
            "-----BEGIN X-----",
            "-----END X-----",
            "users:",
            "  user:",
            "    token: a",
            "k: |",
            "  ",
            "é",
            ":",
            "\n",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..(x % 30) {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                t.push_str(pieces[(x >> 33) as usize % pieces.len()]);
            }
            let n = t.split('\n').count() as u32;
            let line = (x % u64::from(n)) as u32 + 1;
            let text = t
                .split('\n')
                .nth(line as usize - 1)
                .unwrap_or("")
                .to_owned();
            let _ = widen(&t, added(line, &text));
        }
    }

    #[test]
    fn a_kubeconfig_token_brings_its_landmarks_and_blanks_the_rest() {
        let new = "users:\n- name: a\n  user:\n    client-certificate-data: QUJD\n    token: abc";
        let r = widen(new, added(5, "    token: abc"));
        assert_eq!(r[0].first_line, 1);
        assert_eq!(r[0].text, "users:\n \n  user:\n \n    token: abc");
    }

    #[test]
    fn blank_is_what_trim_leaves_empty() {
        for l in [
            "",
            " ",
            "\t \r",
            "\u{0b}",
            "\u{a0}",
            " \u{2003} ",
            " x",
            "\u{a0}x",
            "\u{0c}",
            "é",
        ] {
            assert_eq!(is_blank(l), l.trim().is_empty(), "{l:?}");
        }
    }

    #[test]
    fn the_direct_check_for_a_key_above_agrees_with_the_walk() {
        // Random YAML-like texts, some with block scalars, random added lines: every added line
        // gets the same lines from the shortcut as from walking up.
        let pieces = [
            "key:",
            "  key:",
            "    k: v",
            "  - item",
            "    x: |",
            "  y: >-",
            "",
            "    ",
            "\t",
            "      text",
            "  a: 1",
            "z:",
            "        deep",
            "  b: |2",
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) as usize % n
        };
        let (mut walked, mut direct) = (0, 0);
        for round in 0..400 {
            let n = 1 + next(60);
            let lines: Vec<&str> = (0..n)
                .map(|_| {
                    // Half the texts have no block scalar: the shortcut's case.
                    let p = pieces[next(pieces.len())];
                    if round % 2 == 0 && p.contains(['|', '>']) {
                        "    k: v"
                    } else {
                        p
                    }
                })
                .collect();
            let mut added: Vec<usize> = (0..n).filter(|_| next(3) == 0).collect();
            if added.is_empty() {
                added.push(n - 1);
            }
            let shape = Shape::new(&lines, &added);
            for &a in &added {
                let mut fast = BTreeMap::new();
                yaml_key(&lines, &shape, a, &mut fast);
                let mut walk = BTreeMap::new();
                let ind = shape.indent(a);
                if ind > 0 && !shape.blank(a) {
                    yaml_key_walk(&lines, &shape, a, ind, &mut walk);
                    if shape.opener_in(a.saturating_sub(MAX_REACH), a) {
                        walked += 1;
                    } else {
                        direct += 1;
                    }
                }
                assert!(fast == walk, "{lines:?}, added line {a}");
            }
        }
        assert!(
            walked > 100 && direct > 100,
            "{walked} walked, {direct} direct"
        );
    }
}
