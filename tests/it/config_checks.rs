//! Config validation is uniform (#16): an unknown credential kind is an error naming the nearest
//! valid ones; a glob is checked the same way under every key; an allow comment naming no rule gets a
//! note with the nearest rule ids; `config show` prints lists as lists.
use crate::support::*;

#[test]
fn an_unknown_policy_kind_is_an_error_naming_the_nearest_kinds() {
    let repo = TestRepo::init();
    repo.write(".coach.toml", "[policy.kind]\ngithub-patt = \"warn\"\n");
    repo.stage("a.txt", "a\n");
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("policy.kind: unknown credential kind \"github-patt\"")
            && err.contains("github-pat")
            && err.contains("`coach rules list` shows every kind"),
        "{err}"
    );
}

#[test]
fn an_unknown_floor_block_kind_is_an_error_too() {
    let repo = TestRepo::init();
    let user = repo.home.join(".config/coach/config.toml");
    std::fs::create_dir_all(user.parent().unwrap()).unwrap();
    std::fs::write(&user, "[floor]\nblock-kinds = [\"githb-pat\"]\n").unwrap();
    repo.stage("a.txt", "a\n");
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("floor.block-kinds: unknown credential kind \"githb-pat\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_glob_is_checked_the_same_way_under_every_key() {
    for (config, key) in [
        ("[allowlist]\npaths = [\"src/[a\"]\n", "allowlist.paths"),
        (
            "[[policy.paths]]\nglob = \"src/[a\"\nverdict = \"block\"\n",
            "policy.paths.glob",
        ),
        (
            "[[roles]]\nname = \"x\"\npaths = [\"src/[a\"]\ncoaching = \"c\"\n",
            "roles.paths",
        ),
    ] {
        let repo = TestRepo::init();
        repo.write(".coach.toml", config);
        repo.stage("a.txt", "a\n");
        let out = repo.coach(&["scan"]);
        assert_eq!(out.status.code(), Some(2), "{key}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{key}: error parsing glob 'src/[a'")),
            "{key}: {err}"
        );
    }
}

#[test]
fn an_allow_comment_naming_no_rule_gets_a_note_with_the_nearest_ids() {
    let repo = TestRepo::init();
    repo.stage(
        "k.env",
        format!(
            "TOKEN={} # coach:allow github.pat-clasic -- fixture\n",
            token()
        ),
    );
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(1), "the typo suppresses nothing");
    let err = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        err.contains("coach:allow names \"github.pat-clasic\", which is no rule id or kind, so it suppresses nothing; nearest rule ids: github.pat-classic"),
        "{err}"
    );
}

#[test]
fn config_show_prints_lists_as_lists() {
    let repo = TestRepo::init();
    let user = repo.home.join(".config/coach/config.toml");
    std::fs::create_dir_all(user.parent().unwrap()).unwrap();
    std::fs::write(&user, "[allowlist]\nstop-words = [\"sample\"]\n").unwrap();
    repo.write(
        ".coach.toml",
        "disabled-rules = [\"jwt.token\", \"github.pat-classic\"]\n[allowlist]\nstop-words = [\"fixture\"]\n",
    );
    let out = repo.coach(&["config", "show"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = repo.redact(&stdout(&out));
    assert!(
        text.contains(
            "disabled-rules = [\"jwt.token\", \"github.pat-classic\"]  # [TMP]/repo/.coach.toml\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("allowlist.stop-words = [\n    \"sample\",  # [TMP]/home/.config/coach/config.toml\n    \"fixture\",  # [TMP]/repo/.coach.toml\n]\n"),
        "{text}"
    );
}
