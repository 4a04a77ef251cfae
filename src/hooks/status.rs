//! Where Git runs this repository's hooks from, and why: `core.hooksPath` (and the config scope it
//! came from), a hook manager, or coach's global folder. Used by install, `coach doctor`, and the
//! one-line warning `coach scan` and the hooks print when coach's hooks no longer run (#16).
use super::{is_ours, managers, HookKind};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `core.hooksPath` as Git sees it.
#[derive(Debug, Clone)]
pub struct HooksPath {
    pub value: String,
    /// `local`, `global`, `system`, `worktree` or `command`.
    pub scope: String,
}

/// One repository's hook folders.
#[derive(Debug, Clone)]
pub struct RepoHooks {
    /// The work tree's top folder (None in a bare repository).
    pub root: Option<PathBuf>,
    /// The common Git folder (shared by linked worktrees).
    pub common: PathBuf,
    /// `<common>/hooks`: where Git looks without core.hooksPath.
    pub default_dir: PathBuf,
    /// Where Git runs hooks from.
    pub effective: PathBuf,
    pub hooks_path: Option<HooksPath>,
    pub bare: bool,
}

impl RepoHooks {
    pub fn hooks_path_is_global(&self) -> bool {
        self.hooks_path
            .as_ref()
            .is_some_and(|h| h.scope == "global" || h.scope == "system")
    }

    /// Every folder of this repository that a coach version may have written into (never the
    /// global one).
    pub fn repair_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = Vec::new();
        if !self.hooks_path_is_global() {
            dirs.push(self.effective.clone());
        }
        dirs.push(self.default_dir.clone());
        if let Some(root) = &self.root {
            dirs.push(root.join(".husky"));
            dirs.push(root.join(".husky").join("_"));
        }
        let mut seen = Vec::new();
        dirs.retain(|d| {
            let key = d.canonicalize().unwrap_or_else(|_| d.clone());
            let fresh = !seen.contains(&key);
            seen.push(key);
            fresh
        });
        dirs
    }

    /// Why Git runs hooks from `effective`, in words.
    pub fn why(&self) -> String {
        match &self.hooks_path {
            Some(h) => format!("core.hooksPath = {} in the {} Git config", h.value, h.scope),
            None => "Git's default (no core.hooksPath is set)".into(),
        }
    }
}

fn git(cwd: &Path, args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .args(args)
        .current_dir(cwd)
        .output()
        .context("running git (is it installed?)")
}

