//! coach: a Git hook that stops credentials from leaking and coaches the fix.
//!
//! Data flow: `cli::Cli` → `config::Settings` + `rules::RuleSet` → `source::*` → `Vec<ScanUnit>` →
//! `scan::Scanner` (rayon: prefilter → regex → validators) → `Vec<Finding>` (redacted) →
//! `policy::decide` → `coaching::guidance` → `report::*` → `ExitStatus`.
#![allow(clippy::print_stderr)]

pub mod app;
pub mod baseline;
pub mod cli;
pub mod coaching;
pub mod config;
pub mod error;
pub mod escape;
pub mod finding;
pub mod hooks;
pub mod ledger;
pub mod policy;
pub mod repofile;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod state;
pub mod stats;
pub mod time;

use anyhow::{Context, Result};
use cli::{BaselineCommand, Cli, ColorChoice, Command, ConfigCommand, HookCommand};
use config::Settings;
use error::{Error, ExitStatus};
use escape::{terminal as esc, terminal_lines as esc_lines};
use finding::{FingerprintKey, Verdict};
use report::{Format, Report};
use rules::{RuleSet, RuleSource};
use scan::{ScanOutcome, Scanner};
use source::Collected;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Runs one command and returns the exit status; errors are printed by `main`.
pub fn run(cli: Cli) -> Result<ExitStatus> {
    set_color(cli.color);
    match &cli.command {
        Command::Scan(args) => app::commands::scan::run(&cli, args),
        Command::PurgeFile(args) => app::commands::purge::run(&cli, args),
        Command::Hook(HookCommand::PreCommit) => pre_commit(&cli),
        Command::Hook(HookCommand::PrePush {
            remote,
            url,
            max_commits,
        }) => pre_push(&cli, remote, url.as_deref(), *max_commits),
        Command::Hook(HookCommand::CommitMsg { file }) => commit_msg(&cli, file),
        Command::Rules(cmd) => app::commands::rules::run(&cli, cmd),
        Command::Install(args) => {
            let lines = if args.global {
                hooks::install_global(&args.kinds(), args.force)?
            } else {
                let cwd = std::env::current_dir()?;
                hooks::install(&cwd, &args.kinds(), args.force)?
            };
            for line in lines {
                eprintln!("coach: {}", esc_lines(&line));
            }
            Ok(ExitStatus::Allow)
        }
        Command::Uninstall(args) => {
            let lines = if args.global {
                hooks::uninstall_global()?
            } else {
                let cwd = std::env::current_dir()?;
                hooks::uninstall(&cwd)?
            };
            for line in lines {
                eprintln!("coach: {}", esc_lines(&line));
            }
            Ok(ExitStatus::Allow)
        }
        Command::Stats(args) => app::commands::stats::stats(&cli.sources(), args),
        Command::Ledger(cmd) => app::commands::stats::ledger(&cli.sources(), cmd),
        Command::Config(ConfigCommand::Show) => {
            let root = git2::Repository::discover(".")
                .ok()
                .and_then(|r| repo_root(&r));
            let settings = Settings::load(root.as_deref(), &cli.sources())?;
            // Values are TOML-quoted by `show`, which leaves bidi controls and U+2028 as they are.
            report::write_all(&mut std::io::stdout().lock(), &esc_lines(&settings.show()))?;
            Ok(ExitStatus::Allow)
        }
        Command::Baseline(cmd) => app::commands::baseline::run(&cli, cmd),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "coach", &mut buf);
            report::write_all(
                &mut std::io::stdout().lock(),
                &String::from_utf8_lossy(&buf),
            )?;
            Ok(ExitStatus::Allow)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut buf)?;
            report::write_all(
                &mut std::io::stdout().lock(),
                &String::from_utf8_lossy(&buf),
            )?;
            Ok(ExitStatus::Allow)
        }
    }
}

fn set_color(choice: ColorChoice) {
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    };
    colored::control::set_override(on);
}

