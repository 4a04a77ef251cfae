//! `.coach.toml` (repository) and the user-level config file, parsed strictly into [`Config`] and
//! resolved into [`Settings`]. A config that does not parse is an error naming file:line:column and
//! the field, and never turns into "allow".
use crate::error::Error;
use crate::finding::{Finding, Severity, Verdict};
use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name looked for at the repository root.
pub const REPO_CONFIG: &str = ".coach.toml";

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
    pub push: Option<PushConfig>,
}

/// `[ledger]`: where behaviour is recorded and how repeats are counted.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct LedgerConfig {
    /// Record and read the ledger at all (default true).
    pub enabled: Option<bool>,
    /// The ledger file (default `<state dir>/ledger.sqlite`; `COACH_LEDGER` wins over this).
    pub path: Option<PathBuf>,
    /// How far back a repeat counts, like "30d" (default 30 days).
    pub repeat_window: Option<String>,
    /// Earlier occurrences of a kind inside the repeat window that turn warn into block (default 1).
    pub escalate_after: Option<u32>,
    /// How far back occurrences count towards the team contact, like "90d" (default 90 days).
    pub contact_window: Option<String>,
    /// Occurrences of a kind inside the contact window, this one included, that add the team contact
    /// to the coaching (default 3).
    pub contact_after: Option<u32>,
}

/// `[ledger]`, resolved. Windows are in seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerSettings {
    pub enabled: bool,
    pub path: Option<PathBuf>,
    pub repeat_window: i64,
    pub contact_window: i64,
    pub contact_after: u32,
}

impl Default for LedgerSettings {
    fn default() -> Self {
        LedgerSettings {
            enabled: true,
            path: None,
            repeat_window: 30 * 86_400,
            contact_window: 90 * 86_400,
            contact_after: 3,
        }
    }
}

/// `[push]`: bounds of the pre-push scan.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PushConfig {
    /// Most commits one push scans (default 1000).
    pub max_commits: Option<usize>,
    /// When a push holds more commits than that, scan the newest and pass instead of exiting 2.
    pub allow_truncated: Option<bool>,
}

/// `[push]`, resolved.
#[derive(Debug, Clone, Copy)]
pub struct PushSettings {
    pub max_commits: usize,
    pub allow_truncated: bool,
}

/// Default bound of a pre-push scan: far above an ordinary push, low enough to stay fast when a
/// whole history is pushed to an empty remote.
pub const DEFAULT_PUSH_MAX_COMMITS: usize = 1000;

impl Default for PushSettings {
    fn default() -> Self {
        PushSettings {
            max_commits: DEFAULT_PUSH_MAX_COMMITS,
            allow_truncated: false,
        }
    }
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
    /// Verdict per path glob, first match wins.
    #[serde(default)]
    pub paths: Vec<PathPolicy>,
    /// Escalate warn to block on a repeat (default true).
    pub escalate: Option<bool>,
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

/// Policy, resolved.
#[derive(Debug)]
pub struct PolicySettings {
    pub severity: BTreeMap<Severity, Verdict>,
    pub kind: BTreeMap<String, Verdict>,
    pub paths: Vec<(GlobMatcher, Verdict)>,
    pub escalate: bool,
    /// Earlier occurrences needed to escalate.
    pub repeat_threshold: u32,
}

impl Default for PolicySettings {
    fn default() -> Self {
        PolicySettings {
            severity: BTreeMap::new(),
            kind: BTreeMap::new(),
            paths: Vec::new(),
            escalate: true,
            repeat_threshold: 1,
        }
    }
}

impl PolicySettings {
    /// The configured verdict for a finding, most specific first: path, kind, severity.
    pub fn verdict_for(&self, f: &Finding) -> Option<Verdict> {
        self.paths
            .iter()
            .find(|(g, _)| g.is_match(&f.path))
            .map(|(_, v)| *v)
            .or_else(|| self.kind.get(&f.kind).copied())
            .or_else(|| self.severity.get(&f.severity).copied())
    }
}

/// Everything a run needs, resolved from the layered config files.
#[derive(Debug, Default)]
pub struct Settings {
    pub limits: crate::source::Limits,
    pub disabled_rules: Vec<String>,
    pub policy: PolicySettings,
    pub roles: Vec<(String, Vec<GlobMatcher>, String)>,
    pub team_contact: Option<String>,
    pub ledger: LedgerSettings,
    pub push: PushSettings,
    /// The files that were read, in the order they were applied.
    pub files: Vec<PathBuf>,
}

impl Settings {
    /// Reads the user-level file (if any) then the repository's (if any); the repository wins.
    pub fn load(repo_root: Option<&Path>, explicit: Option<&Path>) -> Result<Self, Error> {
        let mut settings = Settings::default();
        let mut files = Vec::new();
        if let Some(user) = user_config_path().filter(|p| p.is_file()) {
            files.push(user);
        }
        match explicit {
            Some(p) => files.push(p.to_path_buf()),
            None => {
                if let Some(p) = repo_root
                    .map(|r| r.join(REPO_CONFIG))
                    .filter(|p| p.exists())
                {
                    files.push(p);
                }
            }
        }
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let config = parse(&path, &text)?;
            settings.apply(config, &path, &text)?;
            settings.files.push(path);
        }
        Ok(settings)
    }