/// The hook folders of the repository containing `cwd`.
pub fn locate(cwd: &Path) -> Result<RepoHooks> {
    let out = git(
        cwd,
        &[
            "rev-parse",
            "--is-bare-repository",
            "--path-format=absolute",
            "--git-common-dir",
        ],
    )?;
    if !out.status.success() {
        bail!(
            "not inside a Git repository ({}): {}",
            cwd.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    let bare = lines.next() == Some("true");
    let common = PathBuf::from(lines.next().unwrap_or_default());
    let root = if bare {
        None
    } else {
        let top = git(cwd, &["rev-parse", "--show-toplevel"])?;
        top.status
            .success()
            .then(|| PathBuf::from(String::from_utf8_lossy(&top.stdout).trim()))
    };
    with_hooks_path(cwd, root, common, bare)
}

/// The hook folders, given the repository's folders: Git is asked for `core.hooksPath`.
fn with_hooks_path(
    cwd: &Path,
    root: Option<PathBuf>,
    common: PathBuf,
    bare: bool,
) -> Result<RepoHooks> {
    let cfg = git(cwd, &HOOKS_PATH_QUERY)?;
    Ok(from_config(&cfg.stdout, root, common, bare))
}

/// What Git is asked: the value of `core.hooksPath` and the scope it came from.
const HOOKS_PATH_QUERY: [&str; 4] = ["config", "--show-scope", "--get", "core.hooksPath"];

/// The hook folders from Git's answer to [`HOOKS_PATH_QUERY`] (`scope<TAB>value`, or nothing).
fn from_config(stdout: &[u8], root: Option<PathBuf>, common: PathBuf, bare: bool) -> RepoHooks {
    let hooks_path = String::from_utf8_lossy(stdout)
        .trim_end_matches('\n')
        .split_once('\t')
        .map(|(scope, value)| HooksPath {
            value: value.to_owned(),
            scope: scope.to_owned(),
        })
        .filter(|h| !h.value.is_empty());
    let default_dir = common.join("hooks");
    let effective = match &hooks_path {
        Some(h) => resolve(&h.value, root.as_deref().unwrap_or(&common)),
        None => default_dir.clone(),
    };
    RepoHooks {
        root,
        common,
        default_dir,
        effective,
        hooks_path,
        bare,
    }
}

/// A core.hooksPath value as Git resolves it: `~/` expanded, relative to the work tree's top.
fn resolve(value: &str, base: &Path) -> PathBuf {
    let p = PathBuf::from(super::shellexpand_home(value));
    if p.is_absolute() {
        p
    } else {
        base.join(p)
    }
}

/// True when `dir` holds coach's own pre-commit or pre-push hook.
pub fn dir_runs_coach(dir: &Path) -> bool {
    is_ours(&dir.join("pre-commit")) || is_ours(&dir.join("pre-push"))
}

/// The cheap check `coach scan` and the hooks make (Git asked once where hooks live, then a few
/// file reads): when coach's hooks sit in a folder Git no longer runs (husky set core.hooksPath on
/// `npm install`, or a repository's own core.hooksPath hides coach's global folder), one line
/// saying so. Git itself is asked, not libgit2, which does not read `GIT_CONFIG_GLOBAL`.
///
/// In two halves, so a hook asks Git while it scans: the `git config` process (~5 ms) is started
/// first and read when the warning is due (#15).
pub struct StaleCheck {
    pending: Option<Pending>,
}

enum Pending {
    /// A linked worktree: its common folder is elsewhere, and Git says where (asked at `finish`).
    Worktree(PathBuf),
    /// The config question, running.
    Asked {
        child: std::process::Child,
        root: Option<PathBuf>,
        common: PathBuf,
        bare: bool,
    },
}

impl StaleCheck {
    /// Starts the check for the open `repo`: its folders come from it, only the config question
    /// goes to Git (one process per hook run instead of three).
    pub fn start(repo: &git2::Repository) -> Self {
        let plain = |p: &Path| p.components().collect::<PathBuf>();
        let cwd = repo.workdir().unwrap_or(repo.path()).to_path_buf();
        if repo.is_worktree() {
            return Self {
                pending: Some(Pending::Worktree(cwd)),
            };
        }
        let child = Command::new("git")
            .args(HOOKS_PATH_QUERY)
            .current_dir(&cwd)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn();
        let pending = child.ok().map(|child| Pending::Asked {
            child,
            root: (!repo.is_bare())
                .then(|| repo.workdir().map(plain))
                .flatten(),
            common: plain(repo.path()),
            bare: repo.is_bare(),
        });
        Self { pending }
    }

    /// The warning, if any; waits for Git's answer.
    pub fn finish(self) -> Option<String> {
        let r = match self.pending? {
            Pending::Worktree(cwd) => locate(&cwd).ok()?,
            Pending::Asked {
                child,
                root,
                common,
                bare,
            } => {
                let out = child.wait_with_output().ok()?;
                from_config(&out.stdout, root, common, bare)
            }
        };
        stale(&r)
    }
}

/// The stale-hooks warning for a located repository.
pub fn stale(r: &RepoHooks) -> Option<String> {
    let effective = &r.effective;
    if dir_runs_coach(effective) {
        return None;
    }
    let root = r.root.as_deref();
    if let Some(found) = managers::detect(root, effective) {
        let m = found.manager;
        if managers::runs_coach(m, root, effective, HookKind::PreCommit).is_some()
            || managers::runs_coach(m, root, effective, HookKind::PrePush).is_some()
        {
            return None;
        }
    }
    let same = |a: &Path, b: &Path| {
        a.canonicalize().unwrap_or_else(|_| a.into())
            == b.canonicalize().unwrap_or_else(|_| b.into())
    };
    let global = super::global_hooks_dir().ok();
    let stale = [Some(r.default_dir.clone()), global]
        .into_iter()
        .flatten()
        .find(|d| !same(d, effective) && dir_runs_coach(d))?;
    Some(format!(
        "coach's hooks in {} no longer run: Git runs this repository's hooks from {} ({}). `coach doctor` shows the fix",
        stale.display(),
        effective.display(),
        r.why()
    ))
}
