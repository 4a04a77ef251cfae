//! Settings: the user config (trusted) and `.coach.toml` (the repository's, untrusted) layered into
//! one resolved [`Settings`]. A config that does not parse is an error naming file:line:column and
//! the field, and never turns into "allow".
//!
//! `file` holds the shapes as written, `apply` what each key does, `trust` what a repository may not
//! do, `allowlist` the compiled allowlist, `show` the `config show` listing.
mod allowlist;
mod apply;
mod file;
mod show;
mod trust;

pub use allowlist::Allowlist;
pub use file::*;
pub use trust::*;

use crate::error::Error;
use crate::finding::{Confidence, Finding, Severity, Verdict};
use globset::{GlobBuilder, GlobMatcher};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The ledger's file name in the state folder, unless configured otherwise.
pub const LEDGER_FILE: &str = "ledger.sqlite";

/// The file name looked for at the repository root.
pub const REPO_CONFIG: &str = ".coach.toml";

/// `[push]`, resolved.
#[derive(Debug, Clone, Copy)]
pub struct PushSettings {
    pub max_commits: usize,
    pub allow_truncated: bool,
}

/// Default bound of a pre-push scan: a size guard, not a limit on ordinary work. A first push of a
/// 50,000-commit history to an empty remote scans in seconds (scripts/gen-long-history.sh, #16), so the
/// bound only stops a pathological push (a kernel-sized history) from running unannounced for long;
/// when it trips the hook names what was and was not scanned and exits 2.
pub const DEFAULT_PUSH_MAX_COMMITS: usize = 250_000;

/// `max-file-size` when no config sets it: 10 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

impl Default for PushSettings {
    fn default() -> Self {
        PushSettings {
            max_commits: DEFAULT_PUSH_MAX_COMMITS,
            allow_truncated: false,
        }
    }
}

/// `[ledger]`, resolved. Windows are in seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerSettings {
    pub enabled: bool,
    pub path: Option<PathBuf>,
    pub repeat_window: i64,
    pub contact_window: i64,
    pub contact_after: u32,
    pub repeat_scope: RepeatScope,
}

/// `[ledger] repeat-scope`: whose earlier occurrences make a repeat (see `ledger::repeats`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RepeatScope {
    /// The author's occurrences in every repository on this machine.
    #[default]
    Person,
    /// Only the repository being committed to.
    Repository,
}

impl RepeatScope {
    pub fn as_str(self) -> &'static str {
        match self {
            RepeatScope::Person => "person",
            RepeatScope::Repository => "repository",
        }
    }
}

impl LedgerSettings {
    /// Where the ledger lives: `COACH_LEDGER`, else `path` (from trusted config; relative to the
    /// state folder), else `<state dir>/ledger.sqlite`. `None` when there is no state folder.
    pub fn resolved_path(&self) -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("COACH_LEDGER").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p));
        }
        match &self.path {
            Some(p) if p.is_absolute() => Some(p.clone()),
            Some(p) => crate::state::dir().map(|d| d.join(p)),
            None => crate::state::dir().map(|d| d.join(LEDGER_FILE)),
        }
    }
}

impl Default for LedgerSettings {
    fn default() -> Self {
        LedgerSettings {
            enabled: true,
            path: None,
            repeat_window: 30 * 86_400,
            contact_window: 90 * 86_400,
            contact_after: 3,
            repeat_scope: RepeatScope::Person,
        }
    }
}

/// Policy, resolved.
#[derive(Debug)]
pub struct PolicySettings {
    pub severity: BTreeMap<Severity, Verdict>,
    pub kind: BTreeMap<String, Verdict>,
    pub confidence: BTreeMap<Confidence, Verdict>,
    pub paths: Vec<(GlobMatcher, Verdict)>,
    pub escalate: bool,
    /// Earlier occurrences needed to escalate.
    pub repeat_threshold: u32,
    pub on_error: OnError,
}

impl Default for PolicySettings {
    fn default() -> Self {
        PolicySettings {
            severity: BTreeMap::new(),
            kind: BTreeMap::new(),
            confidence: BTreeMap::new(),
            paths: Vec::new(),
            escalate: true,
            repeat_threshold: 1,
            on_error: OnError::FailClosed,
        }
    }
}

impl PolicySettings {
    /// The configured verdict for a finding, most specific first: path, kind, confidence,
    /// severity.
    pub fn verdict_for(&self, f: &Finding) -> Option<Verdict> {
        self.paths
            .iter()
            .find(|(g, _)| g.is_match(&f.path))
            .map(|(_, v)| *v)
            .or_else(|| self.kind.get(&f.kind).copied())
            .or_else(|| self.confidence.get(&f.confidence).copied())
            .or_else(|| self.severity.get(&f.severity).copied())
    }
}

