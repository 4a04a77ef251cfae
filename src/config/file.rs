//! Config files as written: the serde shapes of `.coach.toml` and the user config, parsed strictly
//! (unknown keys and wrong types are errors naming file:line:column).
use crate::error::Error;
use crate::finding::{Confidence, Severity, Verdict};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// One config file as written. Every field is optional so files can be layered.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Config {
    pub max_file_size: Option<u64>,
    #[serde(default)]
    pub disabled_rules: Vec<String>,
    pub policy: Option<PolicyConfig>,
    #[serde(default)]
    pub roles: Vec<RoleConfig>,
    pub team_contact: Option<String>,
    pub ledger: Option<LedgerConfig>,
    /// Rule files in the same format as `rules/`, relative to this config file.
    #[serde(default)]
    pub extra_rules: Vec<Spanned<String>>,
    pub allowlist: Option<AllowlistConfig>,
    /// The baseline file, relative to the repository root (default `.coach-baseline.toml`).
    pub baseline: Option<String>,
    pub push: Option<PushConfig>,
    /// `[floor]`: the minimum protection. Trusted files only (user config, `--config`).
    pub floor: Option<FloorConfig>,
}

/// `[floor]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FloorConfig {
    /// Refuse every lowering from repository config (the same as `--policy-floor strict`).
    pub strict: Option<bool>,
    /// Lowerings repository config may not make, by name (see [`Lowering`]).
    #[serde(default)]
    pub refuse: Vec<Spanned<String>>,
    /// Credential kinds whose findings always block, whatever repository config says.
    #[serde(default)]
    pub block_kinds: Vec<String>,
}

/// `[allowlist]`: findings that match are reported as allowed (suppression kind `config`), never
/// silently dropped.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AllowlistConfig {
    /// gitignore-style globs, relative to the repository root.
    #[serde(default)]
    pub paths: Vec<Spanned<String>>,
    /// Regexes matched against the secret itself.
    #[serde(default)]
    pub regexes: Vec<Spanned<String>>,
    /// Regexes matched against the whole line the secret starts on.
    #[serde(default)]
    pub line_regexes: Vec<Spanned<String>>,
    /// Case-insensitive substrings of the secret that mark it as a known non-secret.
    #[serde(default)]
    pub stop_words: Vec<String>,
}

/// What happens when coach itself fails (a unit that cannot be read, a Git error).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnError {
    /// Exit 2: the commit or push does not go through (the default).
    #[default]
    FailClosed,
    /// Print the error loudly and allow. A broken config still never allows.
    FailOpen,
}

// By hand, so a wrong type says which strings are valid (serde's enum error for a boolean is only
// "wanted string or table").
impl<'de> Deserialize<'de> for OnError {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = OnError;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("`fail-closed` or `fail-open`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OnError, E> {
                match v {
                    "fail-closed" => Ok(OnError::FailClosed),
                    "fail-open" => Ok(OnError::FailOpen),
                    other => Err(E::unknown_variant(other, &["fail-closed", "fail-open"])),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl OnError {
    pub fn as_str(self) -> &'static str {
        match self {
            OnError::FailClosed => "fail-closed",
            OnError::FailOpen => "fail-open",
        }
    }
}

/// `[push]`: bounds of the pre-push scan.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PushConfig {
    /// Most commits one push scans (default 250,000: a size guard).
    pub max_commits: Option<usize>,
    /// When a push holds more commits than that, scan the newest and pass instead of exiting 2.
    pub allow_truncated: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PolicyConfig {
    /// Verdict per severity: `{ medium = "block" }`.
    #[serde(default)]
    pub severity: BTreeMap<Severity, Verdict>,
    /// Verdict per credential kind.
    #[serde(default)]
    pub kind: BTreeMap<String, Verdict>,
    /// Verdict per confidence: `{ keyword-entropy = "block" }`.
    #[serde(default)]
    pub confidence: BTreeMap<Confidence, Verdict>,
    /// Verdict per path glob, first match wins.
    #[serde(default)]
    pub paths: Vec<PathPolicy>,
    /// Escalate warn to block on a repeat (default true).
    pub escalate: Option<bool>,
    /// `fail-closed` (default) or `fail-open` on an internal error.
    pub on_error: Option<OnError>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PathPolicy {
    pub glob: String,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RoleConfig {
    pub name: String,
    pub paths: Vec<String>,
    pub coaching: String,
}

/// `[ledger]`: where behaviour is recorded and how repeats are counted.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct LedgerConfig {
    /// Record and read the ledger at all (default true).
    pub enabled: Option<bool>,
    /// The ledger file (default `<state dir>/ledger.sqlite`; `COACH_LEDGER` wins over this).
    /// Trusted files only.
    pub path: Option<Spanned<PathBuf>>,
    /// How far back a repeat counts, like "30d" (default 30 days).
    pub repeat_window: Option<String>,
    /// Whose earlier occurrences count: "person" (all repositories, default) or "repository".
    pub repeat_scope: Option<crate::config::RepeatScope>,
    /// Earlier occurrences of a kind inside the repeat window that turn warn into block (default 1).
    pub escalate_after: Option<u32>,
    /// How far back occurrences count towards the team contact, like "90d" (default 90 days).
    pub contact_window: Option<String>,
    /// Occurrences of a kind inside the contact window, this one included, that add the team contact
    /// to the coaching (default 3).
    pub contact_after: Option<u32>,
}

pub fn parse(path: &Path, text: &str) -> Result<Config, Error> {
    toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        Error::at_offset(path, text, offset, e.message().trim())
    })
}