/// Rules, settings and key: everything a scan needs, loaded once.
pub struct Engine {
    pub settings: Settings,
    pub rules: RuleSet,
    pub key: FingerprintKey,
    pub warnings: Vec<String>,
    /// The behaviour ledger, attached by the hooks (`coach scan` neither reads nor records it).
    pub ledger: Option<ledger::Session>,
    /// The repository's baseline file, when there is one.
    pub baseline: Option<baseline::Baseline>,
    pub repo_root: Option<PathBuf>,
    /// The config files the person running coach chose (user config, `--config`): text from any
    /// other config file is the repository's and is shown quoted.
    pub trusted_config: Vec<PathBuf>,
}

impl Engine {
    pub fn load(cli: &Cli, repo_root: Option<&Path>) -> Result<Self> {
        let settings = Settings::load(repo_root, &cli.sources())?;
        let mut rules = load_rules(cli.rules_dir.as_deref(), &settings.extra_rules, repo_root)?;
        let mut warnings = Vec::new();
        let unknown = rules.disable(&settings.disabled_rules);
        if !unknown.is_empty() {
            return Err(Error::Usage(format!(
                "disabled-rules names unknown rule ids: {} (see `coach rules list`)",
                unknown.join(", ")
            ))
            .into());
        }
        let (key, warning) = state::fingerprint_key();
        warnings.extend(warning);
        // `coach baseline update` is how an outdated (version 1) baseline gets rewritten: only it
        // may load one, as an empty baseline.
        let updating = matches!(cli.command, Command::Baseline(BaselineCommand::Update(_)));
        let baseline = match repo_root {
            Some(root) => {
                let path = root.join(&settings.baseline);
                // The baseline comes with the repository: inside it, a regular file, bounded.
                match repofile::resolve_inside(root, &path, "baseline")? {
                    Some(real) => {
                        repofile::check_regular(
                            &path,
                            &real,
                            "baseline",
                            repofile::MAX_BASELINE_BYTES,
                        )?;
                        if updating {
                            baseline::Baseline::load_for_update(&path)?
                        } else {
                            baseline::Baseline::load(&path)?
                        }
                    }
                    None => None,
                }
            }
            None => None,
        };
        warnings.extend(settings.lowered_summary());
        Ok(Engine {
            settings,
            rules,
            key,
            warnings,
            baseline,
            repo_root: repo_root.map(Path::to_path_buf),
            ledger: None,
            trusted_config: config::user_config_path()
                .into_iter()
                .chain(cli.config.clone())
                .collect(),
        })
    }

    /// Opens the ledger for a hook run; a ledger that cannot be used becomes a warning, never an error.
    pub fn attach_ledger(&mut self, repo: &git2::Repository, stage: &str) {
        match ledger::Session::open(repo, &self.settings.ledger, stage) {
            Ok(s) => self.ledger = s,
            Err(e) => self.warnings.push(e.warning()),
        }
    }

