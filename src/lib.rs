//! coach: a Git hook that stops credentials from leaking and coaches the fix.
//!
//! Data flow (docs/ARCHITECTURE.md): `cli` → `app::commands::*` → `app::engine` (settings, rules,
//! key, baseline) → `source::*` → `ScanUnit`s → `scan::Scanner` (prefilter → regex →
//! `rules::validate`) → `Finding`s (redacted) → `decide` (suppress, policy) → dedup → `coaching` →
//! `report::*` → `ExitStatus`. This file only names the modules and the small public API.
#![allow(clippy::print_stderr)]

pub mod app;
pub mod baseline;
pub mod cli;
pub mod coaching;
pub mod config;
pub mod decide;
pub mod error;
pub mod escape;
pub mod finding;
pub mod hooks;
pub mod ledger;
pub mod repofile;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod state;
pub mod stats;
pub mod tags;
pub mod teamreport;
pub mod time;

pub(crate) use app::drive::{
    scan_commits, scan_paths_with, scan_stream, staged_report, CommitScan,
};
pub use app::engine::{emit, load_rules, open_repo, Engine, Tail};
pub(crate) use app::engine::{print_warnings, repo_root, rule_sources, settings_anywhere};
pub use app::run;
