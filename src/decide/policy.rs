//! Policy: turns a finding into a verdict. Pure: it reads the settings and what the ledger knows, and
//! decides; it never prints and never touches Git.
use crate::config::Settings;
use crate::finding::{Finding, SuppressionKind, Verdict};

/// Decides one finding's verdict in place. `repo_path` is the finding's path relative to the
/// repository root, which `policy.paths` globs are written against (a path scan's `f.path` is
/// relative to the working directory instead).
pub fn decide(settings: &Settings, finding: &mut Finding, repo_path: &str) {
    let floor = settings.floor.block_kinds.contains(&finding.kind);
    // A floor kind blocks whatever config says: a config allowlist does not cover it (an inline
    // allow and the baseline still do: each is visible at the finding itself).
    if floor
        && finding
            .suppression
            .as_ref()
            .is_some_and(|s| s.kind == SuppressionKind::Config)
    {
        finding.suppression = None;
    }
    finding.verdict = verdict(settings, finding, repo_path);
    if floor && finding.suppression.is_none() {
        finding.verdict = Verdict::Block;
    }
}

fn verdict(settings: &Settings, f: &Finding, repo_path: &str) -> Verdict {
    if f.suppression.is_some() {
        return Verdict::Allow;
    }
    let mut v = configured(settings, f, repo_path).unwrap_or(f.default_verdict);
    // A repeat of the same kind inside the window turns a warning into a block (escalation).
    if v == Verdict::Warn
        && settings.policy.escalate
        && f.repeat
            .as_ref()
            .is_some_and(|r| r.count >= settings.policy.repeat_threshold)
    {
        v = Verdict::Block;
    }
    v
}

/// The configured verdict, most specific first: path, kind, confidence, severity. Confidence comes
/// before severity: it says how sure this finding is, severity only what such a credential is worth.
fn configured(settings: &Settings, f: &Finding, repo_path: &str) -> Option<Verdict> {
    let p = &settings.policy;
    p.paths
        .iter()
        .find(|(g, _)| g.is_match(repo_path))
        .map(|(_, v)| *v)
        .or_else(|| p.kind.get(&f.kind).copied())
        .or_else(|| p.confidence.get(&f.confidence).copied())
        .or_else(|| p.severity.get(&f.severity).copied())
}

/// The overall verdict of a run: the strictest of its findings.
pub fn overall(findings: &[Finding]) -> Verdict {
    findings
        .iter()
        .map(|f| f.verdict)
        .max()
        .unwrap_or(Verdict::Allow)
}
