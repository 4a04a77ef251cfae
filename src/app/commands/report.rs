//! `coach report`: the team report from the local ledger and exported ledgers.
use super::stats::{local_export, window_start, write_out};
use crate::cli::{ReportArgs, ReportFormat};
use crate::error::{Error, ExitStatus};
use crate::escape::terminal as esc;
use crate::{config, ledger, settings_anywhere, tags, teamreport};
use anyhow::Result;
use std::collections::HashMap;

pub(crate) fn run(sources: &config::Sources, args: &ReportArgs) -> Result<ExitStatus> {
    let settings = settings_anywhere(sources)?;
    let until = ledger::now();
    let since = window_start(Some(&args.since))?.unwrap_or(until);
    let mut parts = Vec::new();
    let mut names = Vec::new();
    if !args.no_local {
        let path = ledger::path(&settings.ledger)?;
        parts.push(local_export(&path, Some(since))?);
        names.push("local ledger".to_owned());
    }
    for p in &args.exports {
        let shown = esc(&p.display().to_string()).into_owned();
        let text = std::fs::read_to_string(p).map_err(|e| Error::Usage(format!("{shown}: {e}")))?;
        let export =
            ledger::read_export(&text).map_err(|m| Error::Usage(format!("{shown}: {m}")))?;
        parts.push(export);
        names.push(
            p.file_name()
                .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned()),
        );
    }
    if parts.is_empty() {
        return Err(Error::Usage("--no-local needs at least one export to read".into()).into());
    }
    let mut merged = teamreport::merge(parts);
    if args.pseudonymise {
        teamreport::pseudonymise(&mut merged.events);
    }
    // Kinds carry their framework tags through the rule that defines them; a kind no built-in
    // rule defines (a team's own rules) gets the tags of a leaked credential.
    let rules = crate::rules::RuleSet::builtin().ok();
    let kinds: HashMap<String, (crate::finding::Category, crate::finding::Lifetime)> = rules
        .iter()
        .flat_map(|r| r.rules.iter())
        .map(|r| (r.kind.clone(), (r.category, r.lifetime)))
        .collect();
    let tags_of = |kind: &str| {
        let (c, l) = kinds.get(kind).copied().unwrap_or((
            crate::finding::Category::Secret,
            crate::finding::Lifetime::Unknown,
        ));
        tags::for_kind(kind, c, l)
    };
    let figures = teamreport::compute(&merged, since, until, names, args.pseudonymise, &tags_of);
    let text = match args.format {
        ReportFormat::Html => teamreport::html::render(&figures),
        ReportFormat::Json => teamreport::render_json(&figures),
    };
    write_out(args.output.as_deref(), &text)?;
    Ok(ExitStatus::Allow)
}
