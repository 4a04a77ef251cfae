//! Detection: prefilter, then regex, then validators (entropy, checksum, placeholders, stop words),
//! then pairing and inline allows. Never prints; the raw secret never leaves this module except as a
//! redacted string and a keyed fingerprint.
pub mod decode;
pub mod prefilter;

use crate::baseline::Baseline;
use crate::config::Allowlist;
use crate::finding::{
    Category, Finding, FingerprintKey, Identity, Lifetime, Secret, Severity, Suppression,
    SuppressionKind, Verdict,
};
use crate::rules::{Rule, RuleSet};
pub use crate::source::ScanOutcome;
use crate::source::{is_credential_file, Notice, ScanUnit, UnitError};
use prefilter::Prefilter;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The compiled rules plus their prefilter, built once per process.
pub struct Scanner<'r> {
    rules: &'r RuleSet,
    prefilter: Prefilter,
    key: FingerprintKey,
    allowlist: Option<&'r Allowlist>,
    baseline: Option<&'r Baseline>,
    /// (working directory, repository root) when unit paths are relative to the working directory
    /// (`coach scan PATH`), so allowlists and baselines see repository-relative paths.
    relative_to: Option<(PathBuf, PathBuf)>,
}

struct Hit<'a> {
    rule: &'a Rule,
    start: usize,
    end: usize,
    /// Length of the whole regex match: more context means a more specific rule.
    context: usize,
    line: u32,
    column: u32,
    end_line: u32,
    secret: Secret,
    identifiers: BTreeMap<String, String>,
    suppression: Option<Suppression>,
    merged: bool,
    /// Found in derived text (decoded, unescaped): how, for the finding's name.
    how: Option<&'static str>,
}

impl<'r> Scanner<'r> {
    pub fn new(rules: &'r RuleSet, key: FingerprintKey) -> Self {
        Scanner {
            prefilter: Prefilter::new(&rules.rules),
            rules,
            key,
            allowlist: None,
            baseline: None,
            relative_to: None,
        }
    }

    /// Config allowlists: matching findings are suppressed (kind `config`), still reported.
    #[must_use]
    pub fn with_allowlist(mut self, allowlist: &'r Allowlist) -> Self {
        self.allowlist = (!allowlist.is_empty()).then_some(allowlist);
        self
    }

    /// A baseline: every finding gets a `baseline_hash` under its salt, and findings it lists are
    /// suppressed (kind `baseline`).
    #[must_use]
    pub fn with_baseline(mut self, baseline: &'r Baseline) -> Self {
        self.baseline = Some(baseline);
        self
    }

    /// Unit paths are relative to `cwd` (or absolute); allowlists and baselines want them relative
    /// to `root`.
    #[must_use]
    pub fn paths_relative_to(mut self, cwd: PathBuf, root: PathBuf) -> Self {
        self.relative_to = Some((cwd, root));
        self
    }

    /// A unit path as the repository sees it (`/` separated, relative to the root).
    pub fn repo_path(&self, path: &str) -> String {
        let Some((cwd, root)) = &self.relative_to else {
            return path.to_owned();
        };
        let abs = cwd.join(path);
        let rel: Option<PathBuf> =
            abs.strip_prefix(root)
                .ok()
                .map(Path::to_path_buf)
                .or_else(|| {
                    // Symlinked temp dirs (macOS /var → /private/var): compare canonical forms.
                    let r = root.canonicalize().ok()?;
                    let a = abs.canonicalize().ok()?;
                    a.strip_prefix(&r).ok().map(Path::to_path_buf)
                });
        match rel {
            Some(r) => r
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            None => path.to_owned(),
        }
    }

    pub fn rules(&self) -> &RuleSet {
        self.rules
    }

    /// Scans units in parallel; the result order does not depend on scheduling.
    pub fn scan(&self, units: &[ScanUnit]) -> ScanOutcome {
        let mut out = units
            .par_iter()
            .map(|u| self.scan_unit(u))
            .reduce(ScanOutcome::default, ScanOutcome::merge);
        out.sort();
        out
    }

