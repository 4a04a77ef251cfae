//! Command-line surface (clap derive). Only raw flags live here; `lib.rs` resolves them.
use crate::hooks::HookKind;
use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  allow: nothing blocks (warnings may print)
  1  blocked: at least one finding's verdict is block
  2  usage, config, rule or internal error, or something that could not be scanned

Bypass once: git commit --no-verify, or COACH_SKIP=1 (both are noticed and recorded).";

/// `--policy-floor` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyFloor {
    /// Repository config may only add and tighten.
    Strict,
    /// No floor beyond the user config's `[floor]`.
    None,
}

#[derive(Debug, Parser)]
#[command(
    name = "coach",
    version,
    about = "Stops credentials from leaking through Git, and coaches the fix",
    after_help = EXIT_CODES
)]
pub struct Cli {
    /// When to use colour: auto follows NO_COLOR and whether the output is a terminal.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Load rules from this folder instead of the built-in set.
    #[arg(long, global = true, env = "COACH_RULES_DIR", value_name = "DIR")]
    pub rules_dir: Option<PathBuf>,
    /// Use this config file instead of the repository's .coach.toml.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        conflicts_with = "repo_config"
    )]
    pub config: Option<PathBuf>,
    /// Read this file as the repository's config, with the limits repository config has (CI passes
    /// the base branch's .coach.toml so a pull request cannot loosen its own scan).
    #[arg(long, global = true, value_name = "FILE", env = "COACH_REPO_CONFIG")]
    pub repo_config: Option<PathBuf>,
    /// Ignore the repository's .coach.toml entirely.
    #[arg(long, global = true, env = "COACH_NO_REPO_CONFIG", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_repo_config: bool,
    /// `strict`: repository config may add rules and tighten policy, but every setting that would
    /// lower protection is ignored (and reported). Also `[floor]` in the user config.
    #[arg(
        long,
        global = true,
        env = "COACH_POLICY_FLOOR",
        value_enum,
        value_name = "FLOOR"
    )]
    pub policy_floor: Option<PolicyFloor>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan the staged change (default) or files and folders.
    Scan(ScanArgs),
    /// Entry points for the Git hooks coach installs.
    #[command(subcommand)]
    Hook(HookCommand),
    /// List, explain and check rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// The full coaching for rule ids or credential kinds (the same as `coach rules explain`).
    Explain {
        /// Rule ids or kinds, as a finding names them.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Install coach's Git hooks in the current repository.
    Install(InstallArgs),
    /// Remove coach's Git hooks (and restore any hook coach chained).
    Uninstall(UninstallArgs),
    /// Which hooks Git will run here and why, whether each runs coach, and the fix for each problem.
    /// Exit 0 healthy, 1 problems found, 2 not a repository.
    Doctor,
    /// Show the effective config.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Record existing findings so they are reported as known and do not block.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output, or with --dir write it and one page per
    /// subcommand (coach-scan.1, ...), so every page the main one refers to exists.
    Man {
        /// Folder to write coach.1 and the subcommand pages into (created if missing).
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
    /// Behaviour figures from the local ledger: findings, repeats, time to fix, bypasses, allows.
    Stats(StatsArgs),
    /// Where the local ledger lives, exporting it, and deleting it.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// A team report: the local ledger and exported ledgers merged into one self-contained HTML
    /// page (charts inline, nothing loaded from the network), or the same figures as JSON.
    Report(ReportArgs),
    /// Write a git-filter-repo `--replace-text` file for the secrets in history, so no one types them.
    #[command(long_about = PURGE_FILE_ABOUT)]
    PurgeFile(PurgeFileArgs),
}

const PURGE_FILE_ABOUT: &str = "\
Scans history like `coach scan --history` (or `--range`) and writes one git-filter-repo expression per
secret found (`literal:<value>==>***REMOVED***`; a value spanning lines as an escaped `regex:`), to a
new file created with mode 0600. Then rewrite with that file and delete it, for example:

  D=$(mktemp -d) && coach purge-file --output \"$D/expressions\"
  git filter-repo --sensitive-data-removal --replace-text \"$D/expressions\"   # in a fresh mirror clone
  rm -rf -- \"$D\"

The file holds the raw secrets: it is never overwritten (an existing file is an error), and findings
that are allowed (inline allow, baseline, config) or practice findings are left out. Exit 0 when
something was written, 1 when history holds no secret to purge, 2 on error.";

#[derive(Debug, Args)]
pub struct PurgeFileArgs {
    /// The file to create (mode 0600; it must not exist yet).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Only the commits of this range (`A..B`), instead of every ref's history.
    #[arg(long, value_name = "A..B")]
    pub range: Option<String>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Only events from this window back, like 30d, 12h or 2w.
    #[arg(long, value_name = "WINDOW")]
    pub since: Option<String>,
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Write the raw events instead (fingerprints only), for a team's own pipeline.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub export: Option<ExportFormat>,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Ledger exports to merge (`coach ledger export`), from teammates or CI.
    #[arg(value_name = "EXPORT.jsonl")]
    pub exports: Vec<PathBuf>,
    /// Only events from this window back, like 90d (default), 12w or 365d.
    #[arg(long, value_name = "WINDOW", default_value = "90d")]
    pub since: String,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace people's addresses by person-1, person-2...
    #[arg(long, alias = "pseudonymize")]
    pub pseudonymise: bool,
    /// Leave the local ledger out: only the exports given.
    #[arg(long)]
    pub no_local: bool,
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Print the ledger's path (COACH_LEDGER, config `[ledger] path`, or the state folder).
    Path,
    /// Write the events as a versioned export (JSON lines, fingerprints only) for `coach report`.
    Export {
        /// Only events from this window back, like 90d.
        #[arg(long, value_name = "WINDOW")]
        since: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Delete the ledger and everything in it.
    Forget,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective config, each value with the file it came from (or `default`).
    Show,
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan the repository (or PATHs) and write the baseline file; fails if it already exists.
    Create(BaselineArgs),
    /// Rescan and rewrite the baseline, keeping its salt so unchanged entries stay identical.
    Update(BaselineArgs),
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Files or folders to scan; default: the whole work tree (.gitignore respected).
    pub paths: Vec<PathBuf>,
    /// Also record the findings of every commit (like `coach scan --history`), so history scans
    /// and CI go green after adoption and fail only on new findings.
    #[arg(long)]
    pub history: bool,
}

#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// Remove the global hooks `coach install --global` wrote (and its core.hooksPath setting).
    #[arg(long)]
    pub global: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or folders to scan (.gitignore respected). Without any, the staged change is scanned.
    /// `-` reads standard input as a stream (a CI job log, `gh run view --log`), any size.
    pub paths: Vec<PathBuf>,
    /// Scan the staged change (the default when no path is given).
    #[arg(long, conflicts_with = "paths")]
    pub staged: bool,
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Write the report to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Scan every commit of the repository (all refs), each diffed to its first parent. Each secret
    /// is reported once, at the commit that introduced it.
    #[arg(long, conflicts_with_all = ["paths", "staged", "range"])]
    pub history: bool,
    /// Scan the commits of a range (`A..B`: reachable from B and not from A; `A...B` also works).
    #[arg(long, value_name = "A..B", conflicts_with_all = ["paths", "staged"])]
    pub range: Option<String>,
    /// Scan at most this many commits (the newest first); the rest are reported as not scanned.
    /// Default for --history and --range: no bound.
    #[arg(long, value_name = "N")]
    pub max_commits: Option<usize>,
    /// Print the full coaching for every kind, and every note one by one.
    #[arg(long, short, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print only the findings and the verdict line (and errors).
    #[arg(long, short)]
    pub quiet: bool,
    /// What standard input (`-`) holds: `ci-log` for a CI job's log (findings get the exposure
    /// `ci-log`, and coaching leads with revocation and masking).
    #[arg(long, value_enum, value_name = "KIND")]
    pub source: Option<SourceArg>,
    /// The name findings in standard input carry instead of `<stdin>`: the job's name or URL, or the
    /// workflow file (`.github/workflows/ci.yml`, whose CODEOWNERS entry the coaching addresses).
    #[arg(long, value_name = "NAME_OR_URL")]
    pub label: Option<String>,
    /// Record the findings of `coach scan -` in the behaviour ledger (as the hooks do), so repeats
    /// in CI are counted. Needs a repository.
    #[arg(long)]
    pub record: bool,
}

/// `--source` values: what a stream on standard input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    /// A CI job's log.
    CiLog,
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Run by Git before a commit: scans the staged change.
    PreCommit,
    /// Run by Git before a push: reads `<local ref> <local sha> <remote ref> <remote sha>` lines on
    /// standard input and scans every commit the push would send.
    #[command(after_help = PUSH_HELP)]
    PrePush {
        /// The remote's name (or its URL when pushing to a URL). Git passes it; under the pre-commit
        /// framework it comes from PRE_COMMIT_REMOTE_NAME.
        #[arg(env = "PRE_COMMIT_REMOTE_NAME", default_value = "origin")]
        remote: String,
        /// The remote's URL.
        #[arg(env = "PRE_COMMIT_REMOTE_URL")]
        url: Option<String>,
        /// Scan at most this many commits (default: `[push] max-commits` in .coach.toml, else
        /// 250,000).
        #[arg(long, value_name = "N")]
        max_commits: Option<usize>,
    },
    /// Run by Git with the file holding the commit message: scans the message (comment lines
    /// excluded); exit 1 stops the commit.
    CommitMsg {
        /// The message file Git passes (usually .git/COMMIT_EDITMSG).
        file: PathBuf,
    },
}

