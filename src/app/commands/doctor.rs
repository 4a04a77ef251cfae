//! `coach doctor`: which hooks Git will actually run for this repository and why, whether each runs
//! coach (and which binary, at which version), whether the config loads and the ledger can be
//! written, and the exact fix for each problem. Exit 0 healthy, 1 problems found, 2 usage. See: #16.
use crate::app::engine::Engine;
use crate::cli::Cli;
use crate::error::ExitStatus;
use crate::escape::terminal_lines as esc_lines;
use crate::hooks::{self, managers, status, HookKind};
use anyhow::Result;
use std::path::{Path, PathBuf};

struct Doctor {
    out: String,
    problems: usize,
}

impl Doctor {
    fn line(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }
    fn problem(&mut self, what: &str, fix: &str) {
        self.problems += 1;
        self.line(&format!("  PROBLEM: {what}"));
        self.line(&format!("  fix: {fix}"));
    }
}

fn quote(p: &Path) -> String {
    let s = p.display().to_string();
    shlex::try_quote(&s).map_or(s.clone(), |q| q.into_owned())
}

/// `coach` on PATH, as a hook manager's entry would find it.
fn on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("coach"))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// `<bin> --version`, first line; None when it does not run.
fn version_of(bin: &Path) -> Option<String> {
    let out = std::process::Command::new(bin)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    })
}

pub(crate) fn run(cli: &Cli) -> Result<ExitStatus> {
    let cwd = std::env::current_dir()?;
    let r = status::locate(&cwd)?;
    let mut d = Doctor {
        out: String::new(),
        problems: 0,
    };
    let this = std::env::current_exe().ok();
    d.line(&format!(
        "repository: {}",
        r.root.as_deref().unwrap_or(&r.common).display()
    ));
    if let Some(this) = &this {
        d.line(&format!(
            "this coach: {} ({})",
            this.display(),
            env!("CARGO_PKG_VERSION")
        ));
    }
    if r.bare {
        d.line("  note: a bare repository: pre-commit and commit-msg hooks never run here");
    }
    d.line(&format!(
        "hooks folder Git runs: {} ({})",
        r.effective.display(),
        r.why()
    ));
    let manager = managers::detect(r.root.as_deref(), &r.effective);
    match &manager {
        Some(m) => d.line(&format!("hook manager: {} ({})", m.manager.name(), m.why)),
        None => d.line("hook manager: none found"),
    }
    for kind in HookKind::ALL {
        check_hook(&mut d, &r, manager.as_ref().map(|m| m.manager), kind);
    }
    if let Some(m) = &manager {
        let left = hooks::needs_repair(&r.repair_dirs());
        if !left.is_empty() {
            d.line("left by an older coach:");
        }
        for p in left {
            d.problem(
                &format!(
                    "{} was left by an older coach: {} does not run it (pre-commit fails \"in migration mode\" while coach's old hook is its .legacy)",
                    p.display(),
                    m.manager.name()
                ),
                "run `coach install`: it puts the manager's own script back and removes coach's old one",
            );
        }
    }
    {
        if let Some(w) = status::stale(&r) {
            d.line("stale hooks:");
            let fix = match &manager {
                Some(m) => format!(
                    "run coach from {} (`coach install` prints the entry; `coach install --integrate` adds it), then `coach uninstall` removes the stale copies",
                    m.manager.name()
                ),
                None => "run `coach install`: it installs where Git looks now".into(),
            };
            d.problem(w.trim_end_matches(". `coach doctor` shows the fix"), &fix);
        }
    }
    check_config(&mut d, cli, r.root.as_deref());
    let verdict = if d.problems == 0 {
        "healthy: coach runs where Git looks".to_owned()
    } else {
        format!("{} problem(s) found", d.problems)
    };
    d.line(&format!("result: {verdict}"));
    crate::report::write_all(&mut std::io::stdout().lock(), &esc_lines(&d.out))?;
    Ok(if d.problems == 0 {
        ExitStatus::Allow
    } else {
        ExitStatus::Blocked
    })
}

