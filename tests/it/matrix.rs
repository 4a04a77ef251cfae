//! The Git-operation matrix (#11, "How to prove it"): every way content enters a commit, times
//! each stage that must catch it: (1) pre-commit, through the real Git operation with coach's hooks
//! installed; (2) pre-push of the same change committed with `--no-verify`, through a real
//! `git push` to a local bare remote; (3) `coach scan --history` of that repository.
//!
//! One table, one line per row. A cell is the outcome the issue requires; a cell that does not hold
//! on main yet is marked `pend(..)`: it still runs, its actual outcome is printed, and the test fails
//! if it unexpectedly holds (so the mark is removed as the fix lands) or if an unmarked cell fails.
//! The whole matrix is printed (as a Markdown table) to stderr, also when the test passes.
// See: #11
use crate::support::*;
use std::cell::RefCell;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

/// What a cell requires.
#[derive(Clone, Copy, Debug)]
enum Want {
    /// Exit 1: Git refuses the commit or the push, or `--history` exits 1.
    Block,
    /// Git runs no hook that sees the content for this operation (then push and history must
    /// block). A commit-msg hook may run (merges run it) and pass: it reads only the message.
    NoHook,
    /// A deliberate limit that fails closed.
    #[allow(dead_code)]
    Exit2,
    /// A deliberate limit said out loud: exit 0 and this text in the output.
    Notice(&'static str),
}

#[derive(Clone, Copy)]
struct Cell {
    want: Want,
    /// Fails on main today, for this reason (a fix is on its way).
    pending: Option<&'static str>,
}

const B: Cell = Cell {
    want: Want::Block,
    pending: None,
};
const NH: Cell = Cell {
    want: Want::NoHook,
    pending: None,
};
const fn note(text: &'static str) -> Cell {
    Cell {
        want: Want::Notice(text),
        pending: None,
    }
}
// No cell is pending today; kept so a new row that fails can be added with its reason.
#[allow(dead_code)]
const fn pend(c: Cell, why: &'static str) -> Cell {
    Cell {
        want: c.want,
        pending: Some(why),
    }
}

type Setup = fn(&Ctx) -> Output;

struct Row {
    name: &'static str,
    setup: Setup,
    cells: [Cell; 3],
}

const fn r(name: &'static str, setup: Setup, cells: [Cell; 3]) -> Row {
    Row { name, setup, cells }
}

const STAGES: [&str; 3] = [
    "pre-commit",
    "pre-push (--no-verify commit)",
    "scan --history",
];

// Why a cell is pending (each names the fix under way).

const LFS_NOTE: &str = "Git LFS pointer: the content lives on the LFS server, not scanned";
const SUB_NOTE: &str = "submodule: not scanned here; run coach in the submodule";

#[rustfmt::skip]
const ROWS: &[Row] = &[
    r("add", add, [B, B, B]),
    r("modify", modify, [B, B, B]),
    r("rename + modify", rename_modify, [B, B, B]),
    r("copy + modify", copy, [B, B, B]),
    r("type change symlink -> file", type_change, [B, B, B]),
    r("mode change (chmod +x) + secret", mode_change, [B, B, B]),
    r("merge, conflict resolved with secret", merge_resolution, [B, B, B]),
    r("merge without conflict", merge_clean, [NH, B, B]),
    r("cherry-pick", cherry_pick, [NH, B, B]),
    r("revert of a removal", revert, [NH, B, B]),
    r("rebase", rebase, [NH, B, B]),
    r("commit --amend", amend, [B, B, B]),
    r("commit -a", commit_all, [B, B, B]),
    r("commit <path>", commit_path, [B, B, B]),
    r("add -N + add -p", add_patch, [B, B, B]),
    r("stash pop, then commit", stash_pop, [B, B, B]),
    r("commit in a linked worktree", worktree, [B, B, B]),
    r("submodule pointer", submodule, [note(SUB_NOTE), note(SUB_NOTE), note(SUB_NOTE)]),
    r("LFS pointer (content on server)", lfs_pointer, [note(LFS_NOTE), note(LFS_NOTE), note(LFS_NOTE)]),
    r("LFS pointer line + secret line", lfs_smuggle, [B, B, B]),
    r("commit message", commit_message, [B, B, B]),
    r("annotated tag message", tag_message, [NH, B, B]),
    r("attribute binary", attr_binary, [B, B, B]),
    r("attribute -diff", attr_nodiff, [B, B, B]),
    r("attribute text", attr_text, [B, B, B]),
    r("UTF-16 with BOM", utf16_bom, [B, B, B]),
    r("UTF-16 BE with BOM", utf16be_bom, [B, B, B]),
    r("UTF-16 without BOM", utf16_nobom, [B, B, B]),
    r("CRLF", crlf, [B, B, B]),
    r("file over max-file-size", over_cap, [B, B, B]),
];

// --- the setups: each makes the change and returns the output of the operation that commits it --

/// One repository for one row at one stage: hooks installed, `origin` a bare remote that has the
/// first commit. `verify` false: every commit the setup makes skips the hooks (`--no-verify`).
struct Ctx {
    repo: TestRepo,
    verify: bool,
    /// What `git push` sends.
    push: RefCell<Vec<String>>,
}

impl Ctx {
    fn new(verify: bool) -> Ctx {
        let repo = pushed_repo();
        Ctx {
            repo,
            verify,
            push: RefCell::new(vec!["origin".into(), "main".into()]),
        }
    }