    pub fn scan_unit(&self, unit: &ScanUnit) -> ScanOutcome {
        let mut out = ScanOutcome::default();
        if is_credential_file(&unit.path) {
            out.findings.push(self.credential_file_finding(unit));
        }
        let mut hits: Vec<Hit<'_>> = Vec::new();
        let repo_path = self.repo_path(&unit.path);
        let path_allowed = self.allowlist.and_then(|a| a.path_reason(&repo_path));
        let mut candidates = Vec::new();
        // Encoded, escaped and wrapped forms are scanned as extra regions (#14).
        let derived = decode::derive(&unit.path, &unit.regions);
        let regions = unit.regions.iter().chain(derived.iter().map(|d| &d.region));
        for (ri, region) in regions.enumerate() {
            self.prefilter
                .candidates_into(&region.text, &mut candidates);
            if candidates.is_empty() {
                continue;
            }
            let index = LineIndex::new(&region.text);
            let first = hits.len();
            for &ri in &candidates {
                let rule = &self.rules.rules[ri];
                if !rule.applies_to(&unit.path) {
                    continue;
                }
                let matcher = match rule.matcher() {
                    Ok(m) => m,
                    Err(e) => {
                        // Fail closed: a rule that cannot run means this text was not fully scanned.
                        out.errors.push(UnitError {
                            path: unit.path.clone(),
                            message: format!("rule {} ({}) cannot run: {e}", rule.id, rule.origin),
                        });
                        continue;
                    }
                };
                for caps in matcher.regex.captures_iter(&region.text) {
                    let Some(m) = caps.get(matcher.secret_group) else {
                        continue;
                    };
                    if !accept(rule, m.as_str()) {
                        continue;
                    }
                    let (li, column) = index.locate(&region.text, m.start());
                    // The last character's start, not `end - 1`: a secret ending in `é` would
                    // put that byte inside the character (see #10).
                    let last =
                        m.start() + m.as_str().char_indices().next_back().map_or(0, |(i, _)| i);
                    let (end_li, _) = index.locate(&region.text, last);
                    let identifiers = matcher
                        .identifier_groups
                        .iter()
                        .filter_map(|(i, name)| {
                            caps.get(*i).map(|g| (name.clone(), g.as_str().to_owned()))
                        })
                        .collect();
                    let suppression = self
                        .inline_allow(
                            &region.text,
                            &index,
                            li,
                            rule,
                            &mut out.notices,
                            unit,
                            m.as_str(),
                        )
                        .or_else(|| {
                            let reason = path_allowed.clone().or_else(|| {
                                self.allowlist?
                                    .secret_reason(m.as_str(), index.line(&region.text, li))
                            })?;
                            Some(Suppression {
                                kind: SuppressionKind::Config,
                                reason,
                            })
                        });
                    hits.push(Hit {
                        rule,
                        start: m.start(),
                        end: m.end(),
                        context: caps.get(0).map_or(0, |g| g.len()),
                        line: region.first_line + li as u32,
                        column,
                        end_line: region.first_line + end_li as u32,
                        secret: Secret::new(m.as_str()),
                        identifiers,
                        suppression,
                        merged: false,
                        how: None,
                    });
                }
            }
            if let Some(d) = ri.checked_sub(unit.regions.len()).map(|i| &derived[i]) {
                relocate(&mut hits[first..], d);
            }
            drop_overlaps(&mut hits[first..]);
        }
        prefer_decoded(&mut hits);
        pair_hits(&mut hits);
        for h in hits.into_iter().filter(|h| !h.merged) {
            let baseline_hash = self.baseline.map(|b| b.hash(&h.rule.id, &h.secret));
            let suppression = h.suppression.or_else(|| {
                let b = self.baseline?;
                b.contains(&h.rule.id, &repo_path, baseline_hash.as_deref()?)
                    .then(|| Suppression {
                        kind: SuppressionKind::Baseline,
                        reason: format!("known finding in {}", b.display_name()),
                    })
            });
            out.findings.push(Finding {
                rule_id: h.rule.id.clone(),
                rule_name: match h.how {
                    Some(how) => format!("{} ({how})", h.rule.name),
                    None => h.rule.name.clone(),
                },
                kind: h.rule.kind.clone(),
                category: h.rule.category,
                lifetime: h.rule.lifetime,
                identity: h.rule.identity,
                severity: h.rule.severity,
                path: unit.path.clone(),
                line: h.line,
                column: h.column,
                end_line: h.end_line,
                commit: self.commit_info(unit),
                exposure: unit.exposure,
                redacted: h.secret.redact(),
                fingerprint: self.key.fingerprint(&h.rule.id, &h.secret),
                identifiers: h.identifiers,
                default_verdict: h.rule.verdict,
                verdict: h.rule.verdict,
                suppression,
                role: None,
                repeat: None,
                baseline_hash,
            });
        }
        out
    }
}

