//! Policy: turns a finding into a verdict. Pure: it reads the settings and what the ledger knows, and
//! decides; it never prints and never touches Git.
use crate::config::Settings;
use crate::finding::{Finding, Verdict};

/// Decides one finding's verdict in place.
pub fn decide(settings: &Settings, finding: &mut Finding) {
    finding.verdict = verdict(settings, finding);
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
