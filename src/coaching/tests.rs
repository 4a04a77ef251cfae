//! Coaching walked over every rule and exposure: no printed command asks for a secret.
use super::fill::fill_missing;
use super::*;
use crate::finding::{Category, CommitInfo, Lifetime, Repeat, Severity, Verdict};
use crate::rules::{Rule, RuleSet};
use std::collections::BTreeMap;

const HEAD: &str = "1111111111111111111111111111111111111111";
const DEEPER: &str = "2222222222222222222222222222222222222222";

fn finding(rule: &Rule, exposure: Exposure, commit: Option<&str>) -> Finding {
    let identifiers: BTreeMap<String, String> = rule
        .matcher()
        .expect("built-in rules compile")
        .identifier_groups
        .iter()
        .map(|(_, n)| (n.clone(), format!("ident-{n}")))
        .collect();
    Finding {
        rule_id: rule.id.clone(),
        rule_name: rule.name.clone(),
        kind: rule.kind.clone(),
        category: Category::Secret,
        lifetime: Lifetime::LongLived,
        identity: Identity::Machine,
        severity: Severity::High,
        path: ".env".into(),
        line: 1,
        column: 1,
        end_line: 1,
        commit: commit.map(|id| CommitInfo {
            id: id.into(),
            author: "a".into(),
            email: "a@example.test".into(),
            time: 0,
            summary: "s".into(),
        }),
        exposure,
        redacted: "x…[9 chars]".into(),
        fingerprint: "f".into(),
        identifiers,
        confidence: crate::finding::Confidence::Prefix,
        default_verdict: Verdict::Block,
        verdict: Verdict::Block,
        suppression: None,
        role: None,
        // A repeat gets the full coaching: every command of the table is printed.
        repeat: Some(Repeat {
            count: 1,
            ..Repeat::default()
        }),
        baseline_hash: None,
    }
}

/// Every situation coaching distinguishes: staged on a first commit and later, committed at
/// HEAD and deeper, pushed.
fn situations(rule: &Rule) -> Vec<(&'static str, Finding, Context)> {
    let ctx = |head: Option<&str>| Context {
        head: head.map(str::to_owned),
        ..Context::default()
    };
    vec![
        (
            "staged, first commit",
            finding(rule, Exposure::Staged, None),
            ctx(None),
        ),
        (
            "staged",
            finding(rule, Exposure::Staged, None),
            ctx(Some(HEAD)),
        ),
        (
            "committed at HEAD",
            finding(rule, Exposure::Committed, Some(HEAD)),
            ctx(Some(HEAD)),
        ),
        (
            "committed deeper",
            finding(rule, Exposure::Committed, Some(DEEPER)),
            ctx(Some(HEAD)),
        ),
        (
            "pushed",
            finding(rule, Exposure::Pushed, Some(DEEPER)),
            ctx(Some(HEAD)),
        ),
    ]
}