impl Scanner<'_> {
    /// A keystore or PKCS#12 bundle is a credential by what it is, not by a pattern in its bytes.
    fn credential_file_finding(&self, unit: &ScanUnit) -> Finding {
        const RULE: &str = "file.keystore";
        Finding {
            rule_id: RULE.into(),
            rule_name: "Keystore or PKCS#12 file (holds private keys)".into(),
            kind: "keystore-file".into(),
            category: Category::Secret,
            lifetime: Lifetime::LongLived,
            identity: Identity::Machine,
            severity: Severity::High,
            path: unit.path.clone(),
            line: 1,
            column: 1,
            end_line: 1,
            commit: self.commit_info(unit),
            exposure: unit.exposure,
            redacted: "(whole file)".into(),
            fingerprint: self.key.fingerprint(RULE, &Secret::new(&unit.path)),
            identifiers: BTreeMap::new(),
            default_verdict: Verdict::Block,
            verdict: Verdict::Block,
            suppression: None,
            role: None,
            repeat: None,
            baseline_hash: None,
        }
    }
}

/// Kinds whose findings come from the engine itself rather than from a rule (their coaching still
/// lives in `rules/`).
pub const ENGINE_KINDS: &[&str] = &["keystore-file"];

/// The validators every candidate secret must pass.
fn accept(rule: &Rule, secret: &str) -> bool {
    if secret.is_empty() {
        return false;
    }
    if rule
        .min_entropy
        .is_some_and(|min| crate::rules::validate::entropy::shannon(secret) < min)
    {
        return false;
    }
    if rule.checksum.is_some_and(|c| !c.validate(secret)) {
        return false;
    }
    if crate::rules::validate::placeholder::is_placeholder(secret) {
        return false;
    }
    // A generic match on base64 that decodes to a stand-in (`Y2hhbmdlbWU=`: changeme) (#14).
    if rule.generic && decode::decode_text(secret).is_some_and(|t| !accept(rule, &t)) {
        return false;
    }
    if !rule.stop_words.is_empty() {
        let lower = secret.to_lowercase();
        if crate::rules::validate::placeholder::matching_stop_word(&lower, &rule.stop_words)
            .is_some()
        {
            return false;
        }
    }
    true
}

/// When two secret rules match overlapping text (a generic `token = "..."` rule and the provider's
/// own), keep the more specific one: a checksum beats a shape, a provider rule beats a `generic`
/// one, then the match that needed more surrounding context wins, then the earlier rule.
fn drop_overlaps(hits: &mut [Hit<'_>]) {
    let score = |h: &Hit<'_>| {
        (
            u8::from(h.rule.checksum.is_some()) * 2 + u8::from(!h.rule.generic),
            h.context,
        )
    };
    // Best first (ties: the earlier hit), each kept unless it overlaps a hit already kept. Kept
    // spans never overlap, so a map by start answers "does this span touch one?" in log time:
    // n log n, where comparing every pair was quadratic in the hits of a file (#11).
    let mut order: Vec<usize> = (0..hits.len())
        .filter(|&i| hits[i].rule.category == Category::Secret && !hits[i].merged)
        .collect();
    order.sort_by(|&i, &j| (score(&hits[j]), i).cmp(&(score(&hits[i]), j)));
    let mut kept: BTreeMap<usize, usize> = BTreeMap::new();
    for i in order {
        let (start, end) = (hits[i].start, hits[i].end);
        // The kept span starting last before `end` is the only one that can reach past `start`.
        let overlaps = kept
            .range(..end)
            .next_back()
            .is_some_and(|(_, &kept_end)| kept_end > start);
        if overlaps {
            hits[i].merged = true;
        } else {
            kept.insert(start, end);
        }
    }
}