    /// A scanner for repository-relative unit paths (staged, push, history).
    pub fn scanner(&self) -> Scanner<'_> {
        let mut s =
            Scanner::new(&self.rules, self.key.clone()).with_allowlist(&self.settings.allowlist);
        if let Some(b) = &self.baseline {
            s = s.with_baseline(b);
        }
        s
    }

    /// A scanner for paths given on the command line (relative to the working directory).
    pub fn scanner_for_paths(&self) -> Scanner<'_> {
        let s = self.scanner();
        match (&self.repo_root, std::env::current_dir()) {
            (Some(root), Ok(cwd)) => s.paths_relative_to(cwd, root.clone()),
            _ => s,
        }
    }

    /// Policy and coaching over scanned units: the shared tail of every source.
    pub fn finish(
        &self,
        source: &str,
        collected: Collected,
        outcome: ScanOutcome,
        ctx: &coaching::Context,
    ) -> Report {
        self.finish_with(source, collected, outcome, ctx, &Tail::default())
    }

    /// [`Engine::finish`] with the steps that differ between sources.
    pub fn finish_with(
        &self,
        source: &str,
        collected: Collected,
        mut outcome: ScanOutcome,
        ctx: &coaching::Context,
        tail: &Tail<'_>,
    ) -> Report {
        let lines = collected.lines
            + collected
                .units
                .iter()
                .map(source::ScanUnit::added_lines)
                .sum::<usize>();
        if let Some(session) = &self.ledger {
            // Repeats must be known before policy runs: they escalate warn to block.
            if let Err(e) = session.fill_repeats(&mut outcome.findings) {
                eprintln!("coach: warning: {}", esc_lines(&e.warning()));
            }
        }
        for f in &mut outcome.findings {
            // Globs are written against the repository, whatever directory coach runs from.
            let path = tail
                .repo_path
                .map_or_else(|| f.path.clone(), |to_repo| to_repo(&f.path));
            f.role = self.settings.role_for(&path).map(str::to_owned);
            policy::decide(&self.settings, f, &path);
        }
        // Only once every copy is suppressed and decided: an allowed or warned copy must not stand
        // in for a blocked one (#11).
        if let Some(order) = tail.commit_order {
            source::history::keep_introducing(&mut outcome.findings, order);
        }
        let mut notices = collected.notices;
        notices.append(&mut outcome.notices);
        notices.sort();
        notices.dedup();
        let mut errors = collected.errors;
        errors.append(&mut outcome.errors);
        errors.sort();
        let verdict = policy::overall(&outcome.findings);
        let guidance = self.guidance(&outcome.findings, ctx);
        let fail_open = !errors.is_empty() && self.settings.fail_open();
        if fail_open {
            notices.push(source::Notice {
                path: config::REPO_CONFIG.to_owned(),
                commit: None,
                reason: format!(
                    "policy.on-error = \"fail-open\": {} unit(s) could not be scanned and were let through",
                    errors.len()
                ),
            });
        }
        let status = if !errors.is_empty() && !fail_open {
            ExitStatus::Error
        } else if verdict == Verdict::Block {
            ExitStatus::Blocked
        } else {
            ExitStatus::Allow
        };
        Report {
            source: source.to_owned(),
            findings: outcome.findings,
            notices,
            errors,
            files: collected.files,
            lines,
            commits: None,
            commits_skipped: None,
            verdict,
            guidance,
            protection_lowered: self.settings.lowered.clone(),
            status,
        }
    }

    /// One guidance block per credential kind, in the order kinds first appear.
    fn guidance(
        &self,
        findings: &[finding::Finding],
        ctx: &coaching::Context,
    ) -> Vec<coaching::Guidance> {
        // One pass, grouped by kind in first-seen order: linear in the findings (#11).
        let mut kinds: Vec<(&str, Vec<&finding::Finding>)> = Vec::new();
        let mut slot: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for f in findings.iter().filter(|f| f.verdict != Verdict::Allow) {
            let i = *slot.entry(f.kind.as_str()).or_insert_with(|| {
                kinds.push((f.kind.as_str(), Vec::new()));
                kinds.len() - 1
            });
            kinds[i].1.push(f);
        }
        kinds
            .into_iter()
            .filter_map(|(k, members)| {
                let spec = self.rules.coaching(k)?;
                Some(coaching::guidance(k, spec, &members, ctx))
            })
            .collect()
    }

    /// Whether a config value came from a file the user chose (their config, `--config`) or from
    /// repository config (`.coach.toml`, `--repo-config`). Unknown counts as the repository's.
    fn text_source(&self, key: &str) -> coaching::TextSource {
        match self.settings.provenance.iter().rev().find(|p| p.key == key) {
            Some(p) if self.trusted_config.contains(&p.origin) => coaching::TextSource::User,
            _ => coaching::TextSource::Repository,
        }
    }

    /// For a rules file that repository config named in `extra-rules`: its path as shown
    /// (relative to the work tree when it can be). Built-in rules, `--rules-dir` files and files
    /// named by the user's own config give `None`.
    fn repository_file(&self, path: &Path) -> Option<String> {
        self.settings
            .extra_rules
            .iter()
            .find(|e| e.path == path && e.trust == config::Trust::Repository)?;
        let rel = self.repo_root.as_ref().and_then(|root| {
            let (p, r) = (path.canonicalize().ok()?, root.canonicalize().ok()?);
            p.strip_prefix(r).ok().map(|p| p.display().to_string())
        });
        Some(rel.unwrap_or_else(|| path.display().to_string()))
    }

    pub fn context(&self, repo: Option<&git2::Repository>) -> coaching::Context {
        coaching::Context {
            head: repo
                .and_then(|r| r.head().ok())
                .and_then(|h| h.target())
                .map(|o| o.to_string()),
            roles: self
                .settings
                .roles
                .iter()
                .map(|(n, _, c)| {
                    let key = format!("roles.{}", toml::Value::String(n.clone()));
                    (n.clone(), c.clone(), self.text_source(&key))
                })
                .collect(),
            team_contact: self
                .settings
                .team_contact
                .clone()
                .map(|t| (t, self.text_source("team-contact"))),
            root_commits: Vec::new(),
            contact_after: self.settings.ledger.contact_after,
            repository_coaching: self
                .rules
                .coaching
                .iter()
                .filter_map(|(kind, c)| Some((kind.clone(), self.repository_file(&c.origin.path)?)))
                .collect(),
            now: time::now(),
        }
    }
}

