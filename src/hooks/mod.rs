//! `coach install` / `coach uninstall`: writes small shell shims into the hooks folder Git actually
//! uses (`core.hooksPath`, worktrees), chains any hook that was there before, and removes only what
//! coach wrote. A hook manager's folder is never written: see `managers`. See: #2, #16.
pub mod managers;
mod passthrough;
mod repair;
pub mod status;

use passthrough::pass_through_script;
pub use passthrough::GIT_HOOK_NAMES;
pub use repair::{needs_repair, repair};

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The first lines of every hook coach writes; how `uninstall` knows a hook is its own.
const MARKER: &str = "# coach-managed-hook";
/// Suffix under which a pre-existing hook is kept and chained.
pub const CHAINED_SUFFIX: &str = ".coach-chained";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookKind {
    PreCommit,
    PrePush,
    /// Scans the message Git is about to commit (#11): a pasted token never reaches a commit.
    CommitMsg,
}

impl HookKind {
    pub const ALL: [HookKind; 3] = [HookKind::PreCommit, HookKind::PrePush, HookKind::CommitMsg];

    pub fn file_name(self) -> &'static str {
        match self {
            HookKind::PreCommit => "pre-commit",
            HookKind::PrePush => "pre-push",
            HookKind::CommitMsg => "commit-msg",
        }
    }
}

/// The hook script. `global`: a global `core.hooksPath` hides each repository's own `.git/hooks`,
/// so the global shim runs that hook first (same contract as a chained one) and breaks nothing.
fn script_for(kind: HookKind, coach_bin: &Path, global: bool) -> String {
    let name = kind.file_name();
    // The path goes into the script only inside single quotes (a `'` becomes `'\''`), and the
    // messages expand it as a variable: `$()`, backticks or `"` in it are never evaluated. See: #10.
    let bin = coach_bin.display().to_string().replace('\'', r"'\''");
    let run_chained = match kind {
        HookKind::PreCommit | HookKind::CommitMsg => format!(
            "if [ -x \"$hook_dir/{name}{CHAINED_SUFFIX}\" ]; then\n  \"$hook_dir/{name}{CHAINED_SUFFIX}\" \"$@\" || exit $?\nfi\n"
        ),
        // Git gives pre-push its ref list on stdin: keep it so both hooks can read it.
        HookKind::PrePush => format!(
            "input=$(cat)\nif [ -x \"$hook_dir/{name}{CHAINED_SUFFIX}\" ]; then\n  printf '%s\\n' \"$input\" | \"$hook_dir/{name}{CHAINED_SUFFIX}\" \"$@\" || exit $?\nfi\n"
        ),
    };
    let run_repo_hook = if global {
        let pass = match kind {
            HookKind::PreCommit | HookKind::CommitMsg => String::new(),
            HookKind::PrePush => "printf '%s\\n' \"$input\" | ".to_owned(),
        };
        // `--git-common-dir` so linked worktrees find the main repository's hooks folder.
        format!(
            "repo_hook=\"$(git rev-parse --git-common-dir 2>/dev/null)/hooks/{name}\"\n\
if [ -x \"$repo_hook\" ] && [ \"$(cd \"$(dirname \"$repo_hook\")\" && pwd)\" != \"$(cd \"$hook_dir\" && pwd)\" ]; then\n  \
{pass}\"$repo_hook\" \"$@\" || exit $?\nfi\n"
        )
    } else {
        String::new()
    };
    let run_coach = match kind {
        HookKind::PreCommit | HookKind::CommitMsg => {
            format!("exec \"$coach_bin\" hook {name} \"$@\"\n")
        }
        HookKind::PrePush => {
            format!("printf '%s\\n' \"$input\" | \"$coach_bin\" hook {name} \"$@\"\n")
        }
    };
    format!(
        "#!/bin/sh\n{MARKER}: {name}\n\
# Written by `coach install`; `coach uninstall` removes it. A hook that was here before is kept as\n\
# {name}{CHAINED_SUFFIX} and runs first; its verdict is kept.\n\
hook_dir=$(dirname \"$0\")\n\
{run_chained}\
{run_repo_hook}\
coach_path='{bin}'\n\
coach_bin=$coach_path\n\
if [ ! -x \"$coach_bin\" ]; then\n  coach_bin=$(command -v coach 2>/dev/null) || coach_bin=''\nfi\n\
if [ -z \"$coach_bin\" ]; then\n  \
printf '%s\\n' \"coach: the {name} hook cannot find the coach binary (not at $coach_path, not on PATH).\" >&2\n  \
printf '%s\\n' \"coach: reinstall it (./install.sh), remove this hook (coach uninstall), or bypass once (git {verb} --no-verify).\" >&2\n  \
exit 2\nfi\n\
{run_coach}",
        verb = if kind == HookKind::PrePush { "push" } else { "commit" },
    )
}

