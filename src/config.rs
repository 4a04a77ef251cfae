//! `.coach.toml` (repository) and the user-level config file, parsed strictly into [`Config`] and
//! resolved into [`Settings`]. A config that does not parse is an error naming file:line:column and
//! the field, and never turns into "allow".
use crate::error::Error;
use crate::finding::{kebab, Finding, Severity, Verdict};
use globset::{GlobBuilder, GlobMatcher};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

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

/// Who wrote a config file, which decides what it may set (docs/SECURITY.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// The user-level file or a file named by `--config`: the person running coach wrote it.
    Trusted,
    /// `.coach.toml` (or `--repo-config`): written by whoever wrote the repository.
    Repository,
}

/// The ways repository config can lower protection. Each is always reported, and each can be
/// refused by the floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lowering {
    DisabledRules,
    AllowlistPaths,
    AllowlistPatterns,
    LowerVerdicts,
    NoEscalation,
    FailOpen,
    MaxFileSize,
    AllowTruncated,
    Ledger,
}

impl Lowering {
    pub const ALL: [Lowering; 9] = [
        Lowering::DisabledRules,
        Lowering::AllowlistPaths,
        Lowering::AllowlistPatterns,
        Lowering::LowerVerdicts,
        Lowering::NoEscalation,
        Lowering::FailOpen,
        Lowering::MaxFileSize,
        Lowering::AllowTruncated,
        Lowering::Ledger,
    ];

    /// The name used in `[floor] refuse` and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Lowering::DisabledRules => "disabled-rules",
            Lowering::AllowlistPaths => "allowlist-paths",
            Lowering::AllowlistPatterns => "allowlist-patterns",
            Lowering::LowerVerdicts => "lower-verdicts",
            Lowering::NoEscalation => "no-escalation",
            Lowering::FailOpen => "fail-open",
            Lowering::MaxFileSize => "max-file-size",
            Lowering::AllowTruncated => "allow-truncated",
            Lowering::Ledger => "ledger",
        }
    }

    fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == s)
    }
}

/// One way repository config lowered protection (or tried to, when the floor refused it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Lowered {
    pub what: &'static str,
    /// Human words, such as "232 rules disabled".
    pub detail: String,
    pub origin: PathBuf,
    /// True when the floor refused it: the setting was ignored.
    pub refused: bool,
}

/// `[floor]`, resolved (plus `--policy-floor` / `COACH_POLICY_FLOOR`).
#[derive(Debug, Clone, Default)]
pub struct FloorSettings {
    pub refuse: std::collections::BTreeSet<Lowering>,
    pub block_kinds: std::collections::BTreeSet<String>,
}

/// Where settings come from, as chosen on the command line or in the environment (all trusted).
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `--config FILE`: read instead of the repository's `.coach.toml`, as trusted.
    pub explicit: Option<PathBuf>,
    /// `--repo-config FILE`: read instead of `.coach.toml`, as repository (untrusted) config; CI
    /// passes the base branch's file so a pull request cannot loosen its own scan.
    pub repo_config: Option<PathBuf>,
    /// `--no-repo-config`: ignore `.coach.toml` entirely.
    pub no_repo_config: bool,
    /// `--policy-floor strict`: refuse every lowering from repository config.
    pub strict_floor: bool,
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

/// Policy, resolved.
#[derive(Debug)]
pub struct PolicySettings {
    pub severity: BTreeMap<Severity, Verdict>,
    pub kind: BTreeMap<String, Verdict>,
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
            paths: Vec::new(),
            escalate: true,
            repeat_threshold: 1,
            on_error: OnError::FailClosed,
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
}

/// The default baseline file name, at the repository root.
pub const BASELINE_FILE: &str = ".coach-baseline.toml";
/// Longest allowlist regex accepted, in bytes, and the compiled size cap: a config is data from the
/// repository, and a pathological pattern must not make every commit slow.
const MAX_REGEX_LEN: usize = 1024;
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// `[allowlist]`, resolved and compiled.
#[derive(Debug, Default)]
pub struct Allowlist {
    paths: Vec<String>,
    path_matcher: Option<Gitignore>,
    regexes: Vec<Regex>,
    line_regexes: Vec<Regex>,
    /// Lower-cased.
    stop_words: Vec<String>,
}