/// The steps of [`Engine::finish_with`] that only some sources need.
#[derive(Default)]
pub struct Tail<'a> {
    /// Maps a finding's path to the repository-relative path that policy and role globs match
    /// (path scans, whose paths are relative to the working directory).
    pub repo_path: Option<&'a dyn Fn(&str) -> String>,
    /// Commit id to position (newest first): after policy, each secret is kept once, at the oldest
    /// commit of its strictest verdict.
    pub commit_order: Option<&'a std::collections::HashMap<String, usize>>,
}

/// Built-in rules (or a folder's), plus extra files. A trusted extra file replaces a same-named
/// one; a repository's file only adds (a clash of rule ids or coaching kinds is an error).
pub fn load_rules(
    dir: Option<&Path>,
    extra: &[config::ExtraRules],
    repo_root: Option<&Path>,
) -> Result<RuleSet> {
    Ok(RuleSet::compile(rule_sources(dir, extra, repo_root)?)?)
}

fn rule_sources(
    dir: Option<&Path>,
    extra: &[config::ExtraRules],
    repo_root: Option<&Path>,
) -> Result<Vec<RuleSource>> {
    let mut sources: Vec<RuleSource> = match dir {
        Some(d) => RuleSet::sources_from_dir(d)?,
        None => rules::BUILTIN_RULE_FILES
            .iter()
            .map(|(n, t)| RuleSource {
                path: Path::new("rules").join(n),
                text: (*t).to_owned(),
                trusted: true,
            })
            .collect(),
    };
    for e in extra {
        let path = &e.path;
        match (e.trust, repo_root) {
            (config::Trust::Trusted, _) => {
                let src = RuleSet::source_from_file(path)?;
                sources.retain(|s| s.path.file_name() != path.file_name());
                sources.push(src);
            }
            (config::Trust::Repository, root) => {
                let root = root.or(path.parent()).unwrap_or(Path::new("."));
                let text = repofile::read_inside(
                    root,
                    path,
                    "extra rules file",
                    repofile::MAX_RULES_BYTES,
                )?
                .ok_or_else(|| Error::Io {
                    path: path.clone(),
                    source: std::io::Error::from(std::io::ErrorKind::NotFound),
                })?;
                sources.push(RuleSource {
                    path: path.clone(),
                    text,
                    trusted: false,
                });
            }
        }
    }
    Ok(sources)
}

/// Opens the repository Git would: `GIT_DIR`, `GIT_WORK_TREE` and `GIT_INDEX_FILE` first (Git
/// exports them to hooks for `git --git-dir=... --work-tree=...`; discovering from the working
/// directory could find an outer repository instead), else the one containing the current
/// directory. Explains why not when it cannot.
pub fn open_repo() -> Result<git2::Repository> {
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let repo = git2::Repository::open_from_env().map_err(|e| {
        if e.code() == git2::ErrorCode::Owner {
            return anyhow::anyhow!(
                "refusing to read the repository at {}: {}. Git's safe.directory check protects you from repositories owned by someone else; if you trust it, run `git config --global --add safe.directory <path>`.",
                cwd.display(),
                e.message()
            );
        }
        anyhow::anyhow!(
            "not inside a Git repository ({}): {}. Run coach from inside a repository, or scan files with `coach scan PATH`.",
            cwd.display(),
            e.message()
        )
    })?;
    // `git --git-dir=<bare> --work-tree=<dir>` (a dotfiles setup): the Git directory says bare, the
    // exported GIT_WORK_TREE says otherwise, and Git follows the latter.
    if repo.workdir().is_none() {
        if let Some(wt) = std::env::var_os("GIT_WORK_TREE").filter(|v| !v.is_empty()) {
            repo.set_workdir(&cwd.join(wt), false)
                .context("using GIT_WORK_TREE as the work tree")?;
        }
    }
    Ok(repo)
}