pub(crate) fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .is_ok_and(|s| s.lines().nth(1).is_some_and(|l| l.starts_with(MARKER)))
}

/// The coach binary path a coach hook calls (its `coach_path='...'` line).
pub(crate) fn called_binary(script: &str) -> Option<PathBuf> {
    let line = script
        .lines()
        .find_map(|l| l.strip_prefix("coach_path='"))?;
    let raw = line.strip_suffix('\'')?;
    Some(PathBuf::from(raw.replace(r"'\''", "'")))
}

/// What `coach install` should do beyond writing coach's own hooks.
#[derive(Debug, Clone, Copy, Default)]
pub struct InstallOptions {
    pub force: bool,
    /// Write the entry into a hook manager's config instead of printing it.
    pub integrate: bool,
}

/// Installs the given hooks for the repository at `cwd`; returns one line per thing done or said.
pub fn install(cwd: &Path, kinds: &[HookKind], opts: InstallOptions) -> Result<Vec<String>> {
    let r = status::locate(cwd)?;
    let mut done = Vec::new();
    if r.bare {
        done.push(format!(
            "warning: {} is a bare repository: pre-commit and commit-msg hooks never run in it (nobody commits there); install coach in the clones people work in",
            r.common.display()
        ));
    }
    if r.hooks_path_is_global() {
        let global = &r.effective;
        if status::dir_runs_coach(global) {
            done.push(format!(
                "coach's global hooks in {} already run in this repository (core.hooksPath, global Git config): nothing installed here, and the global folder was not touched",
                global.display()
            ));
            return Ok(done);
        }
        done.extend(install_into(&r.default_dir, kinds, opts.force, false)?);
        done.push(format!(
            "warning: Git runs hooks from {} (core.hooksPath in the global Git config), not from {}: these hooks run only if that folder's hooks call them. To make Git use them in this repository: git config core.hooksPath {}",
            global.display(),
            r.default_dir.display(),
            shlex::try_quote(&r.default_dir.display().to_string()).unwrap_or_default()
        ));
        return Ok(done);
    }
    if let Some(found) = managers::detect(r.root.as_deref(), &r.effective) {
        done.extend(repair(&r.repair_dirs()));
        done.extend(integrate_with(&r, found, kinds, opts.integrate)?);
        return Ok(done);
    }
    done.extend(install_into(&r.effective, kinds, opts.force, false)?);
    Ok(done)
}

/// A hook manager owns the hooks: coach's entries go into its config (printed, or with
/// `--integrate` appended), never into its scripts.
fn integrate_with(
    r: &status::RepoHooks,
    found: managers::Detected,
    kinds: &[HookKind],
    write: bool,
) -> Result<Vec<String>> {
    let m = found.manager;
    let mut done = vec![format!(
        "{} manages this repository's hooks ({}): coach leaves its scripts alone and runs from its config instead",
        m.name(),
        found.why
    )];
    let Some(root) = r.root.as_deref() else {
        return Ok(done);
    };
    let mut missing = 0;
    for &kind in kinds {
        if let Some(p) = managers::runs_coach(m, Some(root), &r.effective, kind) {
            done.push(format!(
                "{}: already runs coach ({})",
                kind.file_name(),
                p.display()
            ));
            continue;
        }
        if write {
            done.push(managers::integrate(m, root, kind)?);
            continue;
        }
        match managers::entry(m, root, kind) {
            Some(e) => {
                missing += 1;
                let then = e
                    .then
                    .map(|t| format!("\n  then run: {t}"))
                    .unwrap_or_default();
                done.push(format!(
                    "{}: add to {}:\n{}{then}",
                    kind.file_name(),
                    e.file.display(),
                    indent(&e.text).trim_end()
                ));
            }
            None => done.push(format!(
                "{}: {} has no entry coach can offer for this hook; run `coach scan --range` for it in CI instead",
                kind.file_name(),
                m.name()
            )),
        }
    }
    if missing > 0 {
        done.push(format!(
            "coach is NOT running from {} yet: add the entries above, or rerun `coach install --integrate` to have coach add them",
            m.name()
        ));
    }
    Ok(done)
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}\n"))
        .collect::<String>()
}

