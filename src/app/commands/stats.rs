//! `coach stats` and `coach ledger path|forget`: read the ledger, render its figures.
use crate::cli::{self, LedgerCommand, StatsArgs};
use crate::error::{Error, ExitStatus};
use crate::escape::{terminal as esc, terminal_lines as esc_lines};
use crate::report::{self, Format};
use crate::{config, ledger, settings_anywhere, stats, time};
use anyhow::{Context, Result};

pub(crate) fn stats(sources: &config::Sources, args: &StatsArgs) -> Result<ExitStatus> {
    let settings = settings_anywhere(sources)?;
    let since = window_start(args.since.as_deref())?;
    let path = ledger::path(&settings.ledger)?;
    let export = local_export(&path, since)?;
    let (events, labels) = (&export.events, &export.labels);
    let text = match (args.export, Format::from(args.format)) {
        (Some(cli::ExportFormat::Jsonl), _) => ledger::write_export(&export),
        (None, Format::Json) => stats::render_json(&stats::compute(events, since, labels)),
        // Allow and skip reasons in the ledger came from scanned files.
        (None, Format::Human) => {
            esc_lines(&stats::render_human(&stats::compute(events, since, labels))).into_owned()
        }
        (None, Format::Sarif) => {
            return Err(Error::Usage(
                "coach stats has no SARIF form: use --format human or json".into(),
            )
            .into())
        }
    };
    write_out(args.output.as_deref(), &text)?;
    Ok(ExitStatus::Allow)
}

/// `--since WINDOW` as a start time.
pub(crate) fn window_start(since: Option<&str>) -> Result<Option<i64>> {
    Ok(since
        .map(time::parse_window)
        .transpose()
        .map_err(|m| Error::Usage(format!("--since {m}")))?
        .map(|w| ledger::now() - w))
}

/// Writes to `--output` or standard output.
pub(crate) fn write_out(output: Option<&std::path::Path>, text: &str) -> Result<()> {
    match output {
        Some(p) => std::fs::write(p, text).with_context(|| format!("writing {}", p.display()))?,
        None => report::write_all(&mut std::io::stdout().lock(), text)?,
    }
    Ok(())
}

/// The local ledger's events since `since`, with repository labels; empty when there is no ledger.
pub(crate) fn local_export(path: &std::path::Path, since: Option<i64>) -> Result<ledger::Export> {
    Ok(match ledger::Ledger::open_existing(path)? {
        Some(l) => ledger::Export {
            labels: l.labels()?,
            events: l.events(since)?,
        },
        None => ledger::Export::default(),
    })
}

pub(crate) fn ledger(sources: &config::Sources, cmd: &LedgerCommand) -> Result<ExitStatus> {
    let settings = settings_anywhere(sources)?;
    let path = ledger::path(&settings.ledger)?;
    match cmd {
        LedgerCommand::Export { since, output } => {
            let since = window_start(since.as_deref())?;
            let text = ledger::write_export(&local_export(&path, since)?);
            write_out(output.as_deref(), &text)?;
        }
        LedgerCommand::Path => {
            let text = format!("{}\n", esc(&path.display().to_string()));
            report::write_all(&mut std::io::stdout().lock(), &text)?;
        }
        LedgerCommand::Forget => {
            let removed = ledger::forget(&path)?;
            if removed.is_empty() {
                eprintln!(
                    "coach: no ledger at {}: nothing to forget",
                    esc(&path.display().to_string())
                );
            } else {
                eprintln!(
                    "coach: deleted the ledger at {} (the fingerprint key is kept)",
                    esc(&path.display().to_string())
                );
            }
        }
    }
    Ok(ExitStatus::Allow)
}