fn repo_root(repo: &git2::Repository) -> Option<PathBuf> {
    repo.workdir().map(Path::to_path_buf)
}

fn print_warnings(engine: &Engine) {
    for w in &engine.warnings {
        eprintln!("coach: warning: {}", esc_lines(w));
    }
}

/// The pre-commit scan with the ledger attached; the engine and repository are kept for recording.
fn staged_for_hook(cli: &Cli) -> Result<(Report, Engine, git2::Repository)> {
    let repo = open_repo()?;
    let mut engine = Engine::load(cli, repo_root(&repo).as_deref())?;
    engine.attach_ledger(&repo, "pre-commit");
    print_warnings(&engine);
    let report = staged_report(&engine, &repo)?;
    Ok((report, engine, repo))
}

fn staged_report(engine: &Engine, repo: &git2::Repository) -> Result<Report> {
    let scanner = engine.scanner();
    let (collected, outcome) = source::staged::scan(repo, engine.settings.limits, &scanner)?;
    let ctx = engine.context(Some(repo));
    Ok(engine.finish("staged change", collected, outcome, &ctx))
}

fn scan_paths_with(engine: &Engine, roots: &[PathBuf]) -> Report {
    use rayon::prelude::*;
    let (files, walk_errors) = source::paths::walk(roots);
    let scanner = engine.scanner_for_paths();
    let limits = engine.settings.limits;
    // Read and scan each file on the same worker, so memory holds a few files, not the whole tree.
    let (mut collected, outcome) = files
        .par_iter()
        .map(|p| {
            let mut c = Collected {
                files: 1,
                ..Collected::default()
            };
            let mut o = ScanOutcome::default();
            match source::paths::load(p, limits) {
                source::paths::Loaded::Unit(u) => {
                    o = scanner.scan_unit(&u);
                    // Keep only the line count: the text is not needed after scanning.
                    c.lines = u.added_lines();
                }
                source::paths::Loaded::Notice(n) => c.notices.push(n),
                source::paths::Loaded::Error(e) => c.errors.push(e),
            }
            (c, o)
        })
        .reduce(
            || (Collected::default(), ScanOutcome::default()),
            |(ca, oa), (cb, ob)| (ca.merge(cb), oa.merge(ob)),
        );
    collected.errors.extend(walk_errors);
    let mut outcome = outcome;
    outcome.sort();
    let ctx = engine.context(None);
    let to_repo = |p: &str| scanner.repo_path(p);
    let tail = Tail {
        repo_path: Some(&to_repo),
        commit_order: None,
    };
    engine.finish_with("paths", collected, outcome, &ctx, &tail)
}

/// Commits to scan, how to label them, and what to do when they exceed the bound.
struct CommitScan {
    source: String,
    commits: Vec<git2::Oid>,
    /// Annotated tags whose messages are scanned.
    tags: Vec<git2::Oid>,
    notices: Vec<source::Notice>,
    max: Option<usize>,
    /// Over the bound: an error (exit 2) rather than a notice.
    truncation_is_error: bool,
}

