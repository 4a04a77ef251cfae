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
    /// Now, in seconds since the Unix epoch: passed in, so coaching stays a pure function.
    pub now: i64,
}

/// The rendered guidance for one credential kind in one report.
#[derive(Debug, Clone, Serialize)]
pub struct Guidance {
    pub kind: String,
    pub title: String,
    pub why: String,
    /// Revocation and rotation. For a secret that was only staged or committed, this is
    /// conditional and printed after the clean-up (its first line says so).
    pub do_now: Vec<String>,
    pub clean_up: Vec<String>,
    /// The Git commands inside `clean_up`, as data, in the order printed.
    pub commands: Vec<GitCommand>,
    /// The worst exposure among the findings: it decides what is said first.
    pub exposure: Exposure,
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
    // Nothing has left the machine unless it was pushed: revoking is then conditional.
    let mut do_now = if worst < Exposure::Pushed {
        vec![IF_SHARED.to_owned(), spec.revoke_console.clone()]
    } else {
        vec![spec.revoke_console.clone()]
    };
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
            // Counted events are findings coach reported (most were stopped, not committed), and
            // the kind is named after a colon so no article has to agree with it.
            let times = match r.count {
                1 => "once".to_owned(),
                2 => "twice".to_owned(),
                n => format!("{n} times"),
            };
            let mut s = format!(
                "coach has found this kind of credential in your changes {times} before in the repeat window: {}",
                spec.title
            );
            if let Some(last) = r.last {
                s.push_str(&format!(
                    ", most recently {}",
                    crate::time::ago_at(ctx.now, last)
                ));
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
    let (clean_up, commands) = clean_up(findings, worst, ctx);
    Guidance {
        kind: kind.to_owned(),
        title: spec.title.clone(),
        why: spec.why.clone(),
        do_now,
        clean_up,
        commands,
        exposure: worst,
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
    let said = |t: &str| format!("{label} {}", crate::escape::quoted(t));
    let mut do_now = vec![said(&spec.revoke_console)];
    do_now.extend(spec.revoke_cli.iter().map(|c| said(c)));
    let (clean_up, commands) = clean_up(findings, worst, ctx);
    Guidance {
        kind: kind.to_owned(),
        title: spec.title.clone(),
        why: said(&spec.why),
        do_now,
        clean_up,
        commands,
        exposure: worst,
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
            format!("{REPO_TEXT_LABEL} {}", crate::escape::quoted(text))
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

/// `{name}` becomes `<name>`, except after `%` or `$`: `curl -w "%{http_code}"` and `${VAR}` are
/// shell and curl syntax, not placeholders.
fn fill_missing(s: &str) -> String {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(^|[^%$])\{([a-z][a-z0-9_-]*)\}").expect("static pattern")
    });
    RE.replace_all(s, "$1<$2>").into_owned()
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

/// One Git command coach prints for a finding's clean-up, as data: the JSON report carries these so
/// a person (or a test) can run exactly what was printed. Commands of one guidance run in order, in
/// one shell, from the repository root: later ones may use a variable an earlier one set (`$D`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GitCommand {
    pub exposure: Exposure,
    /// POSIX shell text; paths in it are shell-quoted.
    pub shell: String,
    pub purpose: String,
}

impl GitCommand {
    fn new(exposure: Exposure, shell: impl Into<String>, purpose: impl Into<String>) -> Self {
        GitCommand {
            exposure,
            shell: shell.into(),
            purpose: purpose.into(),
        }
    }

    /// The line the human report prints.
    fn line(&self) -> String {
        format!("$ {}    # {}", self.shell, self.purpose)
    }
}

/// Said wherever revocation is conditional: nothing has left the machine unless the person sent it.
pub const IF_SHARED: &str = "Only if the value was also pasted or sent anywhere else (chat, a ticket, CI logs, an AI tool) or copied from a place you do not control:";

/// Writes the filter-repo expressions file from coach's own findings, so no one types the secret.
const PURGE_FILE: &str = "D=$(mktemp -d) && coach purge-file --output \"$D/expressions\"";
const PURGE_FILE_WHY: &str = "coach writes the replacement expressions from its own findings (mode 0600, in a private temporary folder): you never type the secret";

/// Exposure-specific steps (`COACHING.md` section 0), as prose lines and the commands inside them.
/// A secret in a commit or tag message is reworded, not edited out of a file; file steps follow for
/// the kind's file findings.
fn clean_up(
    findings: &[&Finding],
    worst: Exposure,
    ctx: &Context,
) -> (Vec<String>, Vec<GitCommand>) {
    let (messages, files): (Vec<&Finding>, Vec<&Finding>) = findings
        .iter()
        .partition(|f| crate::source::history::is_message_path(&f.path));
    if messages.is_empty() {
        return file_clean_up(findings, worst, ctx);
    }
    let mut steps = message_clean_up(&messages, ctx);
    let mut commands = Vec::new();
    if let Some(worst) = files.iter().map(|f| f.exposure).max() {
        let (more, cmds) = file_clean_up(&files, worst, ctx);
        steps.extend(more);
        commands = cmds;
    }
    (steps, commands)
}

/// Rewording steps for a secret in a message. The new message is typed in the editor, never with
/// `-m` (that would put the secret, or a near copy, in shell history).
fn message_clean_up(findings: &[&Finding], ctx: &Context) -> Vec<String> {
    let mut steps = Vec::new();
    if findings.iter().any(|f| f.exposure == Exposure::Pushed) {
        steps.push("The message has been pushed: treat the value as compromised and rotate or revoke it first (above); rewording does not un-leak it.".into());
        steps.push("Then purge it from every message, from a fresh mirror clone (never --mirror from this working clone: it would delete remote branches you do not have):".into());
        steps.push("$ D=$(mktemp -d) && ${EDITOR:-vi} \"$D/expressions\"    # one line: the value, then ==>***REMOVED*** (typed in the editor, never on a command line)".into());
        steps.push("$ git clone --mirror \"$(git remote get-url origin)\" \"$D/mirror.git\" && git -C \"$D/mirror.git\" filter-repo --sensitive-data-removal --replace-message \"$D/expressions\"".into());
        steps.push("$ git -C \"$D/mirror.git\" push --force --mirror origin && rm -rf -- \"$D\"    # then ask collaborators to re-clone".into());
        return steps;
    }
    if findings.iter().any(|f| f.exposure <= Exposure::Staged) {
        steps.push("The value is in the commit message, and the commit was stopped: nothing was committed.".into());
        steps.push("Write the message again without it (never put the value on a command line, e.g. with -m); Git kept your draft in .git/COMMIT_EDITMSG:".into());
        steps.push(
            "$ git commit -e -F .git/COMMIT_EDITMSG    # edit the draft, remove the value, save"
                .into(),
        );
    }
    let mut tags: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.path.strip_prefix("<tag message: ")?.strip_suffix('>'))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    for t in tags {
        let t = quote(t);
        steps.push(format!("The value is in the message of tag {t}: replace the tag, writing a new message in the editor:"));
        steps.push(format!(
            "$ git tag -f -a {t} {t}^{{}}    # opens the editor; remove the value, save"
        ));
        steps.push(format!("If the tag was already pushed, rotate the value first, then: $ git push --force origin refs/tags/{t}"));
    }
    let commits: Vec<&Finding> = findings
        .iter()
        .copied()
        .filter(|f| {
            f.exposure == Exposure::Committed && f.path == crate::source::history::COMMIT_MESSAGE
        })
        .collect();
    for id in commit_ids(&commits) {
        let sid = short(id);
        if ctx.head.as_deref() == Some(id) {
            steps.push(format!("The value is in the message of {sid} (HEAD): reword it in the editor (never with -m):"));
            steps.push("$ git commit --amend    # remove the value from the message, save".into());
        } else if ctx.root_commits.iter().any(|r| r == id) {
            steps.push(format!("$ git rebase -i --root    # mark {sid} (the first commit) as 'reword', remove the value from the message in the editor"));
        } else {
            steps.push(format!("$ git rebase -i {sid}~1    # mark {sid} as 'reword', remove the value from the message in the editor"));
        }
    }
    steps
}

fn file_clean_up(
    findings: &[&Finding],
    worst: Exposure,
    ctx: &Context,
) -> (Vec<String>, Vec<GitCommand>) {
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
    let mut steps: Vec<String> = Vec::new();
    let mut cmds: Vec<GitCommand> = Vec::new();
    // A command is printed where it belongs among the prose steps and kept as data.
    let mut run = |steps: &mut Vec<String>, c: GitCommand| {
        steps.push(c.line());
        cmds.push(c);
    };
    match worst {
        Exposure::Local => {
            steps.push(format!("Remove the value from {joined} and read it at runtime from an environment variable or a secret store."));
            steps.push("If the file is tracked, the value may already be in history: `coach scan --history` tells.".into());
        }
        Exposure::Staged => {
            steps.push("It is only staged: nothing has left this machine yet.".into());
            // One sequence per file: a secrets file leaves the index for good, any other file is
            // only unstaged. `git restore --staged` needs a HEAD, which a first commit lacks.
            for p in &paths {
                let q = quote(p);
                if is_secrets_file(p) {
                    untrack(&mut steps, &mut run, Exposure::Staged, &q);
                } else if ctx.head.is_some() {
                    run(
                        &mut steps,
                        GitCommand::new(
                            Exposure::Staged,
                            format!("git restore --staged -- {q}"),
                            "unstage it; your working copy is kept",
                        ),
                    );
                } else {
                    run(
                        &mut steps,
                        GitCommand::new(
                            Exposure::Staged,
                            format!("git rm --cached --quiet -- {q}"),
                            "unstage it (first commit: there is no HEAD to restore from); your working copy is kept",
                        ),
                    );
                }
            }
            steps.push("Replace the value with a reference (an environment variable or a secret-store lookup), then stage again.".into());
        }
        Exposure::Committed => {
            let commits = commit_ids(findings);
            steps.push(
                "It is in local commits only, not on any remote yet: rewrite them before you push (a push that sends them is stopped)."
                    .into(),
            );
            match commits.as_slice() {
                [one] if ctx.head.as_deref() == Some(*one) => {
                    steps.push(format!("It was added in {} (HEAD):", short(one)));
                    let secrets: Vec<&&str> = paths.iter().filter(|p| is_secrets_file(p)).collect();
                    for p in &secrets {
                        untrack(&mut steps, &mut run, Exposure::Committed, &quote(p));
                    }
                    if secrets.len() < paths.len() {
                        steps.push(format!("Replace the value in {joined} with a reference (an environment variable or a secret-store lookup), then:"));
                    }
                    run(
                        &mut steps,
                        GitCommand::new(
                            Exposure::Committed,
                            if secrets.len() < paths.len() {
                                "git commit --amend --all --no-edit"
                            } else {
                                // The commit may have added nothing but the secrets file.
                                "git commit --amend --no-edit --allow-empty"
                            },
                            "replaces the commit that added it",
                        ),
                    );
                }
                other => {
                    let ids: Vec<&str> = other.iter().map(|c| short(c)).collect();
                    let at = match ids.as_slice() {
                        [] => "an earlier commit".to_owned(),
                        [one] => format!("commit {one}"),
                        many => format!("{} commits ({})", many.len(), many.join(", ")),
                    };
                    steps.push(format!("It was added in {at}, below HEAD: removing it in a new commit on top is not enough. Rewrite this branch (commit or stash other changes first):"));
                    run(
                        &mut steps,
                        GitCommand::new(Exposure::Committed, PURGE_FILE, PURGE_FILE_WHY),
                    );
                    run(
                        &mut steps,
                        GitCommand::new(
                            Exposure::Committed,
                            "git filter-repo --force --refs HEAD --replace-text \"$D/expressions\"",
                            "replaces the value with ***REMOVED*** in this branch's commits and in your working copy; take the real value from your secret store",
                        ),
                    );
                    run(
                        &mut steps,
                        GitCommand::new(
                            Exposure::Committed,
                            "rm -rf -- \"$D\"",
                            "delete the file that holds the secret",
                        ),
                    );
                    // The by-hand route (GitHub's push-protection guide) is interactive, so it is
                    // told, not laid out as a command to paste.
                    match other {
                        [one] if ctx.root_commits.iter().any(|r| r == one) => steps.push(format!("Or by hand, keeping your working copy: `git rebase -i --root`, mark {} (the first commit) 'edit', remove the value, `git commit --amend --all`, `git rebase --continue`.", short(one))),
                        [one] => steps.push(format!("Or by hand, keeping your working copy: `git rebase -i {id}~1`, mark {id} 'edit', remove the value, `git commit --amend --all`, `git rebase --continue`.", id = short(one))),
                        _ => {}
                    }
                }
            }
            run(
                &mut steps,
                GitCommand::new(
                    Exposure::Committed,
                    "git reflog expire --expire=now --all && git gc --quiet --prune=now",
                    "drop the old objects from this clone",
                ),
            );
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
            steps.push(format!("It has been pushed{at}: treat it as compromised. 1. Rotate or revoke it first (Do now). 2. Then purge it from the remote. 3. Then check for abuse. Rewriting history does not un-leak it: clones, forks and caches keep it."));
            if let Some(first) = commits.first() {
                run(
                    &mut steps,
                    GitCommand::new(
                        Exposure::Pushed,
                        format!("git branch -r --contains {}", short(first)),
                        "every remote branch that carries it",
                    ),
                );
            }
            steps.push("Purge, following GitHub's sensitive-data procedure: rewrite a fresh mirror clone with git-filter-repo 2.47 or later, and push from that clone, never from your working clone (`push --mirror` from a working clone deletes every remote branch you do not have locally):".into());
            run(
                &mut steps,
                GitCommand::new(Exposure::Pushed, PURGE_FILE, PURGE_FILE_WHY),
            );
            run(
                &mut steps,
                GitCommand::new(
                    Exposure::Pushed,
                    "git clone --quiet --mirror \"$(git remote get-url origin)\" \"$D/mirror.git\"",
                    "a fresh mirror clone of the remote it was pushed to (origin here)",
                ),
            );
            run(
                &mut steps,
                GitCommand::new(
                    Exposure::Pushed,
                    "git -C \"$D/mirror.git\" filter-repo --sensitive-data-removal --replace-text \"$D/expressions\"",
                    "rewrites every ref; it lists the first changed commits and any pull-request refs it could not rewrite",
                ),
            );
            run(
                &mut steps,
                GitCommand::new(
                    Exposure::Pushed,
                    "git -C \"$D/mirror.git\" push --force --mirror origin",
                    "from the mirror clone only; GitHub rejects pull-request refs (refs/pull/*): that is expected",
                ),
            );
            run(
                &mut steps,
                GitCommand::new(
                    Exposure::Pushed,
                    "rm -rf -- \"$D\"",
                    "delete the secret-holding file and the mirror clone",
                ),
            );
            steps.push("Then have everyone re-clone (old clones still hold it), and on GitHub ask Support to remove cached views and pull-request refs.".into());
        }
    }
    (steps, cmds)
}

/// Takes a secrets file out of the index for good, keeping the working copy, and ignores it unless
/// a `.gitignore` rule already does.
fn untrack(
    steps: &mut Vec<String>,
    run: &mut impl FnMut(&mut Vec<String>, GitCommand),
    exposure: Exposure,
    q: &str,
) {
    steps.push(format!(
        "{q} looks like a secrets file: keep it out of Git for good:"
    ));
    run(
        steps,
        GitCommand::new(
            exposure,
            format!("git rm --cached --quiet -- {q}"),
            "stop tracking it; your working copy is kept",
        ),
    );
    run(
        steps,
        GitCommand::new(
            exposure,
            format!("git check-ignore -q -- {q} || {{ printf '%s\\n' {q} >> .gitignore && git add -- .gitignore; }}"),
            "ignore it (and stage the rule), unless it already is",
        ),
    );
}

#[cfg(test)]
mod tests {
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
        static CACHE: OnceLock<Mutex<HashMap<&'static str, &'static regex::Regex>>> =
            OnceLock::new();
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
        let secret_word =
            re(r"(?i)leaked|\bold\b|value|secret|password|token|key|webhook|credential");
        // Placeholders naming something that is not itself secret (an id, a name, a path).
        let public = re(
            r"(?i)\b(id|ids|name|accessor|prefix|path|server|keyserver|host|slug|region|org|url|uuid|keyid|accountsid|client_id)\b|^primary-or-secondary$",
        );
        let typed = re(r"(?i)\b(leaked|old|another|admin|your)\b");
        // A file the person controls is the safe way to pass a value.
        let file = re(r"(?i)\.(pem|json|key|p12)$|\bfile\b");
        let placeholder = re(r"<([^<>(\s][^<>]{0,58})>");
        for c in placeholder.captures_iter(cmd) {
            let t = &c[1];
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
}
