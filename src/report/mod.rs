//! Reports: the only module that writes output. Reporters take finished values (a [`Report`]) and
//! never decide anything.
pub mod human;
pub mod json;
mod layout;
pub mod sarif;

use crate::coaching::Guidance;
use crate::error::ExitStatus;
use crate::finding::{Finding, Verdict};
use crate::source::{Notice, UnitError};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

/// Everything one run found and decided.
#[derive(Debug, Serialize)]
pub struct Report {
    /// What was scanned, in words: "staged change", "paths", "push to origin".
    pub source: String,
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    pub errors: Vec<UnitError>,
    pub files: usize,
    pub lines: usize,
    /// Commits scanned (push and history scans).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commits: Option<usize>,
    /// Commits over the `max-commits` bound, not scanned (push and history scans).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commits_skipped: Option<usize>,
    pub verdict: Verdict,
    pub guidance: Vec<Guidance>,
    /// Every way repository config lowered protection this run (or tried to, refused by the floor).
    pub protection_lowered: Vec<crate::config::Lowered>,
    #[serde(skip)]
    pub status: ExitStatus,
}

impl Report {
    pub fn count(&self, v: Verdict) -> usize {
        self.findings.iter().filter(|f| f.verdict == v).count()
    }
}

/// Writes, treating a closed pipe (`coach scan | head`) as "stop printing", never as a failure: the
/// exit code still carries the verdict.
pub(crate) fn write_all(w: &mut dyn std::io::Write, s: &str) -> std::io::Result<()> {
    match w.write_all(s.as_bytes()).and_then(|()| w.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
