//! Real, isolated Git repositories for integration tests: `git` runs with no system or global config,
//! HOME and coach's state folder inside the temp dir, and a fixed author.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

pub const COACH: &str = env!("CARGO_BIN_EXE_coach");

/// A fake GitHub classic PAT with a valid checksum (made with `github_token` below; never issued).
pub fn github_token(random30: &str) -> String {
    assert_eq!(random30.len(), 30);
    format!("ghp_{random30}{}", coach::api::github_check(random30))
}

/// A token for tests that is plainly fake but passes every validator.
pub fn token() -> String {
    github_token("q8Zr2LmW0xYt5Nv7Kp3Hs9Dj1Fb6Gc")
}

pub struct TestRepo {
    pub tmp: TempDir,
    pub dir: PathBuf,
    pub home: PathBuf,
}

impl TestRepo {
    /// An empty repository with the pre-commit hook not yet installed.
    pub fn init() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("repo");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        let r = TestRepo { tmp, dir, home };
        r.git(&["init", "-q", "-b", "main"]);
        r
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// The environment every command in the test gets: nothing from the machine leaks in.
    pub fn env(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.home.join(".gitconfig"))
            .env("GIT_AUTHOR_NAME", "Ada Tester")
            .env("GIT_AUTHOR_EMAIL", "ada@example.test")
            .env("GIT_COMMITTER_NAME", "Ada Tester")
            .env("GIT_COMMITTER_EMAIL", "ada@example.test")
            .env("COACH_STATE_DIR", self.home.join("state"))
            .env("NO_COLOR", "1");
    }

    pub fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        self.env(&mut c);
        c.current_dir(&self.dir);
        c
    }

    /// Runs git and asserts it succeeded.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.git_output(args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn git_output(&self, args: &[&str]) -> Output {
        self.cmd("git")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("git runs")
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, content).unwrap();
    }

    pub fn stage(&self, rel: &str, content: impl AsRef<[u8]>) {
        self.write(rel, content);
        self.git(&["add", "--", rel]);
    }

    /// Commits without hooks (for setting up history).
    pub fn commit(&self, msg: &str) -> String {
        self.git(&["commit", "-q", "--no-verify", "--allow-empty", "-m", msg]);
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }

    /// `git commit` through whatever hooks are installed (the real pre-commit path).
    pub fn commit_hooked(&self) -> Output {
        self.git_output(&["commit", "-q", "-m", "change"])
    }

    /// Whether the repository has a commit yet (a blocked first commit leaves none).
    pub fn head_exists(&self) -> bool {
        self.git_output(&["rev-parse", "--verify", "-q", "HEAD"])
            .status
            .success()
    }

    /// `coach scan` with `toml` written as the user's own config (`COACH_CONFIG`).
    pub fn scan_with_user_config(&self, toml: &str) -> Output {
        let user = self.home.join("user.toml");
        std::fs::write(&user, toml).unwrap();
        self.cmd(COACH)
            .env("COACH_CONFIG", &user)
            .arg("scan")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    pub fn install_hooks(&self) {
        let out = self.coach(&["install"]);
        assert!(
            out.status.success(),
            "coach install failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn coach(&self, args: &[&str]) -> Output {
        self.cmd(COACH)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("coach runs")
    }

    /// A bare repository beside this one, added as `origin`.
    pub fn bare_remote(&self) -> PathBuf {
        let bare = self.tmp.path().join("remote.git");
        let out = self
            .cmd("git")
            .args(["init", "-q", "--bare", "-b", "main"])
            .arg(&bare)
            .output()
            .unwrap();
        assert!(out.status.success());
        self.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
        bare
    }

    /// Replaces the temp dir in output so snapshots are stable.
    pub fn redact(&self, s: &str) -> String {
        s.replace(&self.tmp.path().display().to_string(), "[TMP]")
    }
}

/// `coach scan --format json ARGS...`: exit code and the parsed report.
pub fn json(repo: &TestRepo, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut a = vec!["scan", "--format", "json"];
    a.extend_from_slice(args);
    let out = repo.coach(&a);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code(), v)
}

/// Runs `coach hook pre-push ARGS...` with `input` as Git's stdin lines.
pub fn pre_push_hook(repo: &TestRepo, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = repo
        .cmd(COACH)
        .args(["hook", "pre-push"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A repository with coach's hooks installed, an `origin` bare remote and one clean commit pushed.
pub fn pushed_repo() -> TestRepo {
    let repo = TestRepo::init();
    repo.bare_remote();
    repo.install_hooks();
    repo.stage("README.md", "hello\n");
    repo.commit("init");
    let out = repo.git_output(&["push", "-q", "origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    repo
}

/// Exit code, stdout and stderr in one string, for snapshots.
pub fn transcript(repo: &TestRepo, out: &Output) -> String {
    format!(
        "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        out.status.code().map_or("signal".into(), |c| c.to_string()),
        repo.redact(&String::from_utf8_lossy(&out.stdout)),
        repo.redact(&String::from_utf8_lossy(&out.stderr))
    )
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}