/// Scans commits in parallel, keeps each secret at the commit that introduced it, and decides each
/// finding's exposure from the remote-tracking refs.
fn scan_commits(repo: &git2::Repository, engine: &Engine, job: CommitScan) -> Report {
    use source::history;
    let CommitScan {
        source,
        mut commits,
        tags,
        notices,
        max,
        truncation_is_error,
    } = job;
    let total = commits.len();
    let skipped = max.filter(|&m| total > m).map(|m| {
        // Newest first: the commits most likely to be new work are the ones kept.
        commits.truncate(m);
        total - m
    });
    let scanner = engine.scanner();
    // A bar only for long scans on a terminal; piped output stays clean.
    let bar = if commits.len() >= 200 && std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(commits.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("coach: {bar:40} {pos}/{len} commits {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let (mut collected, mut outcome) = history::scan_commits(
        repo,
        &commits,
        &tags,
        engine.settings.limits,
        &|u| scanner.scan_unit(u),
        &|| bar.inc(1),
    );
    bar.finish_and_clear();
    let order: std::collections::HashMap<String, usize> = commits
        .iter()
        .enumerate()
        .map(|(i, c)| (c.to_string(), i))
        .collect();
    history::assign_exposure(repo, &mut outcome.findings);
    outcome.sort();
    collected.notices.extend(notices);
    if let (Some(n), Some(m)) = (skipped, max) {
        let what = format!(
            "{total} commits to scan, over max-commits ({m}): the newest {m} were scanned, the oldest {n} were NOT"
        );
        if truncation_is_error {
            collected.errors.push(source::UnitError {
                path: source.clone(),
                message: format!("{what}; raise `[push] max-commits` in .coach.toml (or set `allow-truncated = true`), or scan them first with `coach scan --range`"),
            });
        } else {
            collected.notices.push(source::Notice {
                path: source.clone(),
                commit: None,
                reason: format!("{what}; rerun with a larger --max-commits to scan them"),
            });
        }
    }
    let mut ctx = engine.context(Some(repo));
    ctx.root_commits = history::root_commits(
        repo,
        outcome
            .findings
            .iter()
            .filter_map(|f| f.commit.as_ref().map(|c| c.id.as_str())),
    );
    let scanned = commits.len();
    let tail = Tail {
        repo_path: None,
        commit_order: Some(&order),
    };
    let mut report = engine.finish_with(&source, collected, outcome, &ctx, &tail);
    report.commits = Some(scanned);
    report.commits_skipped = skipped;
    report
}

fn pre_commit(cli: &Cli) -> Result<ExitStatus> {
    if skip_requested() {
        eprintln!(
            "coach: COACH_SKIP is set: the pre-commit scan was skipped (recorded as a bypass)"
        );
        if let Err(e) = record_skip(cli, "pre-commit") {
            eprintln!(
                "coach: warning: the skip could not be recorded in the ledger: {}",
                esc_lines(&format!("{e:#}"))
            );
        }
        return Ok(ExitStatus::Allow);
    }
    let (report, mut engine, repo) = match staged_for_hook(cli) {
        Ok(r) => r,
        Err(e) if fail_open_configured(cli) => {
            eprintln!("coach: error: {}", esc_lines(&format!("{e:#}")));
            eprintln!(
                "coach: policy.on-error is \"fail-open\": this commit is allowed WITHOUT a scan"
            );
            return Ok(ExitStatus::Allow);
        }
        Err(e) => return Err(e),
    };
    emit(&report, Format::Human, None, true)?;
    record_pre_commit(&mut engine, &repo, &report);
    Ok(report.status)
}

/// The commit-msg hook: scans the message Git is about to commit. Exit 1 stops the commit, before
/// the secret is in any object.
fn commit_msg(cli: &Cli, file: &Path) -> Result<ExitStatus> {
    if skip_requested() {
        // Said, not recorded: the pre-commit hook of the same commit records the one bypass.
        eprintln!("coach: COACH_SKIP is set: the commit-msg scan was skipped");
        return Ok(ExitStatus::Allow);
    }
    let bytes = std::fs::read(file).with_context(|| {
        format!(
            "reading the commit message {}",
            esc(&file.display().to_string())
        )
    })?;
    let repo = open_repo()?;
    let engine = Engine::load(cli, repo_root(&repo).as_deref())?;
    print_warnings(&engine);
    // Git strips lines starting with core.commentChar ("auto" picks one per message; '#' is the
    // usual and the default).
    let comment = repo
        .config()
        .and_then(|c| c.get_string("core.commentChar"))
        .ok()
        .filter(|c| c.chars().count() == 1)
        .unwrap_or_else(|| "#".into());
    let unit = source::staged::message_unit(&bytes, &comment);
    let mut outcome = engine.scanner().scan_unit(&unit);
    outcome.sort();
    let collected = Collected {
        files: 1,
        lines: unit.added_lines(),
        ..Collected::default()
    };
    let ctx = engine.context(Some(&repo));
    let report = engine.finish("commit message", collected, outcome, &ctx);
    emit(&report, Format::Human, None, true)?;
    Ok(report.status)
}

/// Records the run; when the commit goes ahead, also the tree it approved (for the pre-push bypass
/// check) and the fixes. Failures are warnings: the verdict is already decided.
fn record_pre_commit(engine: &mut Engine, repo: &git2::Repository, report: &Report) {
    let Some(session) = engine.ledger.as_mut() else {
        return;
    };
    let passed = report.status == ExitStatus::Allow;
    let tree = if passed {
        match source::staged::index(repo)
            .map_err(|e| ledger::LedgerError::from(git2::Error::from_str(&format!("{e:#}"))))
            .and_then(|i| ledger::index_tree(&i))
        {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("coach: warning: the approved tree could not be computed ({}); a push of this commit will show it as unchecked", esc_lines(&e.to_string()));
                None
            }
        }
    } else {
        None
    };
    if let Err(e) = session.record_pre_commit(&report.findings, passed, tree) {
        eprintln!("coach: warning: {}", esc_lines(&e.warning()));
    }
}