    /// Set-up git (asserted to succeed; never runs hooks that matter).
    fn git(&self, args: &[&str]) -> String {
        self.repo.git(args)
    }
    /// Set-up commit: no hooks.
    fn prep(&self, msg: &str) {
        self.repo.commit(msg);
    }
    fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        self.repo.write(rel, content);
    }
    fn stage(&self, rel: &str, content: impl AsRef<[u8]>) {
        self.repo.stage(rel, content);
    }
    /// The operation under test, not asserted.
    fn op(&self, args: &[&str]) -> Output {
        self.repo.git_output(args)
    }
    fn op_in(&self, dir: &Path, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .repo
            .cmd("git")
            .current_dir(dir)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("git runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
    /// `git commit`, with `--no-verify` when the stage wants the commit made without the hook.
    fn commit(&self, args: &[&str]) -> Output {
        self.commit_in(&self.repo.dir, args)
    }
    fn commit_in(&self, dir: &Path, args: &[&str]) -> Output {
        let mut a = vec!["commit", "-q"];
        if !self.verify {
            a.push("--no-verify");
        }
        a.extend_from_slice(args);
        self.op_in(dir, &a, "")
    }
    fn push(&self, args: &[&str]) {
        *self.push.borrow_mut() = args.iter().map(|s| s.to_string()).collect();
    }
    fn tmp(&self, rel: &str) -> PathBuf {
        self.repo.tmp.path().join(rel)
    }
}

/// The rule that finds `token()`.
const RULE: &str = "github.pat-classic";

fn secret() -> String {
    format!("TOKEN={}\n", token())
}

fn lines(n: usize) -> String {
    (1..=n)
        .map(|i| format!("setting_{i:03} = value number {i}\n"))
        .collect()
}

fn add(c: &Ctx) -> Output {
    c.stage("app.env", secret());
    c.commit(&["-m", "add"])
}

fn modify(c: &Ctx) -> Output {
    c.stage("app.env", "A=1\n");
    c.prep("app");
    c.stage("app.env", format!("A=1\n{}", secret()));
    c.commit(&["-m", "modify"])
}

fn rename_modify(c: &Ctx) -> Output {
    c.stage("old.env", lines(12));
    c.prep("old");
    c.git(&["mv", "old.env", "new.env"]);
    c.stage("new.env", format!("{}{}", lines(12), secret()));
    c.commit(&["-m", "rename"])
}

fn copy(c: &Ctx) -> Output {
    c.stage("base.env", lines(12));
    c.prep("base");
    c.stage("copy.env", format!("{}{}", lines(12), secret()));
    c.commit(&["-m", "copy"])
}

fn type_change(c: &Ctx) -> Output {
    c.stage("settings.env.example", "TOKEN=changeme\n");
    std::os::unix::fs::symlink("settings.env.example", c.repo.path("settings.env")).unwrap();
    c.git(&["add", "settings.env"]);
    c.prep("link");
    std::fs::remove_file(c.repo.path("settings.env")).unwrap();
    c.stage("settings.env", secret());
    c.commit(&["-m", "real settings"])
}

fn mode_change(c: &Ctx) -> Output {
    c.stage("run.sh", "#!/bin/sh\necho hi\n");
    c.prep("script");
    c.write("run.sh", format!("#!/bin/sh\necho hi\nexport {}", secret()));
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        c.repo.path("run.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    c.git(&["add", "run.sh"]);
    c.commit(&["-m", "mode"])
}

fn merge_resolution(c: &Ctx) -> Output {
    c.stage("conf.env", "X=base\n");
    c.prep("base");
    c.git(&["checkout", "-q", "-b", "feat"]);
    c.stage("conf.env", "X=feat\n");
    c.prep("feat");
    c.git(&["checkout", "-q", "main"]);
    c.stage("conf.env", "X=main\n");
    c.prep("main");
    let conflict = c.op(&["merge", "-q", "feat"]);
    assert!(!conflict.status.success(), "the merge must conflict");
    c.stage("conf.env", secret());
    let out = c.commit(&["--no-edit"]);
    c.git(&["branch", "-q", "-D", "feat"]);
    out
}

fn merge_clean(c: &Ctx) -> Output {
    c.git(&["checkout", "-q", "-b", "feat"]);
    c.stage("feat.env", secret());
    c.prep("feat");
    c.git(&["checkout", "-q", "main"]);
    c.stage("main.txt", "main work\n");
    c.prep("main");
    c.op(&["merge", "-q", "--no-edit", "feat"])
}

fn cherry_pick(c: &Ctx) -> Output {
    c.git(&["checkout", "-q", "-b", "feat"]);
    c.stage("pick.env", secret());
    c.prep("feat");
    c.git(&["checkout", "-q", "main"]);
    let out = c.op(&["cherry-pick", "feat"]);
    // Only the picked copy stays reachable, so history can see nothing else.
    c.git(&["branch", "-q", "-D", "feat"]);
    out
}

fn revert(c: &Ctx) -> Output {
    c.git(&["checkout", "-q", "-b", "old"]);
    c.stage("rev.env", secret());
    c.prep("add");
    c.git(&["rm", "-q", "rev.env"]);
    c.prep("remove");
    c.git(&["checkout", "-q", "main"]);
    // The commits that added and removed it go, so history sees only the revert.
    let out = c.op(&["revert", "--no-edit", "old"]);
    c.git(&["branch", "-q", "-D", "old"]);
    out
}

fn rebase(c: &Ctx) -> Output {
    c.git(&["checkout", "-q", "-b", "feature"]);
    c.stage("feat.env", secret());
    c.prep("feat");
    c.git(&["checkout", "-q", "main"]);
    c.stage("main.txt", "main work\n");
    c.prep("main");
    c.git(&["checkout", "-q", "feature"]);
    c.push(&["origin", "feature"]);
    c.op(&["rebase", "-q", "main"])
}

fn amend(c: &Ctx) -> Output {
    c.stage("wip.env", "A=1\n");
    c.prep("wip");
    c.stage("wip.env", format!("A=1\n{}", secret()));
    c.commit(&["--amend", "--no-edit"])
}

fn commit_all(c: &Ctx) -> Output {
    c.stage("app.env", "A=1\n");
    c.prep("app");
    c.write("app.env", format!("A=1\n{}", secret()));
    c.commit(&["-a", "-m", "all"])
}

fn commit_path(c: &Ctx) -> Output {
    c.stage("app.env", "A=1\n");
    c.prep("app");
    c.write("app.env", format!("A=1\n{}", secret()));
    c.commit(&["-m", "path", "--", "app.env"])
}

fn add_patch(c: &Ctx) -> Output {
    c.write("new.env", secret());
    c.git(&["add", "-N", "new.env"]);
    let out = c.op_in(&c.repo.dir, &["add", "-p"], "y\n");
    assert!(out.status.success(), "{}", stderr(&out));
    c.commit(&["-m", "patch"])
}

fn stash_pop(c: &Ctx) -> Output {
    c.stage("app.env", "A=1\n");
    c.prep("app");
    c.write("app.env", format!("A=1\n{}", secret()));
    c.git(&["stash", "-q"]);
    c.git(&["stash", "pop", "-q"]);
    c.commit(&["-a", "-m", "popped"])
}

fn worktree(c: &Ctx) -> Output {
    let wt = c.tmp("wt");
    c.git(&["worktree", "add", "-q", "-b", "side", wt.to_str().unwrap()]);
    std::fs::write(wt.join("side.env"), secret()).unwrap();
    let add = c.op_in(&wt, &["add", "side.env"], "");
    assert!(add.status.success(), "{}", stderr(&add));
    c.push(&["origin", "side"]);
    c.commit_in(&wt, &["-m", "from the worktree"])
}

fn submodule(c: &Ctx) -> Output {
    let src = c.tmp("subsrc");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("sub.env"), secret()).unwrap();
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "sub.env"],
        &["commit", "-q", "-m", "sub"],
    ] {
        let out = c.op_in(&src, args, "");
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let src = src.to_str().unwrap();
    c.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        src,
        "sub",
    ]);
    c.commit(&["-m", "submodule"])
}