/// Hits in derived text report where the encoded or escaped text is.
fn relocate(hits: &mut [Hit<'_>], d: &decode::Derived) {
    for h in hits {
        h.how = Some(d.how);
        if let Some((line, end_line)) = d.clamp {
            (h.line, h.end_line, h.column) = (line, end_line, 1);
        }
    }
}

/// One finding per credential when the plain and the derived text both matched on the same lines:
/// the decoded finding beats a generic one on the encoded text (a base64 GitHub token blocks as a
/// GitHub token, and says it was encoded); otherwise the plain finding stays.
fn prefer_decoded(hits: &mut [Hit<'_>]) {
    let derived: Vec<usize> = (0..hits.len()).filter(|&i| hits[i].how.is_some()).collect();
    for &d in &derived {
        for p in 0..hits.len() {
            let (a, b) = (&hits[d], &hits[p]);
            if b.how.is_some() || b.merged || a.merged || a.line > b.end_line || b.line > a.end_line
            {
                continue;
            }
            if b.rule.generic && (a.how == Some(decode::BASE64) || !a.rule.generic) {
                hits[p].merged = true;
            } else {
                hits[d].merged = true;
            }
        }
    }
}

/// Merges a pair (an AWS secret key and its key ID nearby) into one finding on the pairing rule.
/// Each hit takes the nearest unmerged partner (ties: the earlier hit); partners are looked up by
/// line in an ordered set per rule, so many hits cost n log n rather than all pairs (#11).
fn pair_hits(hits: &mut [Hit<'_>]) {
    use std::collections::{BTreeSet, HashMap};
    let wanted: std::collections::HashSet<&str> = hits
        .iter()
        .filter_map(|h| h.rule.pair.as_ref().map(|(o, _)| o.as_str()))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let mut free: HashMap<String, BTreeSet<(u32, usize)>> = HashMap::new();
    for (j, h) in hits.iter().enumerate() {
        if !h.merged && wanted.contains(h.rule.id.as_str()) {
            free.entry(h.rule.id.clone())
                .or_default()
                .insert((h.line, j));
        }
    }
    for i in 0..hits.len() {
        let Some((other, within)) = hits[i].rule.pair.clone() else {
            continue;
        };
        if hits[i].merged {
            continue;
        }
        let Some(set) = free.get_mut(&other) else {
            continue;
        };
        let line = hits[i].line;
        // A hit is never its own partner.
        let own = set.remove(&(line, i));
        // Nearest line at or below, and above; at one line the earliest hit.
        let below = set
            .range(..=(line, usize::MAX))
            .next_back()
            .and_then(|&(l, _)| set.range((l, 0)..).next().copied());
        let above = set.range((line.saturating_add(1), 0)..).next().copied();
        let partner = match (below, above) {
            (Some(b), Some(a)) => {
                let (db, da) = (line - b.0, a.0 - line);
                Some(if (db, b.1) <= (da, a.1) { b } else { a })
            }
            (b, a) => b.or(a),
        };
        if own {
            set.insert((line, i));
        }
        if let Some((l, j)) = partner.filter(|&(l, _)| l.abs_diff(line) <= within) {
            set.remove(&(l, j));
            let ids = std::mem::take(&mut hits[j].identifiers);
            hits[i].identifiers.extend(ids);
            hits[j].merged = true;
        }
    }
}

/// Byte offsets of line starts in a region, for mapping a match to line and column.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        if text.contains('\r') {
            // A lone CR (classic Mac OS endings) ends a line too, as editors show it (#11).
            let b = text.as_bytes();
            starts.extend((0..b.len()).filter_map(|i| {
                let ends = b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'));
                ends.then_some(i + 1)
            }));
        } else {
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        }
        LineIndex { starts }
    }

    /// (0-based line within the region, 1-based column in characters).
    /// An offset inside a character counts as that character: slicing there would panic, and the
    /// panic message would hold the line (the secret with it).
    fn locate(&self, text: &str, offset: usize) -> (usize, u32) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let li = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = text[self.starts[li]..offset].chars().count() as u32 + 1;
        (li, col)
    }

    fn line<'t>(&self, text: &'t str, li: usize) -> &'t str {
        let start = self.starts[li];
        let end = self.starts.get(li + 1).map_or(text.len(), |&e| e - 1);
        &text[start..end]
    }
}

