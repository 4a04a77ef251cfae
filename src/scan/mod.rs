//! Detection: prefilter, then regex, then validators (entropy, checksum, placeholders, stop words),
//! then pairing. What is allowed or baselined is decided later (`decide`), from the [`Evidence`]
//! kept beside each finding. Never prints; the raw secret leaves this module only as a redacted
//! string, a keyed fingerprint, or inside `Evidence`, which is dropped once suppression is decided.
pub mod decode;
mod matching;
mod overlap;
pub mod prefilter;

use crate::finding::{
    Category, Confidence, Finding, FingerprintKey, Identity, Lifetime, Secret, Severity, Verdict,
};
use crate::rules::{Rule, RuleSet};
pub use crate::source::ScanOutcome;
use crate::source::{ScanUnit, UnitError};
use matching::{KeywordSearch, LineIndex};
use overlap::{drop_overlaps, pair_hits};
use prefilter::Prefilter;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// The compiled rules plus their prefilter, built once per process.
pub struct Scanner<'r> {
    rules: &'r RuleSet,
    /// The keywords of rules that apply to every path.
    prefilter: Prefilter,
    /// The keywords of rules limited to some paths, read only in files one of them applies to.
    by_path: Prefilter,
    path_rules: Vec<usize>,
    key: FingerprintKey,
}

/// What one unit's detection found: the findings (not yet suppressed or decided) and, beside each,
/// the text that suppression is decided from.
pub struct Detected {
    pub outcome: ScanOutcome,
    /// One entry per finding, in the same order; `None` for findings of the engine itself.
    pub evidence: Vec<Option<Evidence>>,
}

/// The raw text around a finding: its secret and the region it was found in, with the spans of
/// its line and the line above (where allow comments are written). Holds the secret, so it never
/// derives `Debug` and is dropped after `decide`. The region is shared by all its findings: a copy
/// of the line per hit would be quadratic on a long line of many hits (#15).
pub struct Evidence {
    secret: Secret,
    text: Arc<str>,
    line: Range<usize>,
    above: Option<Range<usize>>,
    /// Whether the region holds any allow marker at all: if not, no line needs reading (#15).
    may_allow: bool,
}

impl Evidence {
    pub fn secret(&self) -> &Secret {
        &self.secret
    }
    pub fn line(&self) -> &str {
        &self.text[self.line.clone()]
    }
    pub fn above(&self) -> Option<&str> {
        self.above.clone().map(|r| &self.text[r])
    }
    /// False when the region holds no allow comment of any tool, so none can apply.
    pub fn may_allow(&self) -> bool {
        self.may_allow
    }
}

/// The markers an inline allow comment starts with (`decide` parses them).
pub const ALLOW_MARKERS: [&str; 3] = ["coach:allow", "gitleaks:allow", "pragma: allowlist secret"];

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
    /// Which region (plain, then derived) the hit is in, and its line and the line above there.
    region: usize,
    evidence_line: Range<usize>,
    above: Option<Range<usize>>,
    merged: bool,
    /// Found in derived text (decoded, unescaped): how, for the finding's name.
    how: Option<&'static str>,
}

impl<'r> Scanner<'r> {
    pub fn new(rules: &'r RuleSet, key: FingerprintKey) -> Self {
        Scanner {
            prefilter: Prefilter::of(&rules.rules, |r| r.paths.is_none()),
            by_path: Prefilter::of(&rules.rules, |r| r.paths.is_some()),
            path_rules: (0..rules.rules.len())
                .filter(|&i| rules.rules[i].paths.is_some())
                .collect(),
            rules,
            key,
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

    /// Detection alone, without allow comments, allowlist or baseline (rule examples, benches).
    pub fn scan_unit(&self, unit: &ScanUnit) -> ScanOutcome {
        self.detect(unit).outcome
    }

    /// The findings in one unit, each with the evidence `decide` needs.
    pub fn detect(&self, unit: &ScanUnit) -> Detected {
        let mut out = ScanOutcome::default();
        let mut evidence = Vec::new();
        if unit.keystore {
            out.findings.push(self.credential_file_finding(unit));
            evidence.push(None);
        }
        let mut hits: Vec<Hit<'_>> = Vec::new();
        let mut search = KeywordSearch::default();
        let path_rules: Vec<usize> = self
            .path_rules
            .iter()
            .copied()
            .filter(|&i| self.rules.rules[i].applies_to(&unit.path))
            .collect();
        let mut by_path = Vec::new();
        // Encoded, escaped and wrapped forms are scanned as extra regions (#14).
        let derived = decode::derive(&unit.path, &unit.regions);
        let regions: Vec<&crate::source::Region> = unit
            .regions
            .iter()
            .chain(derived.iter().map(|d| &d.region))
            .collect();
        // Shared text of each region that has hits, for the evidence of its findings.
        let mut shared: BTreeMap<usize, (Arc<str>, bool)> = BTreeMap::new();
        for (region_i, region) in regions.iter().enumerate() {
            search.run(&self.prefilter, &region.text);
            if !path_rules.is_empty() {
                self.by_path.candidates_into(&region.text, &mut by_path);
                // `path_rules` is ascending: a lookup per candidate, not a scan (many repo rules).
                by_path.retain(|r| path_rules.binary_search(r).is_ok());
                search.add(&by_path);
            }
            if search.candidates().is_empty() {
                continue;
            }
            let index = LineIndex::new(&region.text);
            let first = hits.len();
            // Rules sharing keywords and reach share windows: computed once for a run of them,
            // not once per rule over every hit (#15).
            let mut windows = Vec::new();
            let mut windows_of = None;
            for &rule_i in search.candidates() {
                let rule = &self.rules.rules[rule_i];
                if !rule.applies_to(&unit.path) {
                    continue;
                }
                let of = (self.prefilter.patterns_of(rule_i), rule.reach());
                if windows_of != Some(of) {
                    windows = search.windows(&region.text, of.0, of.1);
                    windows_of = Some(of);
                }
                if !rule.may_match(&region.text, &windows) {
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
                for caps in matching::captures(&matcher.regex, &region.text, &windows) {
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
                        region: region_i,
                        evidence_line: index.span(&region.text, li),
                        above: li.checked_sub(1).map(|l| index.span(&region.text, l)),
                        merged: false,
                        how: None,
                    });
                }
            }
            if hits.len() > first {
                let may_allow = ALLOW_MARKERS.iter().any(|m| region.text.contains(m));
                shared.insert(region_i, (Arc::from(region.text.as_str()), may_allow));
            }
            if let Some(d) = region_i
                .checked_sub(unit.regions.len())
                .map(|i| &derived[i])
            {
                relocate(&mut hits[first..], d);
            }
            drop_overlaps(&mut hits[first..]);
        }
        prefer_decoded(&mut hits);
        pair_hits(&mut hits);
        for h in hits.into_iter().filter(|h| !h.merged) {
            let verdict = h.rule.judge(h.secret.expose());
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
                confidence: h.rule.confidence(),
                default_verdict: verdict,
                verdict,
                suppression: None,
                role: None,
                repeat: None,
                baseline_hash: None,
            });
            let (text, may_allow) = shared[&h.region].clone();
            evidence.push(Some(Evidence {
                secret: h.secret,
                text,
                line: h.evidence_line,
                above: h.above,
                may_allow,
            }));
        }
        Detected {
            outcome: out,
            evidence,
        }
    }
}

