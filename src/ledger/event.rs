//! What the ledger stores: one [`Event`] per finding or run, and the [`Action`] a person took.
use crate::finding::{Finding, SuppressionKind, Verdict};
use serde::{Deserialize, Serialize};

/// What a person did with a finding (or a whole run, for bypasses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Blocked,
    Warned,
    AllowedInline,
    AllowedBaseline,
    /// A config allowlist (path, regex or stop word) matched.
    AllowedConfig,
    /// Policy set the verdict to allow (no suppression).
    AllowedPolicy,
    Bypassed,
    Fixed,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Blocked,
        Action::Warned,
        Action::AllowedInline,
        Action::AllowedBaseline,
        Action::AllowedConfig,
        Action::AllowedPolicy,
        Action::Bypassed,
        Action::Fixed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Blocked => "blocked",
            Action::Warned => "warned",
            Action::AllowedInline => "allowed-inline",
            Action::AllowedBaseline => "allowed-baseline",
            Action::AllowedConfig => "allowed-config",
            Action::AllowedPolicy => "allowed-policy",
            Action::Bypassed => "bypassed",
            Action::Fixed => "fixed",
        }
    }

    pub(super) fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn is_allow(self) -> bool {
        matches!(
            self,
            Action::AllowedInline
                | Action::AllowedBaseline
                | Action::AllowedConfig
                | Action::AllowedPolicy
        )
    }

    /// The action a finding's decided verdict stands for.
    pub fn of(f: &Finding) -> Action {
        match (&f.suppression, f.verdict) {
            (Some(s), _) => match s.kind {
                SuppressionKind::Inline => Action::AllowedInline,
                SuppressionKind::Baseline => Action::AllowedBaseline,
                SuppressionKind::Config => Action::AllowedConfig,
            },
            (None, Verdict::Block) => Action::Blocked,
            (None, Verdict::Warn) => Action::Warned,
            (None, Verdict::Allow) => Action::AllowedPolicy,
        }
    }
}

/// One row of the ledger. Exported as-is by `coach stats --export jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Seconds since the Unix epoch.
    pub time: i64,
    /// The `origin` URL without credentials, else `path-sha256:<hash of the repository path>`.
    pub repo: String,
    pub author: String,
    /// `pre-commit`, `pre-push`...
    pub stage: String,
    pub rule_id: Option<String>,
    pub kind: Option<String>,
    pub exposure: Option<String>,
    pub verdict: Option<String>,
    pub action: Action,
    /// The finding's keyed fingerprint.
    pub fingerprint: Option<String>,
    pub role: Option<String>,
    /// Why: an allow's reason, or how a bypass happened.
    pub reason: Option<String>,
    /// Seconds from the first block to the fix (`fixed` only).
    pub duration: Option<i64>,
    /// The commit a pre-push bypass was found in.
    pub commit: Option<String>,
    /// Earlier occurrences of the kind by the author inside the repeat window, when it was recorded.
    pub repeat: u32,
}

impl Event {
    /// A finding's event, with its decided verdict.
    pub fn of(f: &Finding, repo: &str, author: &str, stage: &str, time: i64) -> Event {
        Event {
            time,
            repo: repo.to_owned(),
            author: author.to_owned(),
            stage: stage.to_owned(),
            rule_id: Some(f.rule_id.clone()),
            kind: Some(f.kind.clone()),
            exposure: Some(f.exposure.as_str().to_owned()),
            verdict: Some(f.verdict.as_str().to_owned()),
            action: Action::of(f),
            fingerprint: Some(f.fingerprint.clone()),
            role: f.role.clone(),
            reason: f.suppression.as_ref().map(|s| s.reason.clone()),
            duration: None,
            commit: f.commit.as_ref().map(|c| c.id.clone()),
            repeat: f.repeat.as_ref().map_or(0, |r| r.count),
        }
    }

    /// A run-level event with no finding (a skipped scan).
    pub fn run(action: Action, repo: &str, author: &str, stage: &str, time: i64) -> Event {
        Event {
            time,
            repo: repo.to_owned(),
            author: author.to_owned(),
            stage: stage.to_owned(),
            rule_id: None,
            kind: None,
            exposure: None,
            verdict: None,
            action,
            fingerprint: None,
            role: None,
            reason: None,
            duration: None,
            commit: None,
            repeat: 0,
        }
    }
}

/// A block not yet followed by a fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenBlock {
    pub fingerprint: String,
    pub rule_id: Option<String>,
    pub kind: Option<String>,
    pub role: Option<String>,
    /// When it was first blocked (after the last fix of the same fingerprint).
    pub since: i64,
}

#[cfg(test)]
pub(super) fn ev(time: i64, author: &str, kind: &str, fp: &str, action: Action) -> Event {
    let mut e = Event::run(action, "r", author, "pre-commit", time);
    e.kind = Some(kind.into());
    e.fingerprint = Some(fp.into());
    e
}
