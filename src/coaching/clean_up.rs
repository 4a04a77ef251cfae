//! The Git clean-up for each exposure, as prose steps and as commands that run as printed.
use super::fill::{quote, MAX_FILLED};
use super::Context;
use crate::finding::{Exposure, Finding};
use serde::Serialize;
use std::collections::HashSet;

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

/// Files whose own clean-up steps are printed for one kind; the rest are counted.
const MAX_FILE_STEPS: usize = 20;

/// Said wherever revocation is conditional: nothing has left the machine unless the person sent it.
pub const IF_SHARED: &str = "Only if the value was also pasted or sent anywhere else (chat, a ticket, CI logs, an AI tool) or copied from a place you do not control:";

/// Writes the filter-repo expressions file from coach's own findings, so no one types the secret.
const PURGE_FILE: &str = "D=$(mktemp -d) && coach purge-file --output \"$D/expressions\"";
const PURGE_FILE_WHY: &str = "coach writes the replacement expressions from its own findings (mode 0600, in a private temporary folder): you never type the secret";

/// Exposure-specific steps (`COACHING.md` section 0), as prose lines and the commands inside them.
/// A secret in a commit or tag message is reworded, not edited out of a file; file steps follow for
/// the kind's file findings.
pub(super) fn clean_up(findings: &[&Finding], worst: Exposure, ctx: &Context) -> CleanUp {
    let (messages, files): (Vec<&Finding>, Vec<&Finding>) = findings
        .iter()
        .partition(|f| crate::source::history::is_message_path(&f.path));
    if messages.is_empty() {
        return file_clean_up(findings, worst, ctx);
    }
    let mut out = CleanUp {
        steps: message_clean_up(&messages, ctx),
        ..CleanUp::default()
    };
    if let Some(worst) = files.iter().map(|f| f.exposure).max() {
        let more = file_clean_up(&files, worst, ctx);
        let offset = out.steps.len();
        out.steps.extend(more.steps);
        out.commands = more.commands;
        out.per_file = more
            .per_file
            .into_iter()
            .map(|f| FileSteps {
                first: f.first + offset,
                end: f.end + offset,
                ..f
            })
            .collect();
    }
    out
}

/// The clean-up steps (prose and `$` lines), the commands among them as data, and which steps
/// belong to one file only (so a report can print a file's steps once across kinds).
#[derive(Debug, Default)]
pub(super) struct CleanUp {
    pub steps: Vec<String>,
    pub commands: Vec<GitCommand>,
    pub per_file: Vec<FileSteps>,
}

/// `steps[first..end]` take care of `path` alone, at `exposure`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSteps {
    pub path: String,
    pub exposure: Exposure,
    pub first: usize,
    pub end: usize,
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

fn file_clean_up(findings: &[&Finding], worst: Exposure, ctx: &Context) -> CleanUp {
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
    let mut per_file: Vec<FileSteps> = Vec::new();
    let mark = |per_file: &mut Vec<FileSteps>, p: &str, exposure, first, end| {
        per_file.push(FileSteps {
            path: p.to_owned(),
            exposure,
            first,
            end,
        });
    };
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
            // only unstaged. `git restore --staged` needs a HEAD, which a first commit lacks. A
            // change with findings in thousands of files printed a command per file (16,000 lines
            // for 16,000 files, #15): the first ones are spelled out, the rest counted.
            for p in paths.iter().take(MAX_FILE_STEPS) {
                let q = quote(p);
                let first = steps.len();
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
                let end = steps.len();
                mark(&mut per_file, p, Exposure::Staged, first, end);
            }
            if let Some(more) = paths.len().checked_sub(MAX_FILE_STEPS).filter(|&n| n > 0) {
                steps.push(format!(
                    "And {more} more files (coach scan --format json lists them): unstage everything staged at once:"
                ));
                run(
                    &mut steps,
                    GitCommand::new(
                        Exposure::Staged,
                        if ctx.head.is_some() {
                            "git restore --staged -- ."
                        } else {
                            "git rm -r --cached --quiet -- ."
                        },
                        "unstages every staged file, with or without a finding; your working copies are kept",
                    ),
                );
            }
            steps.push("Then read the value from the environment or a secret store instead, and stage again.".into());
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
                        let first = steps.len();
                        untrack(&mut steps, &mut run, Exposure::Committed, &quote(p));
                        let end = steps.len();
                        mark(&mut per_file, p, Exposure::Committed, first, end);
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
        Exposure::CiLog => steps.extend(super::ci_log::steps(findings, ctx)),
    }
    CleanUp {
        steps,
        commands: cmds,
        per_file,
    }
}

/// Takes a secrets file out of the index for good, keeping the working copy, and ignores it unless
/// a `.gitignore` rule already does.
fn untrack(
    steps: &mut Vec<String>,
    run: &mut impl FnMut(&mut Vec<String>, GitCommand),
    exposure: Exposure,
    q: &str,
) {
    steps.push(format!("{q} is a secrets file: keep it out of Git:"));
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
