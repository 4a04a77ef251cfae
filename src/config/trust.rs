//! Who may set what: trusted files versus the repository's, the ways repository config can lower
//! protection, and the floor that refuses them (docs/SECURITY.md).
use std::path::PathBuf;

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

    pub(super) fn from_name(s: &str) -> Option<Self> {
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
