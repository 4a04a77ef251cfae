//! coach: a Git hook that stops credentials from leaking and coaches the fix.
//!
//! Data flow (docs/ARCHITECTURE.md): `cli` → `app::commands::*` → `app::engine` (settings, rules,
//! key, baseline) → `source::*` → `ScanUnit`s → `scan::Scanner` (prefilter → regex →
//! `rules::validate`) → `Finding`s (redacted) → `decide` (suppress, policy) → dedup → `coaching` →
//! `report::*` → `ExitStatus`. This file only names the modules and the small public API.
#![allow(clippy::print_stderr)]

mod app;
mod baseline;
pub mod cli;
mod coaching;
mod config;
mod decide;
pub mod error;
mod escape;
mod finding;
mod hooks;
mod ledger;
mod repofile;
mod report;
mod rules;
mod scan;
mod source;
mod state;
mod stats;
mod tags;
mod teamreport;
mod time;

pub(crate) use app::drive::{scan_commits, scan_paths_with, scan_stream, CommitScan};
pub use app::engine::{emit, load_rules, open_repo, Engine, Tail};
pub(crate) use app::engine::{print_warnings, repo_root, rule_sources, settings_anywhere};
pub use app::run;

/// What benches, fuzz targets and integration tests reach inside the library. Not a stable API:
/// everything else is private to the crate, so rustc reports what nothing uses.
#[doc(hidden)]
pub mod api {
    pub use crate::app::commands::rules::check as check_rules;
    pub use crate::config::{parse as parse_config, LedgerSettings};
    pub use crate::escape::{quoted, terminal, terminal_lines};
    pub use crate::finding::{Category, Exposure, FingerprintKey, Lifetime, Verdict};
    pub use crate::ledger::{approval, change_patch, commit_patch, index_tree, Action, Session};
    pub use crate::rules::spec::RuleFile;
    pub use crate::rules::validate::checksum::github_check;
    pub use crate::rules::{RuleSet, RuleSource};
    pub use crate::scan::prefilter::Prefilter;
    pub use crate::scan::Scanner;
    pub use crate::source::gitdiff::diff_buffers;
    pub use crate::source::push::parse as parse_push;
    pub use crate::source::staged::{collect as staged_collect, scan as staged_scan};
    pub use crate::source::{
        decode_utf16, looks_binary, text_region, whole_file_region, Limits, ScanUnit,
    };
    pub use crate::tags::for_kind as tags_for_kind;
}