/// The folder `coach install --global` owns: `$XDG_CONFIG_HOME/coach/hooks` (or `~/.config/...`).
pub fn global_hooks_dir() -> Result<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .context("neither XDG_CONFIG_HOME nor HOME is set")?;
    Ok(base.join("coach").join("hooks"))
}

fn git_global(args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .args(["config", "--global"])
        .args(args)
        .output()
        .context("running git (is it installed?)")
}

/// `coach install --global`: hooks for every repository of this user, through the global
/// `core.hooksPath`. If that is already set (to a folder coach does not own), coach installs into
/// it, chaining what is there, rather than taking it over. Every other hook type passes through to
/// the repository's own hook.
pub fn install_global(kinds: &[HookKind], force: bool) -> Result<Vec<String>> {
    let out = git_global(&["--get", "core.hooksPath"])?;
    let current = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let mut done = Vec::new();
    let dir = if current.is_empty() {
        let dir = global_hooks_dir()?;
        let set = git_global(&["core.hooksPath", &dir.display().to_string()])?;
        if !set.status.success() {
            bail!(
                "could not set core.hooksPath in the global Git config: {}",
                String::from_utf8_lossy(&set.stderr).trim()
            );
        }
        done.push(format!(
            "set core.hooksPath = {} in the global Git config",
            dir.display()
        ));
        dir
    } else {
        let dir = PathBuf::from(shellexpand_home(&current));
        done.push(format!(
            "core.hooksPath is already {current} in the global Git config: installing there"
        ));
        dir
    };
    done.extend(install_into(&dir, kinds, force, true)?);
    let mut passed = 0;
    for name in GIT_HOOK_NAMES {
        if kinds.iter().any(|k| k.file_name() == name) {
            continue;
        }
        let path = dir.join(name);
        if path.exists() && !is_ours(&path) {
            done.push(format!(
                "left {} alone (not coach's): it decides whether the repository's own {name} hook runs",
                path.display()
            ));
            continue;
        }
        write_executable(&path, &pass_through_script(name))?;
        passed += 1;
    }
    done.push(format!(
        "{passed} other hook types (commit-msg, post-checkout, ...) pass through to each repository's own hook"
    ));
    Ok(done)
}

/// `coach uninstall --global`: removes coach's global hooks, and the core.hooksPath setting if it
/// points at coach's own folder.
pub fn uninstall_global() -> Result<Vec<String>> {
    let out = git_global(&["--get", "core.hooksPath"])?;
    let current = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if current.is_empty() {
        return Ok(vec!["no global core.hooksPath: nothing to remove".into()]);
    }
    let dir = PathBuf::from(shellexpand_home(&current));
    let mut done = uninstall_dir(&dir)?;
    if dir == global_hooks_dir()? {
        let unset = git_global(&["--unset", "core.hooksPath"])?;
        if !unset.status.success() {
            bail!(
                "could not unset core.hooksPath: {}",
                String::from_utf8_lossy(&unset.stderr).trim()
            );
        }
        done.push("unset core.hooksPath in the global Git config".into());
    }
    Ok(done)
}

/// Git expands a leading `~/` in core.hooksPath; so must we.
pub(crate) fn shellexpand_home(p: &str) -> String {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest).display().to_string(),
        _ => p.to_owned(),
    }
}

fn write_executable(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("making {} executable", path.display()))?;
    }
    Ok(())
}