fn check_hook(
    d: &mut Doctor,
    r: &status::RepoHooks,
    manager: Option<managers::Manager>,
    kind: HookKind,
) {
    let name = kind.file_name();
    let file = r.effective.join(name);
    // A missing commit-msg hook is a choice (`coach install --pre-commit`), not a hole.
    let required = kind != HookKind::CommitMsg;
    let text = std::fs::read_to_string(&file).ok();
    d.line(&format!("{name}: {}", file.display()));
    if text.is_some() && !is_executable(&file) {
        d.problem(
            &format!("{} is not executable: Git ignores it", file.display()),
            &format!("chmod +x {}", quote(&file)),
        );
        return;
    }
    if hooks::is_ours(&file) {
        let called = text.as_deref().and_then(hooks::called_binary);
        let bin = called.clone().filter(|b| is_executable(b));
        match (&called, &bin) {
            (Some(_), Some(b)) => report_binary(d, "runs coach (coach's hook)", b),
            _ => {
                let shown = called.map_or("?".into(), |c| c.display().to_string());
                match on_path() {
                    Some(p) => {
                        report_binary(d, &format!("runs coach, but {shown} is gone: it falls back to coach on PATH"), &p);
                        d.problem(
                            &format!("the hook calls {shown}, which no longer exists"),
                            "run `coach install` again with the coach you want the hooks to call",
                        );
                    }
                    None => d.problem(
                        &format!("the hook calls {shown}, which no longer exists, and no coach is on PATH: every {} fails", if kind == HookKind::PrePush { "push" } else { "commit" }),
                        "reinstall coach (./install.sh), then run `coach install` again",
                    ),
                }
            }
        }
        return;
    }
    if let Some(m) = manager {
        if let Some(via) = managers::runs_coach(m, r.root.as_deref(), &r.effective, kind) {
            if text.is_none() {
                let then = r
                    .root
                    .as_deref()
                    .and_then(|root| managers::entry(m, root, kind))
                    .and_then(|e| e.then)
                    .unwrap_or("reinstall the hook manager's hooks");
                d.problem(
                    &format!(
                        "{} names coach, but {} has no {name} hook: it never runs",
                        via.display(),
                        m.name()
                    ),
                    &format!("run `{then}`"),
                );
                return;
            }
            match on_path() {
                Some(p) => report_binary(
                    d,
                    &format!("runs coach via {} ({})", m.name(), via.display()),
                    &p,
                ),
                None => d.problem(
                    &format!("{} runs `coach`, but no coach is on PATH", via.display()),
                    "put coach on PATH (./install.sh installs it to ~/.local/bin)",
                ),
            }
            return;
        }
        if !required {
            d.line("  does not run coach (optional: it scans commit messages)");
            return;
        }
        let fix = match r
            .root
            .as_deref()
            .and_then(|root| managers::entry(m, root, kind))
        {
            Some(e) => format!(
                "add to {}:\n{}{}  or run: coach install --integrate",
                e.file.display(),
                e.text
                    .lines()
                    .map(|l| format!("      {l}\n"))
                    .collect::<String>(),
                e.then
                    .map(|t| format!("  then run: {t}\n"))
                    .unwrap_or_default()
            ),
            None => format!(
                "{} cannot run coach for {name}: run `coach scan --range` in CI",
                m.name()
            ),
        };
        d.problem(&format!("{} does not run coach for {name}", m.name()), &fix);
        return;
    }
    match text {
        Some(t) if t.contains(&format!("coach hook {name}")) => match on_path() {
            Some(p) => report_binary(d, "runs coach (a hand-written hook)", &p),
            None => d.problem(
                "the hook runs `coach`, but no coach is on PATH",
                "put coach on PATH (./install.sh)",
            ),
        },
        None if !required => {
            d.line("  not installed (optional: `coach install --commit-msg` scans commit messages)")
        }
        _ => {
            let what = if file.exists() {
                "a hook that is not coach's and does not run coach"
            } else {
                "no hook: coach does not run"
            };
            d.problem(
                what,
                "run `coach install` (it keeps an existing hook and runs it first)",
            );
        }
    }
}

fn report_binary(d: &mut Doctor, how: &str, bin: &Path) {
    match version_of(bin) {
        Some(v) => {
            d.line(&format!("  {how}: {} ({v})", bin.display()));
            let mine = format!("coach {}", env!("CARGO_PKG_VERSION"));
            if v != mine {
                d.line(&format!(
                    "  note: this is not the version running this check ({mine})"
                ));
            }
        }
        None => d.problem(
            &format!(
                "{how}: {}, which does not run (`--version` failed)",
                bin.display()
            ),
            "reinstall coach (./install.sh), then run `coach install` again",
        ),
    }
}

fn check_config(d: &mut Doctor, cli: &Cli, root: Option<&Path>) {
    match Engine::load(cli, root) {
        Ok(engine) => {
            d.line("config: loads (`coach config show` prints it)");
            let l = &engine.settings.ledger;
            if !l.enabled {
                d.line("ledger: disabled in config");
                return;
            }
            match l.resolved_path() {
                Some(p) => match writable(&p) {
                    Ok(()) => d.line(&format!("ledger: {} (writable)", p.display())),
                    Err(e) => d.problem(
                        &format!("the ledger {} cannot be written: {e}", p.display()),
                        "set COACH_STATE_DIR to a folder you can write, or `[ledger] enabled = false` in ~/.config/coach/config.toml",
                    ),
                },
                None => d.problem(
                    "no state folder: neither COACH_STATE_DIR, XDG_STATE_HOME nor HOME is set",
                    "export COACH_STATE_DIR=\"$HOME/.local/state/coach\"",
                ),
            }
        }
        Err(e) => {
            d.line("config:");
            d.problem(
                &format!("the config or rules do not load: {e:#}"),
                "correct the file and key named above (`coach config show` prints what loads)",
            )
        }
    }
}

/// Whether the ledger file (or, before the first run, its folder) can be written; writes nothing
/// lasting.
fn writable(p: &Path) -> std::io::Result<()> {
    if p.exists() {
        return std::fs::OpenOptions::new().append(true).open(p).map(|_| ());
    }
    let mut dir = p.parent().unwrap_or(Path::new(".")).to_path_buf();
    while !dir.exists() {
        match dir.parent() {
            Some(up) => dir = up.to_path_buf(),
            None => break,
        }
    }
    tempfile::tempfile_in(&dir).map(|_| ())
}
