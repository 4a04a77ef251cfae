//! Coaching: the guidance printed with a finding, built from the kind's data, the exposure and the
//! person's history. Never sees a secret: only identifiers the rule marked as public (an AWS access key
//! ID, a database user) are filled into commands.
//!
//! Paths and identifiers come from the repository, so every one put into a command is shell-quoted
//! (`shlex`) or refused, and text from the repository's own config is quoted and labelled as such,
//! never laid out as a step coach suggests (docs/SECURITY.md, issue #10).
use crate::finding::{Exposure, Finding, Identity};
use crate::rules::spec::CoachingSpec;
use serde::Serialize;
use std::collections::HashSet;
use std::sync::LazyLock;

/// How much to say: a first-timer gets the short form, a repeat (or a pushed secret) the full one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Short,
    Full,
}

/// Where a config text came from. The repository's `.coach.toml` arrives with every clone, so its
/// text is shown as a labelled quotation; the user's own config (or `--config`) is theirs to trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextSource {
    /// The default: text of unknown origin is treated as the repository's.
    #[default]
    Repository,
    User,
}

/// The label put before repository config text wherever it is shown.
pub const REPO_TEXT_LABEL: &str = "From .coach.toml (repository config, not checked by coach):";

/// Facts about the repository that make commands exact.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Full id of HEAD, to tell `git commit --amend` from `git rebase -i`.
    pub head: Option<String>,
    /// Extra advice for the role that owns the finding's path (from config): name, text, origin.
    pub roles: Vec<(String, String, TextSource)>,
    /// Who to ask for help, shown to repeat offenders (from config).
    pub team_contact: Option<(String, TextSource)>,
    /// Occurrences of a kind in the contact window, this one included, that add the team contact.
    pub contact_after: u32,
    /// Commits (full ids) among the findings' that have no parent: `rebase -i --root`, not `<id>~1`.
    pub root_commits: Vec<String>,
    /// Kinds whose coaching comes from a rules file in the repository, with that file's path.
    pub repository_coaching: Vec<(String, String)>,
}

/// The rendered guidance for one credential kind in one report.
#[derive(Debug, Clone, Serialize)]
pub struct Guidance {
    pub kind: String,
    pub title: String,
    pub why: String,
    pub do_now: Vec<String>,
    pub clean_up: Vec<String>,
    pub move_it: String,
    pub replace_with: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_for_abuse: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine_identity: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<String>,
    pub docs: Vec<String>,
    pub level: Level,
    /// The repository rules file this kind's coaching text came from; it is shown quoted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_repository: Option<String>,
}