    fn apply(&mut self, c: Config, path: &Path, text: &str) -> Result<(), Error> {
        if let Some(n) = c.max_file_size {
            self.limits.max_file_size = n;
        }
        self.disabled_rules.extend(c.disabled_rules);
        if let Some(p) = c.policy {
            self.policy.severity.extend(p.severity);
            self.policy.kind.extend(p.kind);
            for pp in p.paths {
                let g = glob(&pp.glob).map_err(|msg| {
                    field_error(path, text, &pp.glob, &format!("policy.paths.glob: {msg}"))
                })?;
                self.policy.paths.push((g, pp.verdict));
            }
            if let Some(e) = p.escalate {
                self.policy.escalate = e;
            }
        }
        for r in c.roles {
            let mut globs = Vec::new();
            for g in &r.paths {
                globs.push(
                    glob(g).map_err(|msg| {
                        field_error(path, text, g, &format!("roles.paths: {msg}"))
                    })?,
                );
            }
            self.roles.retain(|(n, _, _)| n != &r.name);
            self.roles.push((r.name, globs, r.coaching));
        }
        if c.team_contact.is_some() {
            self.team_contact = c.team_contact;
        }
        if let Some(p) = c.push {
            if let Some(n) = p.max_commits {
                self.push.max_commits = n;
            }
            if let Some(a) = p.allow_truncated {
                self.push.allow_truncated = a;
            }
        }
        if let Some(l) = c.ledger {
            self.apply_ledger(l, path, text)?;
        }
        Ok(())
    }

    fn apply_ledger(&mut self, l: LedgerConfig, path: &Path, text: &str) -> Result<(), Error> {
        let window = |w: &str, key: &str| {
            crate::time::parse_window(w)
                .map_err(|msg| field_error(path, text, w, &format!("ledger.{key}: {msg}")))
        };
        if let Some(e) = l.enabled {
            self.ledger.enabled = e;
        }
        if let Some(p) = l.path {
            self.ledger.path = Some(p);
        }
        if let Some(w) = &l.repeat_window {
            self.ledger.repeat_window = window(w, "repeat-window")?;
        }
        if let Some(w) = &l.contact_window {
            self.ledger.contact_window = window(w, "contact-window")?;
        }
        if let Some(n) = l.escalate_after {
            // Zero earlier occurrences would escalate every first-timer: at least one is needed.
            self.policy.repeat_threshold = n.max(1);
        }
        if let Some(n) = l.contact_after {
            self.ledger.contact_after = n;
        }
        Ok(())
    }

    /// The role owning a path, if any (first match in config order).
    pub fn role_for(&self, path: &str) -> Option<&str> {
        self.roles
            .iter()
            .find(|(_, globs, _)| globs.iter().any(|g| g.is_match(path)))
            .map(|(n, _, _)| n.as_str())
    }
}

pub fn parse(path: &Path, text: &str) -> Result<Config, Error> {
    toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        Error::at_offset(path, text, offset, e.message().trim())
    })
}

fn glob(g: &str) -> Result<GlobMatcher, String> {
    GlobBuilder::new(g)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| e.to_string())
}

fn field_error(path: &Path, text: &str, needle: &str, msg: &str) -> Error {
    let offset = text.find(needle).unwrap_or(0);
    Error::at_offset(path, text, offset, msg)
}

/// `$XDG_CONFIG_HOME/coach/config.toml`, else `~/.config/coach/config.toml`; `COACH_CONFIG` overrides.
pub fn user_config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("COACH_CONFIG") {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("coach").join("config.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_file_line_and_expected_keys() {
        let err = parse(
            Path::new(".coach.toml"),
            "max-file-size = 10\nmax-fille = 3\n",
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with(".coach.toml:2:1: unknown field `max-fille`"),
            "{msg}"
        );
        assert!(msg.contains("max-file-size"), "{msg}");
    }

    #[test]
    fn wrong_type_is_an_error() {
        let err = parse(Path::new("c.toml"), "max-file-size = \"big\"\n").unwrap_err();
        assert!(err.to_string().starts_with("c.toml:1:17:"), "{err}");
    }
}
