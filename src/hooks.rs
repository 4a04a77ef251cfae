//! `coach install` / `coach uninstall`: writes small shell shims into the hooks folder Git actually
//! uses (`core.hooksPath`, worktrees), chains any hook that was there before, and removes only what
//! coach wrote.
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
    pub fn file_name(self) -> &'static str {
        match self {
            HookKind::PreCommit => "pre-commit",
            HookKind::PrePush => "pre-push",
            HookKind::CommitMsg => "commit-msg",
        }
    }
}

/// The hooks folder Git will run hooks from, for the repository containing `cwd`.
pub fn hooks_dir(cwd: &Path) -> Result<PathBuf> {
    let out = Command::new("git")
        .args(["rev-parse", "--git-path", "hooks"])
        .current_dir(cwd)
        .output()
        .context("running git (is it installed?)")?;
    if !out.status.success() {
        bail!(
            "not inside a Git repository ({}): {}",
            cwd.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let rel = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    Ok(if rel.is_absolute() {
        rel
    } else {
        cwd.join(rel)
    })
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

fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .is_ok_and(|s| s.lines().nth(1).is_some_and(|l| l.starts_with(MARKER)))
}

/// Installs the given hooks; returns one line per hook saying what was done.
pub fn install(cwd: &Path, kinds: &[HookKind], force: bool) -> Result<Vec<String>> {
    let dir = hooks_dir(cwd)?;
    install_into(&dir, kinds, force, false)
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
/// it, chaining what is there, rather than taking it over.
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
fn shellexpand_home(p: &str) -> String {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest).display().to_string(),
        _ => p.to_owned(),
    }
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
        std::fs::write(&path, script_for(kind, &bin, global))
            .with_context(|| format!("writing {}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                .with_context(|| format!("making {} executable", path.display()))?;
        }
        done.push(format!(
            "installed {} hook: {}{note}",
            kind.file_name(),
            path.display()
        ));
    }
    Ok(done)
}

/// Removes coach's hooks (and puts back any hook it had chained); leaves everything else alone.
pub fn uninstall(cwd: &Path) -> Result<Vec<String>> {
    uninstall_dir(&hooks_dir(cwd)?)
}

fn uninstall_dir(dir: &Path) -> Result<Vec<String>> {
    let mut done = Vec::new();
    for kind in [HookKind::PreCommit, HookKind::PrePush, HookKind::CommitMsg] {
        let path = dir.join(kind.file_name());
        let chained = dir.join(format!("{}{CHAINED_SUFFIX}", kind.file_name()));
        if path.exists() && !is_ours(&path) {
            done.push(format!("left {} alone: it is not coach's", path.display()));
            continue;
        }
        if path.exists() {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
            done.push(format!("removed {}", path.display()));
        }
        if chained.exists() {
            std::fs::rename(&chained, &path)
                .with_context(|| format!("restoring {}", path.display()))?;
            done.push(format!("restored the previous hook to {}", path.display()));
        }
    }
    if done.is_empty() {
        done.push(format!("no coach hooks in {}", dir.display()));
    }
    Ok(done)
}
