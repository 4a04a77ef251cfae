//! coach: a Git hook that stops credentials from leaking and coaches the fix.
//!
//! Data flow: `cli::Cli` → `config::Settings` + `rules::RuleSet` → `source::*` → `Vec<ScanUnit>` →
//! `scan::Scanner` (rayon: prefilter → regex → validators) → `Vec<Finding>` (redacted) →
//! `policy::decide` → `coaching::guidance` → `report::*` → `ExitStatus`.
#![allow(clippy::print_stderr)]

pub mod cli;
pub mod coaching;
pub mod config;
pub mod error;
pub mod finding;
pub mod hooks;
pub mod policy;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod state;
pub mod time;

use anyhow::{Context, Result};
use cli::{Cli, ColorChoice, Command, HookCommand, RulesCommand, ScanArgs};
use config::Settings;
use error::{Error, ExitStatus};
use finding::{FingerprintKey, Verdict};
use report::{Format, Report};
use rules::{RuleSet, RuleSource};
use scan::{ScanOutcome, Scanner};
use source::Collected;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Runs one command and returns the exit status; errors are printed by `main`.
pub fn run(cli: Cli) -> Result<ExitStatus> {
    set_color(cli.color);
    match &cli.command {
        Command::Scan(args) => scan_command(&cli, args),
        Command::Hook(HookCommand::PreCommit) => pre_commit(&cli),
        Command::Rules(cmd) => rules_command(&cli, cmd),
        Command::Install(args) => {
            let cwd = std::env::current_dir()?;
            for line in hooks::install(&cwd, &args.kinds(), args.force)? {
                eprintln!("coach: {line}");
            }
            Ok(ExitStatus::Allow)
        }
        Command::Uninstall => {
            let cwd = std::env::current_dir()?;
            for line in hooks::uninstall(&cwd)? {
                eprintln!("coach: {line}");
            }
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
}

impl Engine {
    pub fn load(cli: &Cli, repo_root: Option<&Path>) -> Result<Self> {
        let settings = Settings::load(repo_root, cli.config.as_deref())?;
        let mut rules = load_rules(cli.rules_dir.as_deref(), &[])?;
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
        Ok(Engine {
            settings,
            rules,
            key,
            warnings,
        })
    }

    pub fn scanner(&self) -> Scanner<'_> {
        Scanner::new(&self.rules, self.key.clone())
    }

    /// Policy and coaching over scanned units: the shared tail of every source.
    pub fn finish(
        &self,
        source: &str,
        collected: Collected,
        mut outcome: ScanOutcome,
        ctx: &coaching::Context,
    ) -> Report {
        let lines = collected.lines
            + collected
                .units
                .iter()
                .map(source::ScanUnit::added_lines)
                .sum::<usize>();
        for f in &mut outcome.findings {
            f.role = self.settings.role_for(&f.path).map(str::to_owned);
            policy::decide(&self.settings, f);
        }
        let mut notices = collected.notices;
        notices.append(&mut outcome.notices);
        notices.sort();
        notices.dedup();
        let mut errors = collected.errors;
        errors.sort();
        let verdict = policy::overall(&outcome.findings);
        let guidance = self.guidance(&outcome.findings, ctx);
        let status = if !errors.is_empty() {
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
            verdict,
            guidance,
            status,
        }
    }

    /// One guidance block per credential kind, in the order kinds first appear.
    fn guidance(
        &self,
        findings: &[finding::Finding],
        ctx: &coaching::Context,
    ) -> Vec<coaching::Guidance> {
        let mut kinds: Vec<&str> = Vec::new();
        for f in findings.iter().filter(|f| f.verdict != Verdict::Allow) {
            if !kinds.contains(&f.kind.as_str()) {
                kinds.push(&f.kind);
            }
        }
        kinds
            .into_iter()
            .filter_map(|k| {
                let spec = self.rules.coaching(k)?;
                let members: Vec<&finding::Finding> = findings
                    .iter()
                    .filter(|f| f.kind == k && f.verdict != Verdict::Allow)
                    .collect();
                Some(coaching::guidance(k, spec, &members, ctx))
            })
            .collect()
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
                .map(|(n, _, c)| (n.clone(), c.clone()))
                .collect(),
            team_contact: self.settings.team_contact.clone(),
        }
    }
}

/// Built-in rules (or a folder's), plus extra files that replace same-named ones.
pub fn load_rules(dir: Option<&Path>, extra: &[PathBuf]) -> Result<RuleSet> {
    Ok(RuleSet::compile(rule_sources(dir, extra)?)?)
}

fn rule_sources(dir: Option<&Path>, extra: &[PathBuf]) -> Result<Vec<RuleSource>> {
    let mut sources: Vec<RuleSource> = match dir {
        Some(d) => RuleSet::sources_from_dir(d)?,
        None => rules::BUILTIN_RULE_FILES
            .iter()
            .map(|(n, t)| RuleSource {
                path: Path::new("rules").join(n),
                text: (*t).to_owned(),
            })
            .collect(),
    };
    for path in extra {
        let src = RuleSet::source_from_file(path)?;
        sources.retain(|s| s.path.file_name() != path.file_name());
        sources.push(src);
    }
    Ok(sources)
}

