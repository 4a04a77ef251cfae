//! Integration with the rest of a developer's setup: `coach install --global` through real commits,
//! completions and the man page generated from clap, and the pre-commit framework's hook manifest.
// See: #6
use crate::support::*;

#[test]
fn install_global_sets_hooks_path_blocks_in_any_repo_and_still_runs_the_repos_own_hook() {
    let repo = TestRepo::init();
    let out = repo.coach(&["install", "--global"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let hooks = repo.home.join(".config/coach/hooks");
    assert_eq!(
        repo.git(&["config", "--global", "core.hooksPath"]).trim(),
        hooks.display().to_string()
    );
    assert!(hooks.join("pre-commit").exists());

    // The repository's own hook is hidden by core.hooksPath: coach must run it first.
    let own = repo.path(".git/hooks/pre-commit");
    std::fs::write(&own, "#!/bin/sh\necho repo-hook-ran >&2\nexit 0\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&own, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    repo.stage("a.env", format!("T={}\n", token()));
    let out = repo.git_output(&["commit", "-m", "leak"]);
    let err = stderr(&out);
    assert!(
        !out.status.success(),
        "blocked through the global hook: {err}"
    );
    assert!(err.contains("repo-hook-ran"), "{err}");
    assert!(err.contains("a.env:1:3  github.pat-classic"), "{err}");

    // A failing repository hook stops the commit before coach runs.
    std::fs::write(&own, "#!/bin/sh\necho repo-hook-says-no >&2\nexit 3\n").unwrap();
    repo.stage("a.env", "clean\n");
    let out = repo.git_output(&["commit", "-m", "clean"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("repo-hook-says-no"));

    let out = repo.coach(&["uninstall", "--global"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!hooks.join("pre-commit").exists());
    assert!(!repo
        .git_output(&["config", "--global", "core.hooksPath"])
        .status
        .success());
}

#[test]
fn install_global_respects_an_existing_global_hooks_path() {
    let repo = TestRepo::init();
    let theirs = repo.home.join("their-hooks");
    std::fs::create_dir_all(&theirs).unwrap();
    std::fs::write(theirs.join("pre-commit"), "#!/bin/sh\nexit 0\n").unwrap();
    repo.git(&[
        "config",
        "--global",
        "core.hooksPath",
        theirs.to_str().unwrap(),
    ]);
    let out = repo.coach(&["install", "--global"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("already"), "{}", stderr(&out));
    assert_eq!(
        repo.git(&["config", "--global", "core.hooksPath"]).trim(),
        theirs.display().to_string(),
        "not taken over"
    );
    assert!(
        theirs.join("pre-commit.coach-chained").exists(),
        "their hook is chained"
    );
    assert!(repo.coach(&["uninstall", "--global"]).status.success());
    assert!(theirs.join("pre-commit").exists(), "their hook is restored");
    assert!(!theirs.join("pre-commit.coach-chained").exists());
    assert!(repo
        .git_output(&["config", "--global", "core.hooksPath"])
        .status
        .success());
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    let repo = TestRepo::init();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = repo.coach(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let text = stdout(&out);
        assert!(text.contains("baseline"), "{shell}");
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(text.contains("sarif"), "{shell} completes --format values");
        }
    }
    let out = repo.coach(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "unknown shell is a usage error");
    let man = repo.coach(&["man"]);
    assert!(man.status.success());
    let text = stdout(&man);
    assert!(
        text.starts_with(".ie") || text.contains(".TH coach"),
        "{}",
        &text[..200.min(text.len())]
    );
    assert!(
        text.contains("Exit codes"),
        "the exit contract is in the man page"
    );
    // `coach man --dir` writes every page the main page refers to (#16).
    let dir = tempfile::tempdir().unwrap();
    let out = repo.coach(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(pages.contains(&"coach.1".to_owned()), "{pages:?}");
    let reference = regex::Regex::new(r"(coach(?:\\-[a-z]+)*)\(1\)").unwrap();
    let mut checked = 0;
    for page in &pages {
        let roff = std::fs::read_to_string(dir.path().join(page)).unwrap();
        for c in reference.captures_iter(&roff) {
            let name = c[1].replace("\\-", "-");
            assert!(
                pages.contains(&format!("{name}.1")),
                "{page} refers to {name}(1), which was not written"
            );
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} references found");
}

#[test]
fn pre_commit_hooks_manifest_declares_both_stages() {
    let manifest = include_str!("../../.pre-commit-hooks.yaml");
    for needle in [
        "- id: coach\n",
        "entry: coach hook pre-commit",
        "stages: [pre-commit]",
        "- id: coach-pre-push\n",
        "entry: coach hook pre-push",
        "stages: [pre-push]",
    ] {
        assert!(manifest.contains(needle), "{needle}");
    }
    // Each hook in a build-from-source and an on-PATH variant; commit-msg hooks take the file (#16).
    assert_eq!(manifest.matches("language: rust").count(), 3);
    assert_eq!(manifest.matches("language: system").count(), 3);
    assert_eq!(manifest.matches("pass_filenames: false").count(), 4);
}