/// Everything a run needs, resolved from the layered config files.
#[derive(Debug)]
pub struct Settings {
    pub limits: crate::source::Limits,
    pub disabled_rules: Vec<String>,
    pub policy: PolicySettings,
    pub roles: Vec<(String, Vec<GlobMatcher>, String)>,
    pub team_contact: Option<String>,
    pub push: PushSettings,
    pub ledger: LedgerSettings,
    /// The files that were read, in the order they were applied.
    pub files: Vec<PathBuf>,
    /// Extra rule files (absolute, or relative to the working directory), in config order.
    pub extra_rules: Vec<ExtraRules>,
    /// The minimum protection repository config cannot lower.
    pub floor: FloorSettings,
    /// Every way repository config lowered protection (or tried to), in config order.
    pub lowered: Vec<Lowered>,
    pub allowlist: Allowlist,
    /// The baseline file, relative to the repository root.
    pub baseline: PathBuf,
    /// Where each effective value came from, for `coach config show`.
    pub provenance: Vec<Provenance>,
}

/// An extra rules file and whether the person running coach named it (a repository's file may
/// only add rules; a trusted one may also replace a built-in file of the same name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraRules {
    pub path: PathBuf,
    pub trust: Trust,
}

/// One effective value and the file that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// Dotted key; list items repeat the key.
    pub key: String,
    /// The value as TOML.
    pub value: String,
    pub origin: PathBuf,
    /// An item of a list key (`config show` prints the items as one list).
    pub list: bool,
}

/// The default baseline file name, at the repository root.
pub const BASELINE_FILE: &str = ".coach-baseline.toml";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            limits: crate::source::Limits::default(),
            disabled_rules: Vec::new(),
            policy: PolicySettings::default(),
            roles: Vec::new(),
            team_contact: None,
            push: PushSettings::default(),
            ledger: LedgerSettings::default(),
            files: Vec::new(),
            extra_rules: Vec::new(),
            floor: FloorSettings::default(),
            lowered: Vec::new(),
            allowlist: Allowlist::default(),
            baseline: PathBuf::from(BASELINE_FILE),
            provenance: Vec::new(),
        }
    }
}

impl Settings {
    /// Reads the user-level file (if any), then `--config` or else the repository's `.coach.toml`
    /// (if any); later files win, except where the repository is not allowed to decide
    /// (docs/SECURITY.md): it can never choose a file location, and never lower the floor.
    pub fn load(repo_root: Option<&Path>, sources: &Sources) -> Result<Self, Error> {
        let mut settings = Settings::default();
        if sources.strict_floor {
            settings.floor.refuse.extend(Lowering::ALL);
            settings.set(
                "floor.strict",
                "true".into(),
                Path::new("--policy-floor / COACH_POLICY_FLOOR"),
            );
        }
        if let Some(user) = user_config_path().filter(|p| p.is_file()) {
            let text = read_trusted(&user)?;
            settings.apply(parse(&user, &text)?, &user, &text, Trust::Trusted)?;
            settings.files.push(user);
        }
        if let Some(p) = &sources.explicit {
            let text = read_trusted(p)?;
            settings.apply(parse(p, &text)?, p, &text, Trust::Trusted)?;
            settings.files.push(p.clone());
        } else if !sources.no_repo_config {
            let found = match (&sources.repo_config, repo_root) {
                // Named on the command line: trusted as a location, untrusted as content.
                (Some(p), _) => Some((p.clone(), read_trusted(p)?)),
                (None, Some(root)) => {
                    let p = root.join(REPO_CONFIG);
                    crate::repofile::read_inside(
                        root,
                        &p,
                        "repository config",
                        crate::repofile::MAX_CONFIG_BYTES,
                    )?
                    .map(|t| (p, t))
                }
                (None, None) => None,
            };
            if let Some((p, text)) = found {
                settings.apply(parse(&p, &text)?, &p, &text, Trust::Repository)?;
                settings.files.push(p);
            }
        }
        settings.allowlist.compile_paths()?;
        Ok(settings)
    }