const LFS_POINTER: &str = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n";

fn lfs_pointer(c: &Ctx) -> Output {
    c.stage(
        ".gitattributes",
        "*.bin filter=lfs diff=lfs merge=lfs -text\n",
    );
    c.prep("lfs");
    c.stage("model.bin", LFS_POINTER);
    c.commit(&["-m", "lfs"])
}

fn lfs_smuggle(c: &Ctx) -> Output {
    c.stage(
        ".gitattributes",
        "*.bin filter=lfs diff=lfs merge=lfs -text\n",
    );
    c.prep("lfs");
    c.stage("model.bin", format!("{LFS_POINTER}{}", secret()));
    c.commit(&["-m", "lfs"])
}

fn commit_message(c: &Ctx) -> Output {
    c.stage("notes.txt", "deployed\n");
    c.commit(&["-m", &format!("deploy with {}", token())])
}

fn tag_message(c: &Ctx) -> Output {
    c.push(&["origin", "v1"]);
    c.op(&[
        "tag",
        "-a",
        "v1",
        "-m",
        &format!("release, token {}", token()),
    ])
}

fn with_attributes(c: &Ctx, attrs: &str, path: &str, content: impl AsRef<[u8]>) -> Output {
    c.stage(".gitattributes", attrs);
    c.prep("attributes");
    c.stage(path, content);
    c.commit(&["-m", "content"])
}