fn record_skip(cli: &Cli, stage: &str) -> Result<()> {
    let repo = open_repo()?;
    let settings = Settings::load(repo_root(&repo).as_deref(), &cli.sources())?;
    if let Some(mut s) = ledger::Session::open(&repo, &settings.ledger, stage)? {
        s.record_skip("COACH_SKIP")?;
    }
    Ok(())
}

/// Settings for commands that may run outside a repository (stats, ledger).
fn settings_anywhere(sources: &config::Sources) -> Result<Settings> {
    let repo = git2::Repository::discover(".").ok();
    Ok(Settings::load(
        repo.as_ref().and_then(repo_root).as_deref(),
        sources,
    )?)
}

/// True only when the config loads and says `fail-open`: a config that cannot be read never allows.
fn fail_open_configured(cli: &Cli) -> bool {
    open_repo()
        .ok()
        .and_then(|r| Settings::load(repo_root(&r).as_deref(), &cli.sources()).ok())
        .is_some_and(|s| s.fail_open())
}

/// The pre-push hook: every ref on standard input, every commit the push would send. Commits found
/// here are about to leave the machine: `committed` (rewriting still keeps the secret off the
/// remote) unless another remote-tracking ref already holds them (`pushed`).
fn pre_push(
    cli: &Cli,
    remote: &str,
    url: Option<&str>,
    max_commits: Option<usize>,
) -> Result<ExitStatus> {
    if skip_requested() {
        eprintln!("coach: COACH_SKIP is set: the pre-push scan was skipped (recorded as a bypass)");
        if let Err(e) = record_skip(cli, "pre-push") {
            eprintln!(
                "coach: warning: the skip could not be recorded in the ledger: {}",
                esc_lines(&format!("{e:#}"))
            );
        }
        return Ok(ExitStatus::Allow);
    }
    let mut input = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut input)
        .context("reading the refs Git passes to the pre-push hook")?;
    let repo = open_repo()?;
    let mut framework_notices = Vec::new();
    if input.trim().is_empty() {
        if let Some((line, notices)) = pre_commit_framework_refs(&repo)? {
            input = line;
            framework_notices = notices;
        }
    }
    let updates = source::push::parse(&input).map_err(Error::Usage)?;
    let mut engine = Engine::load(cli, repo_root(&repo).as_deref())?;
    engine.attach_ledger(&repo, "pre-push");
    print_warnings(&engine);
    let mut plan = source::push::plan(&repo, remote, url, &updates)?;
    plan.notices.append(&mut framework_notices);
    let max = max_commits.unwrap_or(engine.settings.push.max_commits);
    // The commits scan_commits keeps (newest first, up to the bound): only those were scanned.
    let scanned: Vec<git2::Oid> = plan.commits.iter().take(max).copied().collect();
    let job = CommitScan {
        source: format!("push to {}", escape::strip_credentials(remote)),
        commits: plan.commits,
        tags: plan.tags,
        notices: plan.notices,
        max: Some(max),
        truncation_is_error: !engine.settings.push.allow_truncated,
    };
    let mut report = scan_commits(&repo, &engine, job);
    record_push(&mut engine, &repo, &scanned, &mut report);
    emit(&report, Format::Human, None, true)?;
    Ok(report.status)
}