/// Builds the guidance for `findings` (all of one kind).
pub fn guidance(kind: &str, spec: &CoachingSpec, findings: &[&Finding], ctx: &Context) -> Guidance {
    let worst = findings
        .iter()
        .map(|f| f.exposure)
        .max()
        .unwrap_or(Exposure::Staged);
    let repeat = findings
        .iter()
        .filter_map(|f| f.repeat.as_ref())
        .max_by_key(|r| r.count);
    // Pushed secrets and repeats get everything: the audit log matters once a secret has travelled.
    let level = if worst == Exposure::Pushed || repeat.is_some_and(|r| r.count > 0 || r.same_secret)
    {
        Level::Full
    } else {
        Level::Short
    };
    if let Some((_, file)) = ctx.repository_coaching.iter().find(|(k, _)| k == kind) {
        return repository_guidance(kind, spec, findings, ctx, level, worst, file);
    }
    let mut do_now = vec![spec.revoke_console.clone()];
    let cli: Vec<&String> = match level {
        Level::Full => spec.revoke_cli.iter().collect(),
        Level::Short => spec.revoke_cli.iter().take(2).collect(),
    };
    let mut seen = HashSet::new();
    for template in cli {
        for line in fill_for_each(template, findings) {
            let cmd = format!("$ {line}");
            if seen.insert(cmd.clone()) {
                do_now.push(cmd);
            }
        }
    }
    let machine = findings.iter().any(|f| f.identity != Identity::Human);
    let roles = {
        let mut r: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        for f in findings {
            if let Some(role) = &f.role {
                if !seen.insert(role.as_str()) {
                    continue;
                }
                if let Some((_, text, source)) = ctx.roles.iter().find(|(n, _, _)| n == role) {
                    r.push(format!("{role}: {}", config_text(text, *source)));
                }
            }
        }
        r
    };
    let history = repeat.and_then(|r| {
        let mut parts: Vec<String> = Vec::new();
        if r.count > 0 {
            let mut s = format!(
                "You have committed a {} {} time{} before in the repeat window",
                spec.title,
                r.count,
                if r.count == 1 { "" } else { "s" }
            );
            if let Some(last) = r.last {
                s.push_str(&format!(", most recently {}", crate::time::ago(last)));
            }
            s.push('.');
            parts.push(s);
        }
        if r.same_secret {
            parts.push(
                "This is the same value coach blocked before: it is still in the change.".into(),
            );
        }
        // Occurrences in the contact window, this one included.
        if let Some((contact, source)) = &ctx.team_contact {
            if r.long_count > 0 && r.long_count + 1 >= ctx.contact_after {
                parts.push(match source {
                    TextSource::User => {
                        format!("Talk to {contact} for help setting up a safer flow.")
                    }
                    TextSource::Repository => format!(
                        "Ask your team contact for help setting up a safer flow. {}",
                        config_text(contact, *source)
                    ),
                });
            }
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    Guidance {
        kind: kind.to_owned(),
        title: spec.title.clone(),
        why: spec.why.clone(),
        do_now,
        clean_up: clean_up(findings, worst, ctx),
        move_it: spec.store.clone(),
        replace_with: spec.replace.clone(),
        check_for_abuse: (level == Level::Full || worst >= Exposure::Committed)
            .then(|| fill_for_each(&spec.audit, findings).join("\n")),
        machine_identity: if machine { spec.machine.clone() } else { None },
        roles,
        history,
        docs: match level {
            Level::Full => spec.docs.clone(),
            Level::Short => spec.docs.iter().take(1).cloned().collect(),
        },
        level,
        from_repository: None,
    }
}

/// Guidance whose text comes from a rules file in the repository: every field is a labelled
/// quotation, nothing is laid out as a `$` step, and coach's own clean-up steps stay as they are.
fn repository_guidance(
    kind: &str,
    spec: &CoachingSpec,
    findings: &[&Finding],
    ctx: &Context,
    level: Level,
    worst: Exposure,
    file: &str,
) -> Guidance {
    let label = format!("From {file} (repository rules file, not checked by coach):");
    let said = |t: &str| format!("{label} {}", crate::report::escape::quoted(t));
    let mut do_now = vec![said(&spec.revoke_console)];
    do_now.extend(spec.revoke_cli.iter().map(|c| said(c)));
    Guidance {
        kind: kind.to_owned(),
        title: spec.title.clone(),
        why: said(&spec.why),
        do_now,
        clean_up: clean_up(findings, worst, ctx),
        move_it: said(&spec.store),
        replace_with: said(&spec.replace),
        check_for_abuse: (level == Level::Full || worst >= Exposure::Committed)
            .then(|| said(&spec.audit)),
        machine_identity: spec
            .machine
            .as_deref()
            .filter(|_| findings.iter().any(|f| f.identity != Identity::Human))
            .map(said),
        roles: Vec::new(),
        history: None,
        docs: spec.docs.iter().map(|d| said(d)).collect(),
        level,
        from_repository: Some(file.to_owned()),
    }
}

/// Config text as shown: the user's own as written; the repository's quoted, after its label.
fn config_text(text: &str, source: TextSource) -> String {
    match source {
        TextSource::User => text.to_owned(),
        TextSource::Repository => {
            format!("{REPO_TEXT_LABEL} {}", crate::report::escape::quoted(text))
        }
    }
}

/// Most distinct fillings of one template shown; the rest are counted (JSON lists every finding).
pub const MAX_FILLED: usize = 10;

/// Fills `{name}` placeholders from each finding's identifiers: one line per distinct filling, the
/// first [`MAX_FILLED`] of them. A placeholder no finding can fill is shown as `<name>`.
fn fill_for_each(template: &str, findings: &[&Finding]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    let mut more = 0usize;
    for f in findings {
        let line = fill(template, f);
        if seen.contains(&line) {
            continue;
        }
        if out.len() < MAX_FILLED {
            out.push(line.clone());
        } else {
            more += 1;
        }
        seen.insert(line);
    }
    if out.is_empty() {
        out.push(fill_missing(template));
    }
    if more > 0 {
        out.push(format!(
            "# and {more} more like it (coach scan --format json lists every finding)"
        ));
    }
    out
}

fn fill(template: &str, f: &Finding) -> String {
    let mut s = template.to_owned();
    // Identifiers sit inside SQL strings, URLs and double quotes in the templates, where no one
    // quoting style is right: only plain values are filled in, anything else stays `<name>`.
    for (k, v) in &f.identifiers {
        if is_plain_identifier(v) {
            s = s.replace(&format!("{{{k}}}"), v);
        }
    }
    s = s.replace("{path}", &quote(&f.path));
    fill_missing(&s)
}

/// True for values that mean the same in every shell, SQL and URL context the templates use.
fn is_plain_identifier(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-+@:/".contains(c))
}

fn fill_missing(s: &str) -> String {
    // Compiled once: it runs for every finding, and compiling it each time dominated large scans.
    static PLACEHOLDER: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"\{([a-z][a-z0-9_-]*)\}").expect("static pattern"));
    PLACEHOLDER.replace_all(s, "<$1>").into_owned()
}

/// Distinct commit ids of the findings, in the order first seen.
fn commit_ids<'a>(findings: &[&'a Finding]) -> Vec<&'a str> {
    let mut c: Vec<&str> = Vec::new();
    let mut seen = HashSet::new();
    for f in findings {
        if let Some(info) = &f.commit {
            if seen.insert(info.id.as_str()) {
                c.push(&info.id);
            }
        }
    }
    c
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

