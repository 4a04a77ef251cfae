//! Policy: turns a finding into a verdict. Pure: it reads the settings and what the ledger knows, and
//! decides; it never prints and never touches Git.
use crate::config::Settings;
use crate::finding::{Finding, SuppressionKind, Verdict};

/// Decides one finding's verdict in place.
pub fn decide(settings: &Settings, finding: &mut Finding) {
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
    finding.verdict = verdict(settings, finding);
    if floor && finding.suppression.is_none() {
        finding.verdict = Verdict::Block;
    }
}

fn verdict(settings: &Settings, f: &Finding) -> Verdict {
    if f.suppression.is_some() {
        return Verdict::Allow;
    }
    let mut v = settings.policy.verdict_for(f).unwrap_or(f.default_verdict);
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

/// The overall verdict of a run: the strictest of its findings.
pub fn overall(findings: &[Finding]) -> Verdict {
    findings
        .iter()
        .map(|f| f.verdict)
        .max()
        .unwrap_or(Verdict::Allow)
}