fn attr_binary(c: &Ctx) -> Output {
    with_attributes(c, "*.cfg binary\n", "app.cfg", secret())
}

fn attr_nodiff(c: &Ctx) -> Output {
    with_attributes(c, "*.cfg -diff\n", "app.cfg", secret())
}

fn attr_text(c: &Ctx) -> Output {
    with_attributes(c, "*.cfg text\n", "app.cfg", secret())
}

fn utf16le(bom: bool) -> Vec<u8> {
    let mut v = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
    for u in format!("# settings\n{}", secret()).encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

fn utf16be_bom(c: &Ctx) -> Output {
    let mut v = vec![0xFE, 0xFF];
    for u in format!("# settings\n{}", secret()).encode_utf16() {
        v.extend_from_slice(&u.to_be_bytes());
    }
    c.stage("app.cfg", v);
    c.commit(&["-m", "utf-16be"])
}

fn utf16_bom(c: &Ctx) -> Output {
    c.stage("app.cfg", utf16le(true));
    c.commit(&["-m", "utf-16"])
}

fn utf16_nobom(c: &Ctx) -> Output {
    c.stage("app.cfg", utf16le(false));
    c.commit(&["-m", "utf-16"])
}

fn crlf(c: &Ctx) -> Output {
    c.stage("app.env", format!("A=1\r\nTOKEN={}\r\n", token()));
    c.commit(&["-m", "crlf"])
}

fn over_cap(c: &Ctx) -> Output {
    c.stage(".coach.toml", "max-file-size = 1000\n");
    c.stage("data.txt", lines(100));
    c.prep("data");
    c.stage("data.txt", format!("{}{}", lines(100), secret()));
    c.commit(&["-m", "one more line"])
}

// --- running and judging ---------------------------------------------------------------------

/// What a stage did.
#[derive(Debug)]
enum Seen {
    Block,
    /// Exit 0 with coach's verdict in the output.
    Pass,
    /// Exit 0 and coach never ran.
    NoHook,
    Exit2,
    /// Anything else (the set-up or Git failed for another reason).
    Other(String),
}

struct Obs {
    seen: Seen,
    /// All output, for notices.
    text: String,
}

/// A hook stage: the Git command that ran coach's hook (or should have).
fn judge_git(out: &Output) -> Obs {
    let err = stderr(out);
    let text = format!("{}{}", stdout(out), err);
    let seen = if out.status.success() {
        if err.contains("verdict: ") {
            Seen::Pass
        } else {
            Seen::NoHook
        }
    } else if err.contains("verdict: BLOCK") {
        blocked(&text)
    } else if err.contains("coach: error") {
        Seen::Exit2
    } else {
        Seen::Other(format!(
            "git exit {:?}: {}",
            out.status.code(),
            err.lines().last().unwrap_or("").trim()
        ))
    };
    Obs { seen, text }
}

fn judge_history(out: &Output) -> Obs {
    let text = format!("{}{}", stdout(out), stderr(out));
    let seen = match out.status.code() {
        Some(1) => blocked(&text),
        Some(0) => Seen::Pass,
        Some(2) => Seen::Exit2,
        c => Seen::Other(format!("exit {c:?}")),
    };
    Obs { seen, text }
}

/// A block counts only when it names the planted credential's rule.
fn blocked(text: &str) -> Seen {
    if text.contains(RULE) {
        Seen::Block
    } else {
        Seen::Other(format!("blocked, but not by {RULE}"))
    }
}

fn holds(want: Want, obs: &Obs) -> bool {
    match (want, &obs.seen) {
        (Want::Block, Seen::Block) | (Want::NoHook, Seen::NoHook) | (Want::Exit2, Seen::Exit2) => {
            true
        }
        // Only the commit-msg hook ran (it scans the message, not the merged content).
        (Want::NoHook, Seen::Pass) => !obs.text.contains("not scanned"),
        (Want::Notice(t), Seen::Pass) => obs.text.contains(t),
        _ => false,
    }
}

fn show_seen(obs: &Obs, want: Want) -> String {
    match &obs.seen {
        Seen::Block => "BLOCK".into(),
        Seen::Pass => match want {
            Want::Notice(t) if obs.text.contains(t) => "notice".into(),
            // Whether the pass at least said what it skipped.
            _ if obs.text.contains("not scanned") => "pass + notice".into(),
            _ => "pass, silent".into(),
        },
        Seen::NoHook => "no hook".into(),
        Seen::Exit2 => "exit 2".into(),
        Seen::Other(s) => format!("other ({s})"),
    }
}

fn show_want(want: Want) -> String {
    match want {
        Want::Block => "BLOCK".into(),
        Want::NoHook => "no hook".into(),
        Want::Exit2 => "exit 2".into(),
        Want::Notice(t) => format!("notice {t:?}"),
    }
}

/// Runs one row: stage 1 in its own repository with the hooks; stages 2 and 3 in a second one
/// where the change was committed with `--no-verify`.
fn run_row(row: &Row) -> [Obs; 3] {
    let hooked = Ctx::new(true);
    let first = judge_git(&(row.setup)(&hooked));

    let quiet = Ctx::new(false);
    let made = (row.setup)(&quiet);
    let (second, third) = if made.status.success() {
        let args = quiet.push.borrow().clone();
        let mut a = vec!["push"];
        a.extend(args.iter().map(String::as_str));
        let push = judge_git(&quiet.repo.git_output(&a));
        let history = judge_history(&quiet.repo.coach(&["scan", "--history"]));
        (push, history)
    } else {
        let why = format!("set-up failed: {}", stderr(&made).trim());
        let o = || Obs {
            seen: Seen::Other(why.clone()),
            text: String::new(),
        };
        (o(), o())
    };
    [first, second, third]
}

#[test]
fn every_way_content_enters_a_commit_is_caught_at_every_stage() {
    let tok = token();
    let mut table = String::new();
    table.push_str(&format!(
        "| row | {} |\n| --- | --- | --- | --- |\n",
        STAGES.join(" | ")
    ));
    let mut failures = Vec::new();
    let mut pending = Vec::new();
    for row in ROWS {
        let seen = run_row(row);
        let mut cells = Vec::new();
        for ((cell, obs), stage) in row.cells.iter().zip(&seen).zip(STAGES) {
            let ok = holds(cell.want, obs);
            let mut shown = show_seen(obs, cell.want);
            if obs.text.contains(&tok) {
                failures.push(format!(
                    "{} / {stage}: the full secret was printed",
                    row.name
                ));
                shown.push_str(" [SECRET PRINTED]");
            }
            match (cell.pending, ok) {
                (None, true) => {}
                (None, false) => {
                    failures.push(format!(
                        "{} / {stage}: wanted {}, saw {shown}",
                        row.name,
                        show_want(cell.want)
                    ));
                    shown = format!("{shown} [FAIL: want {}]", show_want(cell.want));
                }
                (Some(why), false) => {
                    let said = obs
                        .text
                        .lines()
                        .find(|l| l.contains("not scanned"))
                        .map(|l| format!(" (said: {})", l.trim()))
                        .unwrap_or_default();
                    pending.push(format!("{} / {stage}: {why}{said}", row.name));
                    shown = format!("{shown} [pending: want {}]", show_want(cell.want));
                }
                (Some(why), true) => {
                    failures.push(format!(
                        "{} / {stage}: marked pending ({why}) but now holds: remove the mark",
                        row.name
                    ));
                    shown = format!("{shown} [UNEXPECTED PASS: remove pending]");
                }
            }
            cells.push(shown);
        }
        table.push_str(&format!("| {} | {} |\n", row.name, cells.join(" | ")));
    }
    let mut report = format!("\nGit-operation matrix (#11)\n\n{table}\n");
    report.push_str(&format!("pending cells ({}):\n", pending.len()));
    for p in &pending {
        report.push_str(&format!("  - {p}\n"));
    }
    // Straight to the process's stderr: shown even when the test passes and output is captured.
    let _ = std::io::stderr().write_all(report.as_bytes());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