impl Scanner<'_> {
    /// Looks for an allow comment on the finding's line or the line above.
    #[allow(clippy::too_many_arguments)]
    fn inline_allow(
        &self,
        text: &str,
        index: &LineIndex,
        li: usize,
        rule: &Rule,
        notices: &mut Vec<Notice>,
        unit: &ScanUnit,
        secret: &str,
    ) -> Option<Suppression> {
        let lines = std::iter::once((li, false)).chain(li.checked_sub(1).map(|l| (l, true)));
        for (l, above) in lines {
            let line = index.line(text, l);
            match parse_allow(line, rule, above) {
                Allow::None => {}
                Allow::Granted(reason) => {
                    // The reason is free text that is printed and stored in the ledger; it may
                    // hold this secret (`/* coach:allow x -- why */ t = "<secret>"`) or another
                    // one. Redact before shortening, so a cut-off token cannot slip past the rules.
                    let reason = if secret.is_empty() {
                        reason
                    } else {
                        reason.replace(secret, &crate::finding::redact(secret))
                    };
                    let reason = self.redact_secrets(&reason);
                    return Some(Suppression {
                        kind: SuppressionKind::Inline,
                        reason: reason
                            .chars()
                            .take(MAX_REASON_CHARS)
                            .collect::<String>()
                            .trim_end()
                            .to_owned(),
                    });
                }
                Allow::MissingReason => notices.push(Notice {
                    path: unit.path.clone(),
                    commit: unit.commit.as_ref().map(|c| c.id.clone()),
                    reason: format!(
                        "coach:allow for {} has no reason, so it suppresses nothing; write `coach:allow {} -- <why>`",
                        rule.id, rule.id
                    ),
                }),
            }
        }
        None
    }

    /// The unit's commit for a finding, with secrets in its subject and author redacted: a token
    /// pasted into a commit message would otherwise be printed whole on the finding's commit line.
    fn commit_info(&self, unit: &ScanUnit) -> Option<crate::finding::CommitInfo> {
        let mut c = unit.commit.as_deref().cloned()?;
        c.summary = self.redact_secrets(&c.summary);
        c.author = self.redact_secrets(&c.author);
        c.email = self.redact_secrets(&c.email);
        Some(c)
    }

    /// `text` with every secret any secret rule finds in it replaced by its redacted form.
    fn redact_secrets(&self, text: &str) -> String {
        let mut candidates = Vec::new();
        self.prefilter.candidates_into(text, &mut candidates);
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for &ri in &candidates {
            let rule = &self.rules.rules[ri];
            let Ok(matcher) = rule.matcher() else {
                continue;
            };
            if rule.category != Category::Secret {
                continue;
            }
            for caps in matcher.regex.captures_iter(text) {
                if let Some(m) = caps
                    .get(matcher.secret_group)
                    .filter(|m| accept(rule, m.as_str()))
                {
                    spans.push((m.start(), m.end()));
                }
            }
        }
        spans.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in spans {
            if end <= at {
                continue;
            }
            // Overlapping matches: redact from where the previous one stopped.
            let start = start.max(at);
            out.push_str(&text[at..start]);
            out.push_str(&crate::finding::redact(&text[start..end]));
            at = end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// Whether the comment holding `coach:allow` (at byte `pos`) is all there is on its line: only
/// comment markers before it, and nothing after a block comment's end.
fn comment_alone(line: &str, pos: usize) -> bool {
    let before = line[..pos].trim();
    if !before.chars().all(|c| "#/*;!<-%'".contains(c)) {
        return false;
    }
    let after = &line[pos..];
    ["*/", "-->"]
        .iter()
        .filter_map(|end| after.find(end).map(|i| &after[i + end.len()..]))
        .all(|rest| rest.trim().is_empty())
}

/// Longest inline-allow reason kept, in characters.
const MAX_REASON_CHARS: usize = 200;

enum Allow {
    None,
    Granted(String),
    MissingReason,
}

/// `above`: the line is the one above the finding, which only a `coach:allow` comment alone on its
/// line can cover.
fn parse_allow(line: &str, rule: &Rule, above: bool) -> Allow {
    if let Some(pos) = line.find("coach:allow") {
        if above && !comment_alone(line, pos) {
            return Allow::None;
        }
        let rest = line[pos + "coach:allow".len()..].trim_start();
        let (target, reason) = match rest.split_once("--") {
            Some((t, r)) => (t.trim(), r.trim()),
            None => (rest.trim(), ""),
        };
        // The allow names a rule id or kind; an empty target applies to whatever is on the line.
        let target = target.split_whitespace().next().unwrap_or("");
        if !target.is_empty() && target != rule.id && target != rule.kind {
            return Allow::None;
        }
        // The reason ends with the comment that holds it (`*/`, `-->`), and is kept short.
        let reason = ["*/", "-->"]
            .iter()
            .filter_map(|end| reason.find(end))
            .min()
            .map_or(reason, |i| &reason[..i]);
        // Shortened to MAX_REASON_CHARS by the caller, after redaction.
        let reason = reason.trim_end_matches(['*', '/', '>', '-', '#']).trim();
        return if reason.is_empty() {
            Allow::MissingReason
        } else {
            Allow::Granted(reason.to_owned())
        };
    }
    // Honoured for teams migrating from other scanners, on the finding's own line, as they do.
    if above {
        return Allow::None;
    }
    if line.contains("gitleaks:allow") {
        return Allow::Granted("gitleaks:allow comment".into());
    }
    if line.contains("pragma: allowlist secret") {
        return Allow::Granted("pragma: allowlist secret comment".into());
    }
    Allow::None
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
}
