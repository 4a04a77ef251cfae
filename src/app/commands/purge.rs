//! `coach purge-file`: writes the git-filter-repo `--replace-text` file for the secrets coach finds in
//! history, so the clean-up it prints never asks anyone to type a secret (issue 13).
//!
//! Findings carry no secret (only a redacted prefix and a keyed fingerprint), so each one is found
//! again: the rule's pattern runs over the blob the finding points at, and a match counts only if
//! its fingerprint equals the finding's. Nothing but the new 0600 file ever holds the value.
use crate::cli::{Cli, PurgeFileArgs, ScanArgs};
use crate::error::ExitStatus;
use crate::finding::{Category, Finding, Secret, Verdict};
use anyhow::{Context, Result};
use std::io::Write as _;

const REPLACEMENT: &str = "***REMOVED***";

pub fn run(cli: &Cli, args: &PurgeFileArgs) -> Result<ExitStatus> {
    let scan = ScanArgs {
        paths: Vec::new(),
        staged: false,
        format: crate::cli::FormatArg::Json,
        output: None,
        history: args.range.is_none(),
        range: args.range.clone(),
        max_commits: None,
        verbose: false,
        quiet: false,
        source: None,
        label: None,
        record: false,
    };
    let report = super::scan::scan_history(cli, &scan)?;
    let repo = crate::open_repo()?;
    let engine = crate::Engine::load(cli, crate::repo_root(&repo).as_deref())?;
    let mut values: Vec<String> = Vec::new();
    let mut missed = 0usize;
    for f in report
        .findings
        .iter()
        .filter(|f| f.category == Category::Secret && f.verdict != Verdict::Allow)
    {
        match recover(&repo, &engine, f) {
            Some(v) if !values.contains(&v) => values.push(v),
            Some(_) => {}
            None => missed += 1,
        }
        // An identifier that a rule flags on its own (an AWS key ID beside its secret) would
        // make the rewritten history fail coach's next scan: it goes too.
        for v in f.identifiers.values() {
            if flagged_alone(&engine, v) && !values.contains(v) {
                values.push(v.clone());
            }
        }
    }
    if values.is_empty() {
        eprintln!("coach: no secret to purge in {}", report.source);
        return Ok(if missed > 0 {
            ExitStatus::Error
        } else {
            ExitStatus::Blocked
        });
    }
    let text: String = values.iter().map(|v| expression(v) + "\n").collect();
    write_private(&args.output, &text)?;
    eprintln!(
        "coach: wrote {} replacement expression{} to {} (mode 0600; it holds the secrets: delete it after use)",
        values.len(),
        if values.len() == 1 { "" } else { "s" },
        args.output.display()
    );
    if missed > 0 {
        eprintln!("coach: warning: {missed} finding(s) could not be located again and are NOT in the file");
        return Ok(ExitStatus::Error);
    }
    Ok(ExitStatus::Allow)
}

/// The raw value of a history finding: its rule run over the blob at its commit and path, the
/// match whose fingerprint is the finding's.
fn recover(repo: &git2::Repository, engine: &crate::Engine, f: &Finding) -> Option<String> {
    let commit = repo
        .find_commit(git2::Oid::from_str(&f.commit.as_ref()?.id).ok()?)
        .ok()?;
    let blob = commit
        .tree()
        .ok()?
        .get_path(std::path::Path::new(&f.path))
        .ok()?
        .to_object(repo)
        .ok()?
        .peel_to_blob()
        .ok()?;
    let text = String::from_utf8_lossy(blob.content());
    let matcher = engine.rules.get(&f.rule_id)?.matcher().ok()?;
    matcher.regex.captures_iter(&text).find_map(|c| {
        let s = c.get(matcher.secret_group)?.as_str();
        (engine.key.fingerprint(&f.rule_id, &Secret::new(s)) == f.fingerprint).then(|| s.to_owned())
    })
}

/// True when some rule reports `v` by itself as its secret.
fn flagged_alone(engine: &crate::Engine, v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    engine
        .rules
        .rules
        .iter()
        .filter(|r| r.keywords.iter().any(|k| lower.contains(k.as_str())))
        .filter_map(|r| r.matcher().ok())
        .any(|m| {
            m.regex
                .captures(v)
                .and_then(|c| c.get(m.secret_group))
                .is_some_and(|s| s.as_str() == v)
        })
}

/// One filter-repo expression. A literal cannot hold a newline or `==>`, so such a value becomes a
/// fully escaped regex (Python `re` accepts a backslash before any ASCII punctuation).
fn expression(v: &str) -> String {
    if !v.contains(['\n', '\r']) && !v.contains("==>") {
        return format!("literal:{v}==>{REPLACEMENT}");
    }
    let mut re = String::from("regex:");
    for c in v.chars() {
        match c {
            '\n' => re.push_str("\\n"),
            '\r' => re.push_str("\\r"),
            c if c.is_ascii_punctuation() || c == ' ' => {
                re.push('\\');
                re.push(c);
            }
            c => re.push(c),
        }
    }
    format!("{re}==>{REPLACEMENT}")
}

/// Creates `path` with mode 0600 and refuses an existing file, so a secret never lands in a file
/// someone else made or can read.
fn write_private(path: &std::path::Path, text: &str) -> Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut file = o
        .open(path)
        .with_context(|| format!("creating {} (it must not exist yet)", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::expression;

    #[test]
    fn expressions_are_literal_unless_they_cannot_be() {
        assert_eq!(expression("abc123"), "literal:abc123==>***REMOVED***");
        assert_eq!(
            expression("a-b\nc==>d"),
            "regex:a\\-b\\nc\\=\\=\\>d==>***REMOVED***"
        );
    }
}
