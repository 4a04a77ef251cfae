//! The whole integration suite as one test binary: every module links libgit2 and SQLite once, not
//! once per file (a clean test build was ~9 minutes of mostly linking on a 2-core machine).
#[allow(dead_code)]
mod support;

mod all_clear;
mod all_clear3;
mod bad_input;
mod baseline;
mod config;
mod ecosystem;
mod history;
mod hooks;
mod ledger;
mod precommit;
mod prepush;
mod rules;
mod sarif;
mod scan;
mod trust;
mod untrusted_text;