impl Scanner<'_> {
    /// A keystore or PKCS#12 bundle is a credential by what it is, not by a pattern in its bytes.
    fn credential_file_finding(&self, unit: &ScanUnit) -> Finding {
        let r = &KEYSTORE_RULE;
        Finding {
            rule_id: r.id.into(),
            rule_name: r.name.into(),
            kind: r.kind.into(),
            category: r.category,
            lifetime: r.lifetime,
            identity: r.identity,
            severity: r.severity,
            path: unit.path.clone(),
            line: 1,
            column: 1,
            end_line: 1,
            commit: self.commit_info(unit),
            exposure: unit.exposure,
            redacted: "(whole file)".into(),
            fingerprint: self.key.fingerprint(r.id, &Secret::new(&unit.path)),
            identifiers: BTreeMap::new(),
            confidence: r.confidence,
            default_verdict: r.verdict,
            verdict: r.verdict,
            suppression: None,
            role: None,
            repeat: None,
            baseline_hash: None,
        }
    }
}

/// A finding the engine makes itself rather than a rules file, listed and explained like a rule.
pub struct EngineRule {
    pub id: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub lifetime: Lifetime,
    pub identity: Identity,
    pub severity: Severity,
    pub verdict: Verdict,
    pub category: Category,
    pub confidence: Confidence,
    /// What it matches, for `coach rules explain`.
    pub detects: &'static str,
}

/// Keystores and PKCS#12 bundles: the file is the credential (`source::is_keystore`).
pub const KEYSTORE_RULE: EngineRule = EngineRule {
    id: "file.keystore",
    name: "Keystore or PKCS#12 file (holds private keys)",
    kind: "keystore-file",
    lifetime: Lifetime::LongLived,
    identity: Identity::Machine,
    severity: Severity::High,
    verdict: Verdict::Block,
    category: Category::Secret,
    // The container's magic bytes were checked (`source::is_keystore`).
    confidence: Confidence::Checksum,
    detects: "a file named *.p12, *.pfx, *.jks, *.keystore or *.bks whose bytes are a keystore container: PKCS#12 (DER SEQUENCE with version 3), JKS (FEEDFEED), JCEKS (CECECECE) or BKS; an empty or other file of that name is scanned as text",
};

/// Every engine-made finding.
pub const ENGINE_RULES: &[&EngineRule] = &[&KEYSTORE_RULE];

/// Kinds whose findings come from the engine itself rather than from a rule (their coaching still
/// lives in `rules/`).
pub const ENGINE_KINDS: &[&str] = &[KEYSTORE_RULE.kind];

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
    match rule.checksum {
        Some(c) if !c.validate(secret) => return false,
        // A valid checksum is the token format's own proof: a stand-in fails it, while a random
        // token holds `xxxx` or `....` by chance (1 GitHub token in 16,000) and was dropped.
        Some(_) => {}
        None if crate::rules::validate::placeholder::is_placeholder(secret) => return false,
        None => {}
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

impl Scanner<'_> {
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
    pub fn redact_secrets(&self, text: &str) -> String {
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
            let all = 0..text.len();
            let whole = std::slice::from_ref(&all);
            for caps in matching::captures(&matcher.regex, text, whole) {
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