fn is_secrets_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let exact = [
        ".env",
        ".npmrc",
        ".netrc",
        ".pypirc",
        ".git-credentials",
        "credentials",
        "credentials.json",
        "id_rsa",
        "id_ed25519",
        "id_ecdsa",
        "secrets.yml",
        "secrets.yaml",
        "secrets.json",
        "terraform.tfvars",
    ];
    exact.contains(&name.as_str())
        || name.starts_with(".env.")
        || name.ends_with(".env")
        || [
            ".pem",
            ".key",
            ".p12",
            ".pfx",
            ".jks",
            ".keystore",
            ".tfvars",
            ".ppk",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// A path as one inert shell word. Git paths cannot hold NUL, the only thing `shlex` refuses; were
/// one to appear, a placeholder is printed rather than a command that would do something else.
fn quote(path: &str) -> String {
    shlex::try_quote(path).map_or_else(|_| "<path>".to_owned(), std::borrow::Cow::into_owned)
}

/// Exposure-specific steps, from `COACHING.md` section 0.
fn clean_up(findings: &[&Finding], worst: Exposure, ctx: &Context) -> Vec<String> {
    let mut paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    let shown: Vec<String> = paths.iter().map(|p| quote(p)).collect();
    // A command naming thousands of paths helps no one: name the first ones, count the rest.
    let joined = if shown.len() > MAX_FILLED {
        format!(
            "{} (and {} more files: coach scan --format json lists them)",
            shown[..MAX_FILLED].join(" "),
            shown.len() - MAX_FILLED
        )
    } else {
        shown.join(" ")
    };
    let secrets_files: Vec<&String> = shown
        .iter()
        .zip(&paths)
        .filter(|(_, p)| is_secrets_file(p))
        .map(|(s, _)| s)
        .collect();
    let mut steps = Vec::new();
    match worst {
        Exposure::Local => {
            steps.push(format!("Remove the value from {joined} and read it at runtime from an environment variable or a secret store."));
            steps.push("If the file is tracked, the value may already be in history: `coach scan --history` tells.".into());
        }
        Exposure::Staged => {
            steps.push("It is only staged: nothing has left this machine yet.".into());
            steps.push(format!(
                "$ git restore --staged -- {joined}    # unstage; your working copy is kept"
            ));
            steps.push("Replace the value with a reference (an environment variable or a secret-store lookup), then stage again.".into());
            steps.push("Rotation is optional while it was only staged; rotate if the value was ever pasted into chat, a ticket, CI logs or an AI tool.".into());
        }
        Exposure::Committed => {
            let commits = commit_ids(findings);
            steps.push(
                "It is in local commits only, not on any remote yet: rewrite them before you push (a push that sends them is stopped)."
                    .into(),
            );
            match commits.as_slice() {
                [one] if ctx.head.as_deref() == Some(*one) => {
                    steps.push(format!(
                        "It was added in {} (HEAD): remove the value from the file, then:",
                        short(one)
                    ));
                    steps.push(
                        "$ git commit --amend --all    # replaces the commit that added it".into(),
                    );
                }
                [one] if ctx.root_commits.iter().any(|r| r == one) => {
                    steps.push(format!("$ git rebase -i --root    # mark {} (the first commit) as 'edit', remove the value, `git commit --amend --all`, `git rebase --continue`", short(one)));
                }
                [one] => {
                    let id = short(one);
                    steps.push(format!("$ git rebase -i {id}~1    # mark {id} as 'edit', remove the value, `git commit --amend --all`, `git rebase --continue`"));
                    steps.push("Removing it in a new commit on top is not enough: the commit that added it would still be pushed.".into());
                }
                [] => steps.push(
                    "$ git log -S'<the value>' --oneline    # find the commit that added it".into(),
                ),
                many => {
                    let mut ids: Vec<&str> =
                        many.iter().take(MAX_FILLED).map(|c| short(c)).collect();
                    let more = format!("and {} more", many.len().saturating_sub(MAX_FILLED));
                    if many.len() > MAX_FILLED {
                        ids.push(&more);
                    }
                    steps.push(format!(
                        "It was added in {} commits ({}): rewrite them all with git filter-repo before pushing:",
                        many.len(),
                        ids.join(", ")
                    ));
                    steps.push(
                        "$ git filter-repo --replace-text <(echo '<the value>==>***REMOVED***')"
                            .into(),
                    );
                }
            }
            steps.push("Then drop the old objects locally: $ git reflog expire --expire=now --all && git gc --prune=now".into());
        }
        Exposure::Pushed => {
            let pushed: Vec<&Finding> = findings
                .iter()
                .copied()
                .filter(|f| f.exposure == Exposure::Pushed)
                .collect();
            let commits = commit_ids(&pushed);
            let at = if commits.is_empty() {
                String::new()
            } else {
                let mut ids: Vec<&str> =
                    commits.iter().take(MAX_FILLED).map(|c| short(c)).collect();
                let more = format!("and {} more", commits.len().saturating_sub(MAX_FILLED));
                if commits.len() > MAX_FILLED {
                    ids.push(&more);
                }
                format!(" (added in {})", ids.join(", "))
            };
            steps.push(format!("It has been pushed{at}: treat it as compromised. Rotate or revoke it first (above), then check the audit log: rewriting history does not un-leak it."));
            if let Some(first) = commits.first() {
                steps.push(format!(
                    "$ git branch -r --contains {}    # every remote branch that carries it",
                    short(first)
                ));
            }
            steps.push("Then purge it from history: $ git filter-repo --sensitive-data-removal --replace-text <(echo '<the value>==>***REMOVED***')".into());
            steps.push("$ git push --force --mirror origin    # then ask collaborators to re-clone; on GitHub, ask support to drop cached views".into());
        }
    }
    if !secrets_files.is_empty() && worst <= Exposure::Staged {
        let files: Vec<&str> = secrets_files
            .iter()
            .take(MAX_FILLED)
            .map(|s| s.as_str())
            .collect();
        steps.push(format!(
            "{} looks like a secrets file: keep it out of Git for good: $ git rm --cached -- {} && printf '%s\\n' {} >> .gitignore",
            files.join(", "),
            files.join(" "),
            files.first().map_or("", |f| f)
        ));
    }
    steps
}