/// The pre-commit framework runs pre-push hooks without Git's stdin; it describes one ref in
/// environment variables instead, so Git's line is rebuilt from them. It sets `PRE_COMMIT_TO_REF`
/// only when it found a base commit: when the pushed history reaches a root commit it sets just
/// the branch and remote names, so the local branch is resolved here (#11). It passes on only the
/// first ref of a push, which no variable reveals: that is said on every such run.
fn pre_commit_framework_refs(
    repo: &git2::Repository,
) -> Result<Option<(String, Vec<source::Notice>)>> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let framework = var("PRE_COMMIT").is_some()
        || var("PRE_COMMIT_TO_REF").is_some()
        || var("PRE_COMMIT_LOCAL_BRANCH").is_some();
    if !framework {
        return Ok(None);
    }
    let named = var("PRE_COMMIT_LOCAL_BRANCH");
    let local = named.clone().unwrap_or_else(|| "HEAD".into());
    let mut notices = Vec::new();
    let to = match var("PRE_COMMIT_TO_REF") {
        Some(to) => to,
        None => {
            let commit = repo
                .revparse_single(&local)
                .and_then(|o| o.peel_to_commit())
                .with_context(|| {
                    format!(
                        "the pre-commit framework named no commit to push and {local:?} cannot be resolved"
                    )
                })?;
            if named.is_none() {
                notices.push(source::Notice {
                    path: "pre-commit framework".into(),
                    commit: None,
                    reason:
                        "it named no ref being pushed: scanned HEAD's commits that the remote lacks"
                            .into(),
                });
            }
            commit.id().to_string()
        }
    };
    let from = var("PRE_COMMIT_FROM_REF").unwrap_or_else(|| "0".repeat(40));
    let remote = var("PRE_COMMIT_REMOTE_BRANCH").unwrap_or_else(|| local.clone());
    notices.push(source::Notice {
        path: "pre-commit framework".into(),
        commit: None,
        reason: format!(
            "it passes coach only the first ref of a push ({local}): any other branch or tag pushed with it was NOT scanned. Push one ref at a time, or use coach's own pre-push hook (`coach install --pre-push`), which sees every ref"
        ),
    });
    Ok(Some((format!("{local} {to} {remote} {from}\n"), notices)))
}

/// Records the push's findings and the commits no pre-commit approved (bypasses), which the report
/// then names. Failures are warnings: the verdict is already decided.
fn record_push(
    engine: &mut Engine,
    repo: &git2::Repository,
    commits: &[git2::Oid],
    report: &mut Report,
) {
    let Some(session) = engine.ledger.as_mut() else {
        return;
    };
    match session.record_push(repo, commits, &report.findings) {
        Ok(mut notices) => {
            report.notices.append(&mut notices);
            report.notices.sort();
            report.notices.dedup();
        }
        Err(e) => eprintln!("coach: warning: {}", esc_lines(&e.warning())),
    }
}

/// Only a true `COACH_SKIP` (`1`, `true`, `yes`, any case) skips: `COACH_SKIP=false` must not mean
/// "skip" (#11). A value that is neither true nor false scans, and says why.
fn skip_requested() -> bool {
    let Some(raw) = std::env::var_os("COACH_SKIP") else {
        return false;
    };
    let raw = raw.to_string_lossy();
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => true,
        "" | "0" | "false" | "no" | "off" => false,
        _ => {
            eprintln!(
                "coach: COACH_SKIP={raw:?} is not a true value (1, true or yes): scanning anyway"
            );
            false
        }
    }
}

/// Writes a report. Hooks write to stderr (Git shows it; stdout stays clean).
pub fn emit(report: &Report, format: Format, output: Option<&Path>, hook: bool) -> Result<()> {
    let text = match format {
        Format::Human => report::human::render(report),
        Format::Json => report::json::render(report),
        Format::Sarif => report::sarif::render(report),
    };
    if let Some(path) = output {
        std::fs::write(path, &text).with_context(|| format!("writing {}", path.display()))?;
        if format != Format::Human {
            eprintln!("{}", report::human::summary(report));
        }
        return Ok(());
    }
    if hook {
        report::write_all(&mut std::io::stderr().lock(), &text)?;
    } else {
        report::write_all(&mut std::io::stdout().lock(), &text)?;
    }
    Ok(())
}