    /// The one line every run prints when repository config lowered protection (or tried to).
    pub fn lowered_summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        let join = |refused: bool| {
            self.lowered
                .iter()
                .filter(|l| l.refused == refused)
                .map(|l| l.detail.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let kept = join(false);
        if !kept.is_empty() {
            out.push(format!(
                "repo config lowers protection: {kept} (coach config show)"
            ));
        }
        let refused = join(true);
        if !refused.is_empty() {
            out.push(format!(
                "repo config tried to lower protection; the floor refused and ignored: {refused}"
            ));
        }
        out
    }

    /// Records a lowering by repository config and says whether it may take effect.
    pub(super) fn lower(
        &mut self,
        trust: Trust,
        what: Lowering,
        detail: String,
        origin: &Path,
    ) -> bool {
        if trust == Trust::Trusted {
            return true;
        }
        let refused = self.floor.refuse.contains(&what);
        self.lowered.push(Lowered {
            what: what.name(),
            detail,
            origin: origin.to_path_buf(),
            refused,
        });
        !refused
    }

    pub(super) fn set(&mut self, key: &str, value: String, origin: &Path) {
        self.provenance.retain(|p| p.key != key);
        self.provenance.push(Provenance {
            key: key.to_owned(),
            value,
            origin: origin.to_path_buf(),
            list: false,
        });
    }

    pub(super) fn push(&mut self, key: &str, value: String, origin: &Path) {
        self.provenance.push(Provenance {
            key: key.to_owned(),
            value,
            origin: origin.to_path_buf(),
            list: true,
        });
    }

    /// Every credential kind named in `[policy.kind]` and `floor.block-kinds` must be one the rules
    /// define (`known`): a misspelt kind would otherwise never match and silently do nothing. The
    /// error names the nearest kinds (#16).
    pub fn check_kinds<'a>(
        &self,
        known: impl Iterator<Item = &'a str> + Clone,
    ) -> Result<(), Error> {
        let named = self.policy.kind.keys().map(|k| ("policy.kind", k)).chain(
            self.floor
                .block_kinds
                .iter()
                .map(|k| ("floor.block-kinds", k)),
        );
        for (key, kind) in named {
            if known.clone().any(|k| k == kind) {
                continue;
            }
            let origin = self
                .provenance
                .iter()
                .rev()
                .find(|p| {
                    p.key.starts_with(key)
                        && (p.key.contains(kind.as_str()) || p.value.contains(kind.as_str()))
                })
                .map(|p| format!(" (in {})", p.origin.display()))
                .unwrap_or_default();
            return Err(Error::Usage(format!(
                "{key}: unknown credential kind {}{origin}; the nearest valid kinds: {} (`coach rules list` shows every kind)",
                quote(kind),
                nearest(kind, known.clone(), 3).join(", ")
            )));
        }
        Ok(())
    }

    /// True when `policy.on-error = "fail-open"`.
    pub fn fail_open(&self) -> bool {
        self.policy.on_error == OnError::FailOpen
    }

    /// The role owning a path, if any (first match in config order).
    pub fn role_for(&self, path: &str) -> Option<&str> {
        self.roles
            .iter()
            .find(|(_, globs, _)| globs.iter().any(|g| g.is_match(path)))
            .map(|(n, _, _)| n.as_str())
    }
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Reads a file the person running coach chose (user config, `--config`).
pub(super) fn read_trusted(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A TOML basic string.
pub(super) fn quote(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// The `n` values of `valid` nearest to `given` (for "did you mean" lists in errors and notes).
pub fn nearest<'a>(given: &str, valid: impl Iterator<Item = &'a str>, n: usize) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = valid.map(|v| (strsim::jaro_winkler(given, v), v)).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(n)
        .map(|(_, v)| v.to_owned())
        .collect()
}

/// Every glob a config file holds (`allowlist.paths`, `policy.paths`, `roles.*.paths`) is checked
/// here, so a pattern accepted under one key is accepted under all (#16). What a match means still
/// differs: `allowlist.paths` are gitignore lines, the others match the whole repository path.
pub(super) fn check_glob(key: &str, g: &str) -> Result<GlobMatcher, String> {
    if g.trim().is_empty() {
        return Err(format!("{key}: an empty glob matches nothing"));
    }
    glob(g).map_err(|e| format!("{key}: {e}"))
}

pub(super) fn glob(g: &str) -> Result<GlobMatcher, String> {
    GlobBuilder::new(g)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| e.to_string())
}

pub(super) fn field_error(path: &Path, text: &str, needle: &str, msg: &str) -> Error {
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

    #[test]
    fn the_team_example_is_valid() {
        let path = Path::new("examples/team.coach.toml");
        let text = include_str!("../../examples/team.coach.toml");
        let mut settings = Settings::default();
        settings
            .apply(parse(path, text).unwrap(), path, text, Trust::Repository)
            .unwrap();
        settings.allowlist.compile_paths().unwrap();
        assert_eq!(settings.policy.on_error, OnError::FailClosed);
        assert_eq!(
            settings
                .allowlist
                .path_reason("tests/fixtures/a/b.txt")
                .as_deref(),
            Some("allowlist.paths: tests/fixtures/")
        );
        assert_eq!(
            settings
                .allowlist
                .path_reason("tests/fixtures/real-keys-do-not-commit/k"),
            None,
            "a later !pattern re-includes"
        );
        assert!(settings
            .allowlist
            .secret_reason("abc", "KEY=abc # test-credential")
            .is_some());
        assert_eq!(
            settings.extra_rules,
            [ExtraRules {
                path: "examples/.coach/acme-rules.toml".into(),
                trust: Trust::Repository
            }]
        );
    }
}