/// Opens the repository containing the current directory, or explains why not.
pub fn open_repo() -> Result<git2::Repository> {
    let cwd = std::env::current_dir().context("reading the current directory")?;
    git2::Repository::discover(&cwd).map_err(|e| {
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
    })
}

fn repo_root(repo: &git2::Repository) -> Option<PathBuf> {
    repo.workdir().map(Path::to_path_buf)
}

fn print_warnings(engine: &Engine) {
    for w in &engine.warnings {
        eprintln!("coach: warning: {w}");
    }
}

fn scan_staged(cli: &Cli) -> Result<Report> {
    let repo = open_repo()?;
    let engine = Engine::load(cli, repo_root(&repo).as_deref())?;
    print_warnings(&engine);
    let scanner = engine.scanner();
    let (collected, outcome) = source::staged::scan(&repo, engine.settings.limits, &scanner)?;
    let ctx = engine.context(Some(&repo));
    Ok(engine.finish("staged change", collected, outcome, &ctx))
}

fn scan_paths(cli: &Cli, roots: &[PathBuf]) -> Result<Report> {
    use rayon::prelude::*;
    let repo = git2::Repository::discover(".").ok();
    let engine = Engine::load(cli, repo.as_ref().and_then(repo_root).as_deref())?;
    print_warnings(&engine);
    let (files, walk_errors) = source::paths::walk(roots);
    let scanner = engine.scanner();
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
            |(mut ca, mut oa), (mut cb, mut ob)| {
                ca.units.append(&mut cb.units);
                ca.notices.append(&mut cb.notices);
                ca.errors.append(&mut cb.errors);
                ca.files += cb.files;
                ca.lines += cb.lines;
                oa.findings.append(&mut ob.findings);
                oa.notices.append(&mut ob.notices);
                (ca, oa)
            },
        );
    collected.errors.extend(walk_errors);
    let mut outcome = outcome;
    outcome.sort();
    let ctx = engine.context(None);
    Ok(engine.finish("paths", collected, outcome, &ctx))
}

fn scan_command(cli: &Cli, args: &ScanArgs) -> Result<ExitStatus> {
    let report = if args.paths.is_empty() {
        scan_staged(cli)?
    } else {
        scan_paths(cli, &args.paths)?
    };
    emit(&report, args.format, args.output.as_deref(), false)?;
    Ok(report.status)
}

fn pre_commit(cli: &Cli) -> Result<ExitStatus> {
    if skip_requested() {
        eprintln!("coach: COACH_SKIP is set: the pre-commit scan was skipped");
        return Ok(ExitStatus::Allow);
    }
    let report = scan_staged(cli)?;
    emit(&report, Format::Human, None, true)?;
    Ok(report.status)
}

fn skip_requested() -> bool {
    std::env::var_os("COACH_SKIP").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Writes a report. Hooks write to stderr (Git shows it; stdout stays clean).
pub fn emit(report: &Report, format: Format, output: Option<&Path>, hook: bool) -> Result<()> {
    let text = match format {
        Format::Human => report::human::render(report),
        Format::Json => report::json::render(report),
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

fn rules_command(cli: &Cli, cmd: &RulesCommand) -> Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    match cmd {
        RulesCommand::List => {
            let rules = load_rules(cli.rules_dir.as_deref(), &[])?;
            let text = rules::check::list(&rules);
            report::write_all(&mut out, &text)?;
            Ok(ExitStatus::Allow)
        }
        RulesCommand::Explain { id } => {
            let rules = load_rules(cli.rules_dir.as_deref(), &[])?;
            let text = rules::check::explain(&rules, id)?;
            report::write_all(&mut out, &text)?;
            Ok(ExitStatus::Allow)
        }
        RulesCommand::Check { files } => {
            let (rules, load_errors) =
                RuleSet::compile_lenient(rule_sources(cli.rules_dir.as_deref(), files)?);
            let only: Vec<PathBuf> = files.clone();
            let mut problems: Vec<String> = load_errors.iter().map(ToString::to_string).collect();
            problems.extend(rules::check::check(&rules, &only));
            for p in &problems {
                eprintln!("{p}");
            }
            let checked = rules
                .rules
                .iter()
                .filter(|r| {
                    only.is_empty()
                        || only
                            .iter()
                            .any(|f| f.file_name() == r.origin.path.file_name())
                })
                .count();
            if problems.is_empty() {
                let _ = writeln!(
                    out,
                    "coach rules check: {checked} rules, {} coached kinds: ok",
                    rules.coaching.len()
                );
                Ok(ExitStatus::Allow)
            } else {
                eprintln!(
                    "coach rules check: {} problem(s) in {checked} rules",
                    problems.len()
                );
                Ok(ExitStatus::Error)
            }
        }
    }
}
