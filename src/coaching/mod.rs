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

mod ci_log;
mod clean_up;
mod fill;
#[cfg(test)]
mod tests;

pub use ci_log::PipelineOwner;
use clean_up::clean_up;
pub use clean_up::{FileSteps, GitCommand, IF_SHARED};
use fill::fill_for_each;

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
    /// For a CI log: the workflow it came from and its CODEOWNERS entry, when known.
    pub pipeline_owner: Option<PipelineOwner>,
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
    /// Which `clean_up` steps take care of one file alone: a report prints them once per file.
    #[serde(skip)]
    pub clean_up_files: Vec<FileSteps>,
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
    // Pushed (or printed) secrets and repeats get everything: the audit log matters once a secret
    // has travelled.
    let level = if worst >= Exposure::Pushed || repeat.is_some_and(|r| r.count > 0 || r.same_secret)
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
            parts.push(if worst == Exposure::CiLog {
                "This is the same value coach found before: it was printed again.".into()
            } else {
                "This is the same value coach blocked before: it is still in the change.".into()
            });
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
    let clean_up::CleanUp {
        steps: clean_up,
        commands,
        per_file: clean_up_files,
    } = clean_up(findings, worst, ctx);
    Guidance {
        kind: kind.to_owned(),
        title: spec.title.clone(),
        why: spec.why.clone(),
        do_now,
        clean_up,
        clean_up_files,
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
    let clean_up::CleanUp {
        steps: clean_up,
        commands,
        per_file: clean_up_files,
    } = clean_up(findings, worst, ctx);
    Guidance {
        kind: kind.to_owned(),
        title: spec.title.clone(),
        why: said(&spec.why),
        do_now,
        clean_up,
        clean_up_files,
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
