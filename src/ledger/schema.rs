//! The file: schema migrations, opening, and the errors of SQLite as ledger errors.
use super::{LedgerError, Result};
use rusqlite::config::DbConfig;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another coach process holding the lock, before giving up with a warning.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether SQLite said another connection holds the lock.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Migrations, in order; `PRAGMA user_version` is the number applied. Append, never edit.
const MIGRATIONS: &[&str] = &[
    // 1: events and approved trees.
    "CREATE TABLE events (
        id          INTEGER PRIMARY KEY,
        time        INTEGER NOT NULL,
        repo        TEXT NOT NULL,
        author      TEXT NOT NULL,
        stage       TEXT NOT NULL,
        rule_id     TEXT,
        kind        TEXT,
        exposure    TEXT,
        verdict     TEXT,
        action      TEXT NOT NULL,
        fingerprint TEXT,
        role        TEXT,
        reason      TEXT,
        duration    INTEGER,
        commit_id   TEXT,
        repeat      INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX events_author_kind ON events (author, kind, time);
    CREATE INDEX events_fingerprint ON events (fingerprint);
    CREATE INDEX events_time ON events (time);
    CREATE TABLE approved_trees (
        tree TEXT PRIMARY KEY,
        time INTEGER NOT NULL
    );",
    // 2: when coach first ran in each repository, so history from before it was adopted is not
    // reported as bypassed on the first push.
    "CREATE TABLE repos (
        repo       TEXT PRIMARY KEY,
        first_seen INTEGER NOT NULL
    );",
    // 3: repositories known by their root commit (`root:<id>`), the remote URL only a label; the
    // path hash each checkout was known by, so older events are adopted (see `identity`); patches
    // approved at pre-commit, so a rebase or cherry-pick replaying them is not a bypass; and the
    // fingerprints coach saw pushed, so an exposure is never described as less than it was.
    "ALTER TABLE repos ADD COLUMN label TEXT;
    CREATE TABLE repo_aliases (
        alias TEXT PRIMARY KEY,
        repo  TEXT NOT NULL
    );
    CREATE TABLE approved_patches (
        patch TEXT PRIMARY KEY,
        time  INTEGER NOT NULL
    );
    CREATE TABLE pushed (
        fingerprint TEXT PRIMARY KEY,
        repo        TEXT NOT NULL,
        time        INTEGER NOT NULL
    );
    CREATE INDEX events_commit ON events (commit_id);
    CREATE INDEX events_repo ON events (repo);",
    // 4: changes a pre-commit approved whose patch id is not computed yet: the tree before (empty
    // for a first commit) and the tree approved, per repository. The patch id is computed at push
    // time, only once a pushed commit's tree was not approved (a rebase or cherry-pick); computing
    // it at every pre-commit was a third of a clean commit's hook run (#15).
    "CREATE TABLE approved_changes (
        repo TEXT NOT NULL,
        base TEXT NOT NULL,
        tree TEXT NOT NULL,
        time INTEGER NOT NULL,
        PRIMARY KEY (repo, base, tree)
    );",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();
pub struct Ledger {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
}

impl Ledger {
    /// Opens (creating if needed) and migrates the ledger at `path`. Two hooks creating a new
    /// ledger at once can get SQLITE_BUSY from steps the busy handler does not cover (switching the
    /// file to WAL, recovering its index): the open is retried, within [`BUSY_TIMEOUT`].
    pub fn open(path: &Path) -> Result<Ledger> {
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            match Ledger::open_once(path) {
                Err(LedgerError::Sqlite { source, .. })
                    if is_busy(&source) && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => return other,
            }
        }
    }

    fn open_once(path: &Path) -> Result<Ledger> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::state::create_private_dir(dir).map_err(|source| LedgerError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        // SQLite would create the file 0644, and gives the WAL and SHM files the database file's
        // mode: creating it 0600 first keeps all three private.
        crate::state::create_private_file(path).map_err(|source| LedgerError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let sql = |source| LedgerError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // In WAL mode with synchronous=NORMAL a commit is not synced: a power cut may lose the last
        // run's events, never the file. The last connection to close would checkpoint the WAL into
        // the file (4 fsyncs per hook run, measured); SQLite checkpoints once the WAL reaches 1000
        // pages instead.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .map_err(sql)?;
        let mut ledger = Ledger {
            conn,
            path: path.to_path_buf(),
        };
        // A current schema is only read: no write lock, no transaction, on every hook run.
        let version = ledger.version()?;
        if version > SCHEMA_VERSION {
            return Err(LedgerError::Newer {
                path: path.to_path_buf(),
                found: version,
            });
        }
        if version < SCHEMA_VERSION {
            // WAL (kept in the file once set): readers never wait for a writer, and a crash
            // mid-write leaves the last commit intact.
            let _mode: String = ledger
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(sql)?;
            ledger.migrate()?;
        }
        Ok(ledger)
    }

    /// Opens an existing ledger for reading; `None` if there is none yet (nothing recorded).
    pub fn open_existing(path: &Path) -> Result<Option<Ledger>> {
        if !path.exists() {
            return Ok(None);
        }
        Ledger::open(path).map(Some)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn err(&self, source: rusqlite::Error) -> LedgerError {
        LedgerError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Applies the missing migrations in one immediate transaction, so two hooks opening a new ledger
    /// at once do not both create the tables.
    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let sql = |source| LedgerError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        let version = usize::try_from(version).unwrap_or(0);
        if version > SCHEMA_VERSION {
            return Err(LedgerError::Newer {
                path: path.clone(),
                found: version,
            });
        }
        for (i, m) in MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(m).map_err(sql)?;
            tx.pragma_update(None, "user_version", i + 1).map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    /// The schema version of the file.
    pub fn version(&self) -> Result<usize> {
        let v: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(usize::try_from(v).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_set_the_schema_version_and_reopen_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.sqlite");
        let l = Ledger::open(&p).unwrap();
        assert_eq!(l.version().unwrap(), SCHEMA_VERSION);
        drop(l);
        let l = Ledger::open(&p).unwrap();
        assert_eq!(l.version().unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn an_older_file_is_migrated_and_keeps_its_events() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.sqlite");
        let c = Connection::open(&p).unwrap();
        c.execute_batch(MIGRATIONS[0]).unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute(
            "INSERT INTO events (time, repo, author, stage, action) VALUES (1, 'r', 'a', 'pre-commit', 'warned')",
            [],
        )
        .unwrap();
        drop(c);
        let mut l = Ledger::open(&p).unwrap();
        assert_eq!(l.version().unwrap(), SCHEMA_VERSION);
        assert_eq!(l.events(None).unwrap().len(), 1);
        assert_eq!(l.first_seen("r", 5).unwrap(), 5);
        assert_eq!(l.first_seen("r", 9).unwrap(), 5);
    }

    #[test]
    fn a_newer_schema_is_refused_not_clobbered() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.sqlite");
        let c = Connection::open(&p).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        let err = Ledger::open(&p).err().unwrap();
        assert!(matches!(err, LedgerError::Newer { found: 99, .. }), "{err}");
    }
}
