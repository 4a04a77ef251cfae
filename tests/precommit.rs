//! The pre-commit hook end to end: real repositories, real `git commit`, the installed hook.
mod support;
use support::*;

#[test]
fn blocks_a_staged_github_token_and_coaches() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage("config.yml", format!("github:\n  token: {}\n", token()));
    let out = repo.git_output(&["commit", "-m", "add config"]);
    assert!(!out.status.success(), "commit must be blocked");
    let err = stderr(&out);
    assert!(err.contains("config.yml:2:10  github.pat-classic"), "{err}");
    assert!(err.contains("git restore --staged config.yml"), "{err}");
    assert!(
        !err.contains(&token()),
        "the full secret must never be printed"
    );
    assert!(
        repo.git_output(&["rev-parse", "HEAD"]).status.code() != Some(0),
        "no commit was made"
    );
}
