//! The application layer: commands that drive the pipeline and print. Only this layer (and
//! `main`) may depend on everything below it; nothing below depends on it (docs/ARCHITECTURE.md).
pub mod commands;
pub mod drive;
pub mod engine;

use crate::cli::{Cli, ColorChoice, Command, ConfigCommand, HookCommand};
use crate::config::Settings;
use crate::error::ExitStatus;
use crate::escape::terminal_lines as esc_lines;
use crate::report::{self};

use anyhow::{Context, Result};
use commands::hook::*;
use engine::*;
use std::io::IsTerminal;

/// Runs one command and returns the exit status; errors are printed by `main`.
pub fn run(cli: Cli) -> Result<ExitStatus> {
    set_color(cli.color);
    match &cli.command {
        Command::Scan(args) => commands::scan::run(&cli, args),
        Command::PurgeFile(args) => commands::purge::run(&cli, args),
        Command::Hook(HookCommand::PreCommit) => pre_commit(&cli),
        Command::Hook(HookCommand::PrePush {
            remote,
            url,
            max_commits,
        }) => pre_push(&cli, remote, url.as_deref(), *max_commits),
        Command::Hook(HookCommand::CommitMsg { file }) => commit_msg(&cli, file),
        Command::Rules(cmd) => commands::rules::run(&cli, cmd),
        Command::Explain { ids } => {
            for id in ids {
                commands::rules::run(&cli, &crate::cli::RulesCommand::Explain { id: id.clone() })?;
            }
            Ok(ExitStatus::Allow)
        }
        Command::Install(args) => commands::hook::install(args),
        Command::Uninstall(args) => commands::hook::uninstall(args),
        Command::Doctor => commands::doctor::run(&cli),
        Command::Stats(args) => commands::stats::stats(&cli.sources(), args),
        Command::Ledger(cmd) => commands::stats::ledger(&cli.sources(), cmd),
        Command::Report(args) => commands::report::run(&cli.sources(), args),
        Command::Config(ConfigCommand::Show) => {
            let root = git2::Repository::discover(".")
                .ok()
                .and_then(|r| repo_root(&r));
            let settings = Settings::load(root.as_deref(), &cli.sources())?;
            // Values are TOML-quoted by `show`, which leaves bidi controls and U+2028 as they are.
            report::write_all(&mut std::io::stdout().lock(), &esc_lines(&settings.show()))?;
            Ok(ExitStatus::Allow)
        }
        Command::Baseline(cmd) => commands::baseline::run(&cli, cmd),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "coach", &mut buf);
            report::write_all(
                &mut std::io::stdout().lock(),
                &String::from_utf8_lossy(&buf),
            )?;
            Ok(ExitStatus::Allow)
        }
        Command::Man { dir: Some(dir) } => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::generate_to(cmd, dir)
                .with_context(|| format!("writing man pages to {}", dir.display()))?;
            Ok(ExitStatus::Allow)
        }
        Command::Man { dir: None } => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut buf)?;
            report::write_all(
                &mut std::io::stdout().lock(),
                &String::from_utf8_lossy(&buf),
            )?;
            Ok(ExitStatus::Allow)
        }
    }
}

pub(crate) fn set_color(choice: ColorChoice) {
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            // Both streams: `coach scan | less` must not get escape codes on stdout, and Git runs
            // hooks with stdout sent to stderr, so a hook on a terminal still gets colour.
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
                && std::io::stdout().is_terminal()
        }
    };
    colored::control::set_override(on);
}