impl Allowlist {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
            && self.regexes.is_empty()
            && self.line_regexes.is_empty()
            && self.stop_words.is_empty()
    }

    /// Why a repository-relative path is allowlisted, if it is.
    pub fn path_reason(&self, path: &str) -> Option<String> {
        let m = self.path_matcher.as_ref()?;
        // The matcher panics on paths outside its root; callers pass repository-relative paths.
        if Path::new(path).has_root() {
            return None;
        }
        match m.matched_path_or_any_parents(path, false) {
            ignore::Match::Ignore(g) => Some(format!("allowlist.paths: {}", g.original())),
            _ => None,
        }
    }

    /// Why a secret (or the line it is on) is allowlisted, if it is.
    pub fn secret_reason(&self, secret: &str, line: &str) -> Option<String> {
        if let Some(r) = self.regexes.iter().find(|r| r.is_match(secret)) {
            return Some(format!("allowlist.regexes: {}", r.as_str()));
        }
        if let Some(r) = self.line_regexes.iter().find(|r| r.is_match(line)) {
            return Some(format!("allowlist.line-regexes: {}", r.as_str()));
        }
        let lower = secret.to_lowercase();
        self.stop_words
            .iter()
            .find(|w| lower.contains(w.as_str()))
            .map(|w| format!("allowlist.stop-words: {w}"))
    }

    fn compile_paths(&mut self) -> Result<(), Error> {
        if self.paths.is_empty() {
            self.path_matcher = None;
            return Ok(());
        }
        // Patterns were validated one by one when read, so this only fails on I/O-free edge cases.
        let mut b = GitignoreBuilder::new("");
        for p in &self.paths {
            b.add_line(None, p)
                .map_err(|e| Error::Usage(format!("allowlist.paths: {e}")))?;
        }
        self.path_matcher = Some(
            b.build()
                .map_err(|e| Error::Usage(format!("allowlist.paths: {e}")))?,
        );
        Ok(())
    }
}

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

    /// Lowered protection from repository config that was kept (not refused by the floor).
    pub fn lowered_kept(&self) -> impl Iterator<Item = &Lowered> {
        self.lowered.iter().filter(|l| !l.refused)
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
    fn lower(&mut self, trust: Trust, what: Lowering, detail: String, origin: &Path) -> bool {
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

    fn set(&mut self, key: &str, value: String, origin: &Path) {
        self.provenance.retain(|p| p.key != key);
        self.push(key, value, origin);
    }

    fn push(&mut self, key: &str, value: String, origin: &Path) {
        self.provenance.push(Provenance {
            key: key.to_owned(),
            value,
            origin: origin.to_path_buf(),
        });
    }

    /// True when `policy.on-error = "fail-open"`.
    pub fn fail_open(&self) -> bool {
        self.policy.on_error == OnError::FailOpen
    }

    fn apply(&mut self, c: Config, path: &Path, text: &str, trust: Trust) -> Result<(), Error> {
        let untrusted = trust == Trust::Repository;
        // Keys a repository may never set: where coach writes, and the floor itself.
        if untrusted {
            if let Some(p) = c.ledger.as_ref().and_then(|l| l.path.as_ref()) {
                return Err(Error::at_offset(
                    path,
                    text,
                    p.span().start,
                    "ledger.path: not allowed in repository config (a repository must not choose where coach writes); set it in the user config, COACH_LEDGER or --config",
                ));
            }
            if c.floor.is_some() {
                return Err(field_error(
                    path,
                    text,
                    "[floor]",
                    "floor: not allowed in repository config (the floor protects the user from the repository); set it in the user config or with --policy-floor",
                ));
            }
        }
        if let Some(f) = c.floor {
            self.apply_floor(f, path, text)?;
        }
        if let Some(n) = c.max_file_size {
            let default = crate::source::Limits::default().max_file_size;
            let raises = n > self.limits.max_file_size.max(default);
            if !raises
                || self.lower(
                    trust,
                    Lowering::MaxFileSize,
                    format!("max-file-size raised to {n} bytes"),
                    path,
                )
            {
                self.limits.max_file_size = n;
                self.set("max-file-size", n.to_string(), path);
            }
        }
        if !c.disabled_rules.is_empty()
            && self.lower(
                trust,
                Lowering::DisabledRules,
                plural(c.disabled_rules.len(), "rule disabled", "rules disabled"),
                path,
            )
        {
            for id in &c.disabled_rules {
                self.push("disabled-rules", quote(id), path);
            }
            self.disabled_rules.extend(c.disabled_rules);
        }
        if let Some(p) = c.policy {
            self.apply_policy(p, path, text, trust)?;
        }
        let base = path.parent().unwrap_or(Path::new(""));
        for r in c.extra_rules {
            if untrusted {
                crate::repofile::check_relative("extra-rules", r.get_ref())
                    .map_err(|msg| Error::at_offset(path, text, r.span().start, msg))?;
            }
            let file = base.join(r.get_ref());
            self.push("extra-rules", quote(&file.display().to_string()), path);
            self.extra_rules.push(ExtraRules { path: file, trust });
        }
        if let Some(b) = c.baseline {
            if untrusted {
                crate::repofile::check_relative("baseline", &b)
                    .map_err(|msg| field_error(path, text, &b, &msg))?;
            }
            self.set("baseline", quote(&b), path);
            self.baseline = PathBuf::from(b);
        }
        if let Some(a) = c.allowlist {
            self.apply_allowlist(a, path, text, trust)?;
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
            let key = format!("roles.{}", quote(&r.name));
            self.set(
                &key,
                format!(
                    "{{ paths = [{}], coaching = {} }}",
                    r.paths
                        .iter()
                        .map(|p| quote(p))
                        .collect::<Vec<_>>()
                        .join(", "),
                    quote(&r.coaching)
                ),
                path,
            );
            self.roles.push((r.name, globs, r.coaching));
        }
        if let Some(t) = c.team_contact {
            self.set("team-contact", quote(&t), path);
            self.team_contact = Some(t);
        }
        if let Some(p) = c.push {
            if let Some(n) = p.max_commits {
                self.push.max_commits = n;
                self.set("push.max-commits", n.to_string(), path);
            }
            if let Some(a) = p.allow_truncated {
                if !a
                    || self.lower(
                        trust,
                        Lowering::AllowTruncated,
                        "truncated pushes allowed".into(),
                        path,
                    )
                {
                    self.push.allow_truncated = a;
                    self.set("push.allow-truncated", a.to_string(), path);
                }
            }
        }
        if let Some(l) = c.ledger {
            self.apply_ledger(l, path, text, trust)?;
        }
        Ok(())
    }

    fn apply_floor(&mut self, f: FloorConfig, path: &Path, text: &str) -> Result<(), Error> {
        if f.strict == Some(true) {
            self.floor.refuse.extend(Lowering::ALL);
            self.set("floor.strict", "true".into(), path);
        }
        for r in f.refuse {
            let l = Lowering::from_name(r.get_ref()).ok_or_else(|| {
                let valid: Vec<&str> = Lowering::ALL.iter().map(|l| l.name()).collect();
                Error::at_offset(
                    path,
                    text,
                    r.span().start,
                    format!(
                        "floor.refuse: unknown {:?}; valid: {}",
                        r.get_ref(),
                        valid.join(", ")
                    ),
                )
            })?;
            self.push("floor.refuse", quote(l.name()), path);
            self.floor.refuse.insert(l);
        }
        for k in f.block_kinds {
            self.push("floor.block-kinds", quote(&k), path);
            self.floor.block_kinds.insert(k);
        }
        Ok(())
    }

    fn apply_policy(
        &mut self,
        p: PolicyConfig,
        path: &Path,
        text: &str,
        trust: Trust,
    ) -> Result<(), Error> {
        let weak = |v: &Verdict| *v != Verdict::Block;
        let lowering = p.severity.values().filter(|v| weak(v)).count()
            + p.kind.values().filter(|v| weak(v)).count()
            + p.paths.iter().filter(|pp| weak(&pp.verdict)).count();
        let lower_ok = lowering == 0
            || self.lower(
                trust,
                Lowering::LowerVerdicts,
                plural(
                    lowering,
                    "policy verdict set below block",
                    "policy verdicts set below block",
                ),
                path,
            );
        for (sev, v) in p.severity {
            if weak(&v) && !lower_ok {
                continue;
            }
            self.set(
                &format!("policy.severity.{}", kebab(&sev)),
                quote(v.as_str()),
                path,
            );
            self.policy.severity.insert(sev, v);
        }
        for (k, v) in p.kind {
            if weak(&v) && !lower_ok {
                continue;
            }
            self.set(
                &format!("policy.kind.{}", quote(&k)),
                quote(v.as_str()),
                path,
            );
            self.policy.kind.insert(k, v);
        }
        for pp in p.paths {
            let g = glob(&pp.glob).map_err(|msg| {
                field_error(path, text, &pp.glob, &format!("policy.paths.glob: {msg}"))
            })?;
            if weak(&pp.verdict) && !lower_ok {
                continue;
            }
            self.push(
                "policy.paths",
                format!(
                    "{{ glob = {}, verdict = {} }}",
                    quote(&pp.glob),
                    quote(pp.verdict.as_str())
                ),
                path,
            );
            self.policy.paths.push((g, pp.verdict));
        }
        if let Some(e) = p.escalate {
            if e || self.lower(
                trust,
                Lowering::NoEscalation,
                "repeat escalation turned off".into(),
                path,
            ) {
                self.policy.escalate = e;
                self.set("policy.escalate", e.to_string(), path);
            }
        }
        if let Some(e) = p.on_error {
            if e == OnError::FailClosed
                || self.lower(
                    trust,
                    Lowering::FailOpen,
                    "policy.on-error = fail-open".into(),
                    path,
                )
            {
                self.policy.on_error = e;
                self.set("policy.on-error", quote(e.as_str()), path);
            }
        }
        Ok(())
    }

    fn apply_ledger(
        &mut self,
        l: LedgerConfig,
        path: &Path,
        text: &str,
        trust: Trust,
    ) -> Result<(), Error> {
        let window = |w: &str, key: &str| {
            crate::time::parse_window(w)
                .map_err(|msg| field_error(path, text, w, &format!("ledger.{key}: {msg}")))
        };
        let defaults = LedgerSettings::default();
        let repeat_window = l
            .repeat_window
            .as_deref()
            .map(|w| window(w, "repeat-window"))
            .transpose()?;
        let contact_window = l
            .contact_window
            .as_deref()
            .map(|w| window(w, "contact-window"))
            .transpose()?;
        // Anything that makes a repeat harder to notice weakens escalation.
        let mut weaker = Vec::new();
        if l.enabled == Some(false) {
            weaker.push("ledger disabled");
        }
        if repeat_window.is_some_and(|w| w < defaults.repeat_window) {
            weaker.push("repeat window shortened");
        }
        if l.escalate_after.is_some_and(|n| n > 1) {
            weaker.push("escalate-after raised");
        }
        if contact_window.is_some_and(|w| w < defaults.contact_window)
            || l.contact_after.is_some_and(|n| n > defaults.contact_after)
        {
            weaker.push("team contact later");
        }
        if !weaker.is_empty() && !self.lower(trust, Lowering::Ledger, weaker.join(", "), path) {
            return Ok(());
        }
        if let Some(e) = l.enabled {
            self.ledger.enabled = e;
            self.set("ledger.enabled", e.to_string(), path);
        }
        if let Some(p) = l.path {
            let p = p.into_inner();
            self.set("ledger.path", quote(&p.display().to_string()), path);
            self.ledger.path = Some(p);
        }
        if let (Some(w), Some(s)) = (repeat_window, &l.repeat_window) {
            self.ledger.repeat_window = w;
            self.set("ledger.repeat-window", quote(s), path);
        }
        if let (Some(w), Some(s)) = (contact_window, &l.contact_window) {
            self.ledger.contact_window = w;
            self.set("ledger.contact-window", quote(s), path);
        }
        if let Some(n) = l.escalate_after {
            // Zero earlier occurrences would escalate every first-timer: at least one is needed.
            self.policy.repeat_threshold = n.max(1);
            self.set("ledger.escalate-after", n.max(1).to_string(), path);
        }
        if let Some(n) = l.contact_after {
            self.ledger.contact_after = n;
            self.set("ledger.contact-after", n.to_string(), path);
        }
        Ok(())
    }

    fn apply_allowlist(
        &mut self,
        a: AllowlistConfig,
        path: &Path,
        text: &str,
        trust: Trust,
    ) -> Result<(), Error> {
        // Validate everything first, so a bad pattern is an error even when the floor refuses it.
        for p in &a.paths {
            GitignoreBuilder::new("")
                .add_line(None, p.get_ref())
                .map_err(|e| {
                    Error::at_offset(path, text, p.span().start, format!("allowlist.paths: {e}"))
                })?;
        }
        let mut compiled = Vec::new();
        for (key, list) in [("regexes", &a.regexes), ("line-regexes", &a.line_regexes)] {
            for r in list {
                let re = allow_regex(r.get_ref()).map_err(|msg| {
                    Error::at_offset(
                        path,
                        text,
                        r.span().start,
                        format!("allowlist.{key}: {msg}"),
                    )
                })?;
                compiled.push((key, r.get_ref().clone(), re));
            }
        }
        if !a.paths.is_empty()
            && self.lower(
                trust,
                Lowering::AllowlistPaths,
                plural(a.paths.len(), "allowlisted path", "allowlisted paths"),
                path,
            )
        {
            for p in a.paths {
                self.push("allowlist.paths", quote(p.get_ref()), path);
                self.allowlist.paths.push(p.into_inner());
            }
        }
        let patterns = compiled.len() + a.stop_words.len();
        if patterns > 0
            && self.lower(
                trust,
                Lowering::AllowlistPatterns,
                plural(patterns, "allowlist pattern", "allowlist patterns"),
                path,
            )
        {
            for (key, src, re) in compiled {
                self.push(&format!("allowlist.{key}"), quote(&src), path);
                if key == "regexes" {
                    self.allowlist.regexes.push(re);
                } else {
                    self.allowlist.line_regexes.push(re);
                }
            }
            for w in a.stop_words {
                self.push("allowlist.stop-words", quote(&w), path);
                self.allowlist.stop_words.push(w.to_lowercase());
            }
        }
        Ok(())
    }

    /// The effective config as TOML-like lines, each with the file it came from (or `default`).
    pub fn show(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::from("# Effective coach config. Files read (later ones win):\n");
        if self.files.is_empty() {
            out.push_str("#   (none: built-in defaults only)\n");
        }
        for f in &self.files {
            let _ = writeln!(out, "#   {}", f.display());
        }
        for line in self.lowered_summary() {
            let _ = writeln!(out, "# {line}");
        }
        for l in &self.lowered {
            let _ = writeln!(
                out,
                "#   {}: {}{}  ({})",
                l.what,
                l.detail,
                if l.refused {
                    " [refused by the floor]"
                } else {
                    ""
                },
                l.origin.display()
            );
        }
        let ledger = LedgerSettings::default();
        let push = PushSettings::default();
        let defaults = [
            ("push.max-commits", push.max_commits.to_string()),
            ("push.allow-truncated", push.allow_truncated.to_string()),
            ("ledger.enabled", ledger.enabled.to_string()),
            (
                "ledger.path",
                quote(
                    &crate::ledger::path(&self.ledger)
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                ),
            ),
            ("ledger.repeat-window", quote("30d")),
            ("ledger.contact-window", quote("90d")),
            ("ledger.escalate-after", "1".to_owned()),
            ("ledger.contact-after", ledger.contact_after.to_string()),
            ("floor.strict", "false".to_owned()),
            (
                "max-file-size",
                crate::source::Limits::default().max_file_size.to_string(),
            ),
            ("baseline", quote(BASELINE_FILE)),
            ("policy.escalate", "true".to_owned()),
            ("policy.on-error", quote(OnError::default().as_str())),
        ];
        let mut lines: Vec<(String, String, String)> = self
            .provenance
            .iter()
            .map(|p| {
                (
                    p.key.clone(),
                    p.value.clone(),
                    p.origin.display().to_string(),
                )
            })
            .collect();
        for (k, v) in defaults {
            if !lines.iter().any(|(key, _, _)| key == k) {
                lines.push((k.to_owned(), v, "default".to_owned()));
            }
        }
        // Stable order: by key, then config order within a key (sort is stable).
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, v, origin) in lines {
            let _ = writeln!(out, "{k} = {v}  # {origin}");
        }
        out
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

fn allow_regex(pattern: &str) -> Result<Regex, String> {
    if pattern.len() > MAX_REGEX_LEN {
        return Err(format!(
            "regex is {} bytes long; the limit is {MAX_REGEX_LEN}",
            pattern.len()
        ));
    }
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            // The syntax error's last line is the reason; the lines above repeat the pattern.
            regex::Error::Syntax(s) => format!(
                "invalid regex: {}",
                s.lines()
                    .last()
                    .unwrap_or_default()
                    .trim_start_matches("error: ")
            ),
            regex::Error::CompiledTooBig(n) => {
                format!("regex compiles to more than {n} bytes; simplify it")
            }
            other => format!("invalid regex: {other}"),
        })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Reads a file the person running coach chose (user config, `--config`).
fn read_trusted(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
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

    #[test]
    fn the_team_example_is_valid() {
        let path = Path::new("examples/team.coach.toml");
        let text = include_str!("../examples/team.coach.toml");
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
