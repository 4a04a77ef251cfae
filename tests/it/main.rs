//! The whole integration suite as one test binary: every module links libgit2 and SQLite once, not
//! once per file (a clean test build was ~9 minutes of mostly linking on a 2-core machine).
#[allow(dead_code)]
mod support;

mod adoption;
mod all_clear;
mod all_clear2;
mod all_clear3;
mod architecture;
mod bad_input;
mod baseline;
mod cilog;
mod coaching_runs;
mod confidence;
mod config;
mod config_checks;
mod ecosystem;
mod eval;
mod history;
mod hooks;
mod human_report;
mod layouts;
mod ledger;
mod ledger_numbers;
mod managers;
mod matrix;
mod precommit;
mod prepush;
mod rules;
mod sarif;
mod scan;
mod side_doors;
mod tags;
mod teamreport;
mod trust;
mod untrusted_text;
