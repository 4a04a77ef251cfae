//! The behaviour ledger: a local SQLite file of what each hook run saw and what the person did
//! (blocked, warned, allowed with a reason, bypassed, fixed), so repeats can escalate, fixes can be
//! timed and bypasses noticed. Owns the schema and its migrations, the queries behind
//! [`crate::finding::Repeat`], the trees coach approved, and the read-only tree id of the index.
//!
//! What it stores about a secret is only the finding's keyed fingerprint (HMAC-SHA256 with the per-user
//! key from [`crate::state::fingerprint_key`]): never the value, never an unkeyed hash. Nothing leaves the
//! machine unless the user runs `coach stats --export jsonl`.
//!
//! The ledger never decides a verdict on its own: every error here is returned to the caller, which
mod event;
mod export;
mod identity;
mod repeats;
mod repos;
mod schema;
mod session;
mod store;
mod tree;

pub use event::{Action, Event, OpenBlock};
pub use export::{read_export, write_export, Export};
pub use identity::{author, repo_identity};
pub use repeats::KindHistory;
pub use schema::{Ledger, SCHEMA_VERSION};
pub use session::Session;
pub use tree::{approval, change_patch, commit_patch, index_tree, Approval};

use crate::config::LedgerSettings;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("{}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: written by a newer coach (schema {found}, this one knows {SCHEMA_VERSION})", path.display())]
    Newer { path: PathBuf, found: usize },
    #[error("no state folder (set HOME, XDG_STATE_HOME or COACH_STATE_DIR, or COACH_LEDGER)")]
    NoStateDir,
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

impl LedgerError {
    /// The line a hook prints: what failed, and that the verdict does not depend on it.
    pub fn warning(&self) -> String {
        let hint = match self {
            LedgerError::Sqlite {
                source: rusqlite::Error::SqliteFailure(e, _),
                ..
            } if matches!(
                e.code,
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
            ) =>
            {
                " (the file is damaged: `coach ledger forget` starts a new one)"
            }
            _ => "",
        };
        format!("ledger unavailable: {self}{hint}; carrying on without it (repeats are not counted and this run is not recorded)")
    }
}

type Result<T, E = LedgerError> = std::result::Result<T, E>;

/// Now, in seconds (`COACH_NOW` overrides the clock: see [`crate::time::now`]).
pub fn now() -> i64 {
    crate::time::now()
}

/// Where the ledger lives: `COACH_LEDGER`, else config `[ledger] path` (relative to the state folder),
/// else `<state dir>/ledger.sqlite`.
pub fn path(settings: &LedgerSettings) -> Result<PathBuf> {
    settings.resolved_path().ok_or(LedgerError::NoStateDir)
}

/// Deletes the ledger (and SQLite's side files). Returns the files removed. The fingerprint key is
/// kept: it is not a record of behaviour.
pub fn forget(path: &Path) -> Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        match std::fs::remove_file(&p) {
            Ok(()) => removed.push(p),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(LedgerError::Io { path: p, source }),
        }
    }
    Ok(removed)
}