pub const PUSH_HELP: &str = "\
What is scanned: for each ref being pushed, the commits reachable from the local commit and not from
the remote's side of that ref nor from any remote-tracking ref (refs/remotes/*): a first push to a new,
empty remote scans everything no remote holds yet, with a progress line on a terminal. Deletions scan nothing. Tags bring the commits they point at. Each commit
is diffed to its first parent; a merge contributes only lines that are new relative to every parent.

Secrets found here are `committed` (not yet on the remote: rewriting is still possible) unless another
remote-tracking ref already contains the commit (`pushed`).

Bound: at most max-commits commits (default 250,000, newest first), a size guard. When the push
holds more, the newest are scanned, the hook names the oldest commit that was NOT scanned and exits 2
(not everything could be scanned), unless `[push] allow-truncated = true`.";

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// One line per rule: id, kind, lifetime, identity, severity, default verdict.
    List,
    /// The rule and its full coaching, with its docs and when its facts were last checked.
    Explain {
        /// A rule id or kind (see `coach rules list`).
        id: String,
    },
    /// Validate rule files: ids, patterns, keywords, coaching, and that every example fires and every
    /// negative example does not. Without FILEs, checks the whole rule set.
    Check { files: Vec<PathBuf> },
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Install the pre-commit hook (all hooks are installed when none is named).
    #[arg(long)]
    pub pre_commit: bool,
    /// Install the pre-push hook (all hooks are installed when none is named).
    #[arg(long)]
    pub pre_push: bool,
    /// Install the commit-msg hook, which scans commit messages (all hooks are installed when none
    /// is named).
    #[arg(long)]
    pub commit_msg: bool,
    /// Replace an existing foreign hook when the chain slot is already taken.
    #[arg(long)]
    pub force: bool,
    /// Install for every repository of this user: hooks in a coach-managed folder, set as
    /// core.hooksPath in the global Git config (a repository's own hooks of every type still run).
    #[arg(long)]
    pub global: bool,
    /// When a hook manager (husky, lefthook, pre-commit, ...) owns the hooks, add coach's entry to
    /// its config instead of printing it.
    #[arg(long, conflicts_with = "global")]
    pub integrate: bool,
}

impl InstallArgs {
    /// The hooks named on the command line; all of them when none is named.
    pub fn kinds(&self) -> Vec<HookKind> {
        let named: Vec<HookKind> = [
            (self.pre_commit, HookKind::PreCommit),
            (self.pre_push, HookKind::PrePush),
            (self.commit_msg, HookKind::CommitMsg),
        ]
        .into_iter()
        .filter_map(|(on, k)| on.then_some(k))
        .collect();
        if named.is_empty() {
            vec![HookKind::PreCommit, HookKind::PrePush, HookKind::CommitMsg]
        } else {
            named
        }
    }
}

impl Cli {
    /// Where settings come from, as this command line and environment choose.
    pub fn sources(&self) -> crate::config::Sources {
        crate::config::Sources {
            explicit: self.config.clone(),
            repo_config: self.repo_config.clone(),
            no_repo_config: self.no_repo_config,
            strict_floor: self.policy_floor == Some(PolicyFloor::Strict),
        }
    }
}

/// `--format` values; mapped to the report's own type so the library has no clap derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
        }
    }
}