/// Compiled once: the walk checks thousands of printed lines.
fn re(pattern: &'static str) -> &'static regex::Regex {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<&'static str, &'static regex::Regex>>> = OnceLock::new();
    let mut m = CACHE.get_or_init(Default::default).lock().unwrap();
    m.entry(pattern)
        .or_insert_with(|| Box::leak(Box::new(regex::Regex::new(pattern).unwrap())))
}

/// Why a printed command would make someone type a secret, if it would.
fn types_a_secret(cmd: &str) -> Option<String> {
    if re(r"git log\b.*\s-S").is_match(cmd) {
        return Some("`git log -S` needs the value: use `coach scan --history`".into());
    }
    if cmd.contains("--replace-text <(") || cmd.contains("echo '<") {
        return Some("the value is typed into the command".into());
    }
    let secret_word = re(r"(?i)leaked|\bold\b|value|secret|password|token|key|webhook|credential");
    // Placeholders naming something that is not itself secret (an id, a name, a path).
    let public = re(
        r"(?i)\b(id|ids|name|accessor|prefix|path|server|keyserver|host|slug|region|org|url|uuid|keyid|accountsid|client_id)\b|^primary-or-secondary$",
    );
    let typed = re(r"(?i)\b(leaked|old|another|admin|your)\b");
    // A file the person controls is the safe way to pass a value.
    let file = re(r"(?i)\.(pem|json|key|p12)$|\bfile\b");
    let placeholder = re(r"<([^<>(\s][^<>]{0,58})>");
    for c in placeholder.captures_iter(cmd) {
        // `<name: how to find it>`: the name says what goes there; the hint may mention keys
        // ("the key whose last4 match") but never asks for one to be pasted or typed.
        let (t, hint) = c[1].split_once(": ").unwrap_or((&c[1], ""));
        if re(r"(?i)\b(paste|type)\b").is_match(hint) {
            return Some(format!(
                "placeholder <{}> asks for a value to be typed",
                &c[1]
            ));
        }
        if file.is_match(t) {
            continue;
        }
        // Public placeholders are fine unless they name a credential to type ("your token").
        if secret_word.is_match(t) && (typed.is_match(t) || !public.is_match(t)) {
            return Some(format!("placeholder <{t}> asks for a secret"));
        }
    }
    // A variable holding a secret must have been read without echo in the same line.
    let var = re(r"\$\{?([A-Z][A-Z0-9_]*)\}?");
    for c in var.captures_iter(cmd) {
        let v = &c[1];
        if v != "D" && !cmd.contains(&format!("read -rs {v}")) {
            return Some(format!("${v} is used without `read -rs {v}`"));
        }
    }
    None
}

/// A placeholder coach should have filled, or one mangled by filling.
fn leftover(cmd: &str, rule: &Rule) -> Option<String> {
    for (_, n) in &rule.matcher().unwrap().identifier_groups {
        if cmd.contains(&format!("{{{n}}}")) || cmd.contains(&format!("<{n}>")) {
            return Some(format!("identifier {n} not filled"));
        }
    }
    if cmd.contains("{path}") || cmd.contains("%<") || cmd.contains("$<") {
        return Some("placeholder left or mangled".into());
    }
    None
}

#[test]
fn no_printed_command_asks_for_a_secret_or_leaves_a_placeholder() {
    let rules = RuleSet::builtin().expect("built-in rules compile");
    let mut problems: Vec<String> = Vec::new();
    for rule in rules
        .rules
        .iter()
        .filter(|r| r.category == Category::Secret)
    {
        let spec = &rules.coaching(&rule.kind).expect("every kind is coached");
        for (situation, f, ctx) in situations(rule) {
            let g = guidance(&rule.kind, spec, &[&f], &ctx);
            let printed = g
                .do_now
                .iter()
                .chain(&g.clean_up)
                .filter_map(|l| l.strip_prefix("$ "))
                .map(str::to_owned)
                .chain(g.commands.iter().map(|c| c.shell.clone()));
            for cmd in printed {
                if let Some(why) = types_a_secret(&cmd).or_else(|| leftover(&cmd, rule)) {
                    problems.push(format!("{} ({situation}): {why}: {cmd}", rule.id));
                }
            }
            // Curl's and the shell's own braces survive placeholder filling.
            for template in &spec.revoke_cli {
                if template.contains("%{http_code}") {
                    assert!(
                        g.do_now.iter().any(|l| l.contains("%{http_code}")),
                        "{}: %{{http_code}} mangled",
                        rule.id
                    );
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_detector_catches_what_issue_13_lists() {
    for bad in [
        r#"curl -H "Authorization: Bearer <token>" https://x"#,
        "vault token revoke <token>",
        "echo '<token>' | base64 -d",
        "git log --all -S '<leaked-value>'",
        "git filter-repo --replace-text <(echo 'x==>y')",
        r#"curl -u "<old key>:" https://api.stripe.com"#,
        r#"curl -H "PRIVATE-TOKEN: <your-token>" https://gitlab.com"#,
        r#"curl -H "Authorization: Bearer ${LEAKED}" https://x"#,
    ] {
        assert!(types_a_secret(bad).is_some(), "{bad}");
    }
    for good in [
        r#"read -rs LEAKED && curl -H "Authorization: Bearer ${LEAKED}" https://x"#,
        "npm token revoke <token-id>",
        "openssl pkey -in <leaked-key.pem> -pubout",
        r#"D=$(mktemp -d) && coach purge-file --output "$D/expressions""#,
    ] {
        assert_eq!(types_a_secret(good), None, "{good}");
    }
}

#[test]
fn staged_leads_with_clean_up_and_revocation_is_conditional() {
    let rules = RuleSet::builtin().unwrap();
    let rule = rules.get("github.pat-classic").unwrap();
    let spec = rules.coaching(&rule.kind).unwrap();
    let f = finding(rule, Exposure::Staged, None);
    let g = guidance(&rule.kind, spec, &[&f], &Context::default());
    assert_eq!(g.do_now[0], IF_SHARED);
    let pushed = finding(rule, Exposure::Pushed, Some(DEEPER));
    let g = guidance(&rule.kind, spec, &[&pushed], &Context::default());
    assert_eq!(g.do_now[0], spec.revoke_console);
    assert!(
        g.clean_up[0].contains("does not un-leak it"),
        "{:?}",
        g.clean_up
    );
}

#[test]
fn curl_and_shell_braces_are_not_placeholders() {
    assert_eq!(
        fill_missing(r#"curl -w "%{http_code}" ${HOME} {user}"#),
        r#"curl -w "%{http_code}" ${HOME} <user>"#
    );
}