fn install_into(dir: &Path, kinds: &[HookKind], force: bool, global: bool) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let bin = std::env::current_exe().context("finding the coach binary")?;
    let mut done = Vec::new();
    for &kind in kinds {
        let path = dir.join(kind.file_name());
        let chained = dir.join(format!("{}{CHAINED_SUFFIX}", kind.file_name()));
        let mut note = String::new();
        if path.exists() && !is_ours(&path) {
            if chained.exists() && !force {
                bail!(
                    "{} exists and is not coach's, and {} is already taken; move one of them away, or rerun with --force to replace {}",
                    path.display(),
                    chained.display(),
                    path.display()
                );
            }
            if chained.exists() {
                std::fs::remove_file(&path)
                    .with_context(|| format!("removing {}", path.display()))?;
                note = " (replaced the existing hook: --force)".into();
            } else {
                std::fs::rename(&path, &chained).with_context(|| {
                    format!("moving {} to {}", path.display(), chained.display())
                })?;
                note = format!(
                    " (the existing hook now runs first, from {})",
                    chained.display()
                );
            }
        }
        write_executable(&path, &script_for(kind, &bin, global))?;
        done.push(format!(
            "installed {} hook: {}{note}",
            kind.file_name(),
            path.display()
        ));
    }
    Ok(done)
}

/// Removes coach's hooks (and puts back any hook it had chained), in every folder a coach version
/// may have written for this repository but never the global one; leaves everything else alone.
pub fn uninstall(cwd: &Path) -> Result<Vec<String>> {
    let r = status::locate(cwd)?;
    let mut done = Vec::new();
    for dir in r.repair_dirs() {
        if dir.is_dir() {
            let lines = uninstall_dir(&dir)?;
            // Foreign hooks are named only where Git runs hooks: elsewhere they are noise.
            let quiet = dir != r.effective;
            done.extend(lines.into_iter().filter(|l| {
                let noise = l.starts_with("no coach hooks") || (quiet && l.starts_with("left "));
                !noise
            }));
        }
    }
    done.extend(repair(&r.repair_dirs()));
    if let Some(found) = managers::detect(r.root.as_deref(), &r.effective) {
        for kind in HookKind::ALL {
            if let Some(p) =
                managers::runs_coach(found.manager, r.root.as_deref(), &r.effective, kind)
            {
                done.push(format!(
                    "{} still runs coach's {} check from {}: remove its `coach hook` entry to stop it",
                    found.manager.name(),
                    kind.file_name(),
                    p.display()
                ));
            }
        }
    }
    if r.hooks_path_is_global() && status::dir_runs_coach(&r.effective) {
        done.push(format!(
            "coach's global hooks in {} still run here: `coach uninstall --global` removes them",
            r.effective.display()
        ));
    }
    if done.is_empty() {
        done.push(format!("no coach hooks for {}", r.common.display()));
    }
    Ok(done)
}

fn uninstall_dir(dir: &Path) -> Result<Vec<String>> {
    let mut done = Vec::new();
    let mut passed = 0;
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    // `*.coach-chained` and `*.legacy` are `repair`'s to explain.
    for name in names.iter().filter(|n| !n.contains('.')) {
        let path = dir.join(name);
        if !is_ours(&path) {
            if HookKind::ALL.iter().any(|k| k.file_name() == name) {
                done.push(format!("left {} alone: it is not coach's", path.display()));
            }
            continue;
        }
        std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        if HookKind::ALL.iter().any(|k| k.file_name() == name) {
            done.push(format!("removed {}", path.display()));
        } else {
            passed += 1;
        }
        let chained = dir.join(format!("{name}{CHAINED_SUFFIX}"));
        if chained.exists() {
            std::fs::rename(&chained, &path)
                .with_context(|| format!("restoring {}", path.display()))?;
            done.push(format!("restored the previous hook to {}", path.display()));
        }
    }
    if passed > 0 {
        done.push(format!(
            "removed {passed} pass-through hooks from {}",
            dir.display()
        ));
    }
    if done.is_empty() {
        done.push(format!("no coach hooks in {}", dir.display()));
    }
    Ok(done)
}
