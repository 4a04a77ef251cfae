//! The engine: settings, rules, key and baseline loaded once; the one decide → coach → report tail
//! every source shares; opening the repository; writing a report.
use crate::cli::{BaselineCommand, Cli, Command};
use crate::config::{self, Settings};
use crate::decide::{policy, Suppressor};
use crate::error::{Error, ExitStatus};
use crate::escape::terminal_lines as esc_lines;
use crate::finding::{self, FingerprintKey, Verdict};
use crate::report::{self, Format, Report};
use crate::rules::{RuleSet, RuleSource};
use crate::scan::{ScanOutcome, Scanner};
use crate::source::{self, Collected};
use crate::{baseline, coaching, ledger, repofile, state, time};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Rules, settings and key: everything a scan needs, loaded once.
pub struct Engine {
    pub settings: Settings,
    pub rules: RuleSet,
    pub key: FingerprintKey,
    pub warnings: Vec<String>,
    /// The behaviour ledger, attached by the hooks (`coach scan` reads one that exists, records nothing).
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
        Self::with_settings(cli, settings, repo_root)
    }

    /// [`Engine::load`] with the settings already loaded.
    pub fn with_settings(cli: &Cli, settings: Settings, repo_root: Option<&Path>) -> Result<Self> {
        // Scanning reads no rule's examples: `coach rules` loads them (#15).
        let mut rules = RuleSet::compile_lean(rule_sources(
            cli.rules_dir.as_deref(),
            &settings.extra_rules,
            repo_root,
        )?)?;
        settings.check_kinds(rules.rules.iter().map(|r| r.kind.as_str()))?;
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
        let opened = ledger::Session::open(repo, &self.settings.ledger, stage);
        self.attach_opened(opened);
    }

    /// Attaches a ledger [`ledger::Session::open`] gave for these settings.
    pub fn attach_opened(&mut self, opened: Result<Option<ledger::Session>, ledger::LedgerError>) {
        match opened {
            Ok(s) => {
                self.ledger = s.map(|mut s| {
                    s.max_blob = self.settings.limits.max_file_size;
                    s
                })
            }
            Err(e) => self.warnings.push(e.warning()),
        }
    }

    /// Detection and suppression for repository-relative unit paths (staged, push, history).
    pub fn pipeline(&self) -> Pipeline<'_> {
        Pipeline {
            scanner: Scanner::new(&self.rules, self.key.clone()),
            suppressor: Suppressor::new(&self.settings.allowlist, self.baseline.as_ref()),
        }
    }

    /// [`Engine::pipeline`] for paths given on the command line (relative to the working
    /// directory).
    pub fn pipeline_for_paths(&self) -> Pipeline<'_> {
        let mut p = self.pipeline();
        if let (Some(root), Ok(cwd)) = (&self.repo_root, std::env::current_dir()) {
            p.suppressor = p.suppressor.paths_relative_to(cwd, root.clone());
        }
        p
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
            pipeline_owner: None,
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

pub(crate) fn rule_sources(
    dir: Option<&Path>,
    extra: &[config::ExtraRules],
    repo_root: Option<&Path>,
) -> Result<Vec<RuleSource>> {
    let mut sources: Vec<RuleSource> = match dir {
        Some(d) => RuleSet::sources_from_dir(d)?,
        None => RuleSet::builtin_sources(),
    };
    // The repository's rule files share one size cap: each rule costs memory when loaded (about
    // 30 KB), so a cap per file alone let a repository list as many files as it liked (#15).
    let mut repo_bytes = 0u64;
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
                    repofile::MAX_RULES_BYTES - repo_bytes,
                )?
                .ok_or_else(|| Error::Io {
                    path: path.clone(),
                    source: std::io::Error::from(std::io::ErrorKind::NotFound),
                })?;
                repo_bytes += text.len() as u64;
                sources.push(RuleSource {
                    path: path.clone(),
                    text: text.into(),
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

pub(crate) fn repo_root(repo: &git2::Repository) -> Option<PathBuf> {
    repo.workdir().map(Path::to_path_buf)
}

pub(crate) fn print_warnings(engine: &Engine) {
    for w in &engine.warnings {
        eprintln!("coach: warning: {}", esc_lines(w));
    }
}

/// Settings for commands that may run outside a repository (stats, ledger).
pub(crate) fn settings_anywhere(sources: &config::Sources) -> Result<Settings> {
    let repo = git2::Repository::discover(".").ok();
    Ok(Settings::load(
        repo.as_ref().and_then(repo_root).as_deref(),
        sources,
    )?)
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
        // The verdict is never only in a file: a person running it sees how it went.
        eprintln!("{}", report::human::summary(report));
        return Ok(());
    }
    if hook {
        report::write_all(&mut std::io::stderr().lock(), &text)?;
    } else {
        report::write_all(&mut std::io::stdout().lock(), &text)?;
    }
    Ok(())
}

/// The step every source drives each unit through: detection, then suppression. Sources call
/// [`Pipeline::unit`]; the engine's tail (policy, dedup, coaching) runs once on the merged outcome.
pub struct Pipeline<'e> {
    pub scanner: Scanner<'e>,
    pub suppressor: Suppressor<'e>,
}

impl Pipeline<'_> {
    pub fn unit(&self, u: &crate::source::ScanUnit) -> ScanOutcome {
        self.suppressor
            .apply(u, self.scanner.detect(u), &self.scanner)
    }

    /// A unit path as the repository sees it.
    pub fn repo_path(&self, path: &str) -> String {
        self.suppressor.repo_path(path)
    }
}
