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
//! prints a warning and carries on, so a locked, corrupt or unwritable file cannot block a commit.
use crate::config::LedgerSettings;
use crate::finding::{Finding, Repeat, SuppressionKind, Verdict};
use git2::{ObjectType, Oid, Repository};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another coach process holding the lock, before giving up with a warning.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

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
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

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

/// What a person did with a finding (or a whole run, for bypasses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Blocked,
    Warned,
    AllowedInline,
    AllowedBaseline,
    /// A config allowlist (path, regex or stop word) matched.
    AllowedConfig,
    /// Policy set the verdict to allow (no suppression).
    AllowedPolicy,
    Bypassed,
    Fixed,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Blocked,
        Action::Warned,
        Action::AllowedInline,
        Action::AllowedBaseline,
        Action::AllowedConfig,
        Action::AllowedPolicy,
        Action::Bypassed,
        Action::Fixed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Blocked => "blocked",
            Action::Warned => "warned",
            Action::AllowedInline => "allowed-inline",
            Action::AllowedBaseline => "allowed-baseline",
            Action::AllowedConfig => "allowed-config",
            Action::AllowedPolicy => "allowed-policy",
            Action::Bypassed => "bypassed",
            Action::Fixed => "fixed",
        }
    }

    fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn is_allow(self) -> bool {
        matches!(
            self,
            Action::AllowedInline
                | Action::AllowedBaseline
                | Action::AllowedConfig
                | Action::AllowedPolicy
        )
    }

    /// The action a finding's decided verdict stands for.
    pub fn of(f: &Finding) -> Action {
        match (&f.suppression, f.verdict) {
            (Some(s), _) => match s.kind {
                SuppressionKind::Inline => Action::AllowedInline,
                SuppressionKind::Baseline => Action::AllowedBaseline,
                SuppressionKind::Config => Action::AllowedConfig,
            },
            (None, Verdict::Block) => Action::Blocked,
            (None, Verdict::Warn) => Action::Warned,
            (None, Verdict::Allow) => Action::AllowedPolicy,
        }
    }
}

/// Actions that count as an occurrence of a kind for repeats (allows with a reason are decisions,
/// not slips).
const OCCURRENCE: &str = "('blocked', 'warned', 'bypassed')";

/// Earlier occurrences of one kind by one author, in the longer of the two windows.
#[derive(Debug, Default)]
pub struct KindHistory {
    /// Each earlier fingerprint and the latest time it occurred.
    latest: HashMap<String, i64>,
    /// Latest occurrence recorded without a fingerprint.
    unnamed_last: Option<i64>,
    /// Start of the (shorter) repeat window, and how many fingerprints occurred inside it.
    short_since: i64,
    short_total: usize,
    /// The two most recent fingerprints, newest first.
    top: Vec<(i64, String)>,
}

impl KindHistory {
    /// Distinct *other* secrets of the kind in each window, when last, and `same_secret`.
    fn repeat_for(&self, fingerprint: &str, same_secret: bool) -> Repeat {
        let own = self.latest.get(fingerprint);
        let count = self.short_total - usize::from(own.is_some_and(|&t| t >= self.short_since));
        let long_count = self.latest.len() - usize::from(own.is_some());
        let last_other = self
            .top
            .iter()
            .find(|(_, f)| f != fingerprint)
            .map(|(t, _)| *t);
        let last = last_other.max(self.unnamed_last);
        let n = |c: usize| u32::try_from(c).unwrap_or(u32::MAX);
        Repeat {
            count: n(count),
            last,
            same_secret,
            long_count: n(long_count),
        }
    }
}

/// One row of the ledger. Exported as-is by `coach stats --export jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Seconds since the Unix epoch.
    pub time: i64,
    /// The `origin` URL without credentials, else `path-sha256:<hash of the repository path>`.
    pub repo: String,
    pub author: String,
    /// `pre-commit`, `pre-push`...
    pub stage: String,
    pub rule_id: Option<String>,
    pub kind: Option<String>,
    pub exposure: Option<String>,
    pub verdict: Option<String>,
    pub action: Action,
    /// The finding's keyed fingerprint.
    pub fingerprint: Option<String>,
    pub role: Option<String>,
    /// Why: an allow's reason, or how a bypass happened.
    pub reason: Option<String>,
    /// Seconds from the first block to the fix (`fixed` only).
    pub duration: Option<i64>,
    /// The commit a pre-push bypass was found in.
    pub commit: Option<String>,
    /// Earlier occurrences of the kind by the author inside the repeat window, when it was recorded.
    pub repeat: u32,
}

impl Event {
    /// A finding's event, with its decided verdict.
    pub fn of(f: &Finding, repo: &str, author: &str, stage: &str, time: i64) -> Event {
        Event {
            time,
            repo: repo.to_owned(),
            author: author.to_owned(),
            stage: stage.to_owned(),
            rule_id: Some(f.rule_id.clone()),
            kind: Some(f.kind.clone()),
            exposure: Some(f.exposure.as_str().to_owned()),
            verdict: Some(f.verdict.as_str().to_owned()),
            action: Action::of(f),
            fingerprint: Some(f.fingerprint.clone()),
            role: f.role.clone(),
            reason: f.suppression.as_ref().map(|s| s.reason.clone()),
            duration: None,
            commit: f.commit.as_ref().map(|c| c.id.clone()),
            repeat: f.repeat.as_ref().map_or(0, |r| r.count),
        }
    }

    /// A run-level event with no finding (a skipped scan).
    pub fn run(action: Action, repo: &str, author: &str, stage: &str, time: i64) -> Event {
        Event {
            time,
            repo: repo.to_owned(),
            author: author.to_owned(),
            stage: stage.to_owned(),
            rule_id: None,
            kind: None,
            exposure: None,
            verdict: None,
            action,
            fingerprint: None,
            role: None,
            reason: None,
            duration: None,
            commit: None,
            repeat: 0,
        }
    }
}

/// A block not yet followed by a fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenBlock {
    pub fingerprint: String,
    pub rule_id: Option<String>,
    pub kind: Option<String>,
    pub role: Option<String>,
    /// When it was first blocked (after the last fix of the same fingerprint).
    pub since: i64,
}

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

pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

impl Ledger {
    /// Opens (creating if needed) and migrates the ledger at `path`.
    pub fn open(path: &Path) -> Result<Ledger> {
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
        // WAL: readers never wait for a writer, and a crash mid-write leaves the last commit intact.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(sql)?;
        let _ = mode;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        let mut ledger = Ledger {
            conn,
            path: path.to_path_buf(),
        };
        ledger.migrate()?;
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

    fn err(&self, source: rusqlite::Error) -> LedgerError {
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

    /// Appends events in one transaction.
    pub fn insert(&mut self, events: &[Event]) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let path = self.path.clone();
        let sql = |source| LedgerError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO events (time, repo, author, stage, rule_id, kind, exposure, verdict,
                     action, fingerprint, role, reason, duration, commit_id, repeat)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                )
                .map_err(sql)?;
            for e in events {
                stmt.execute(params![
                    e.time,
                    e.repo,
                    e.author,
                    e.stage,
                    e.rule_id,
                    e.kind,
                    e.exposure,
                    e.verdict,
                    e.action.as_str(),
                    e.fingerprint,
                    e.role,
                    e.reason,
                    e.duration,
                    e.commit,
                    e.repeat,
                ])
                .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// What the ledger knows about `author` and `kind` before `now`, for any number of findings:
    /// one query per (author, kind) gives every earlier fingerprint with its latest time, and each
    /// finding's counts are then derived from it. Asking per finding re-read the whole window once
    /// per finding, which grew with every retry (#11).
    pub fn repeats(
        &self,
        author: &str,
        kind: &str,
        now: i64,
        settings: &LedgerSettings,
    ) -> Result<KindHistory> {
        let since = now - settings.repeat_window.max(settings.contact_window);
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT fingerprint, MAX(time) FROM events
                 WHERE author = ?1 AND kind = ?2 AND action IN {OCCURRENCE}
                 AND time >= ?3 AND time <= ?4
                 GROUP BY fingerprint"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![author, kind, since, now], |r| {
                Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?))
            })
            .map_err(|e| self.err(e))?;
        let mut h = KindHistory {
            short_since: now - settings.repeat_window,
            ..KindHistory::default()
        };
        for row in rows {
            let (fp, time) = row.map_err(|e| self.err(e))?;
            match fp {
                Some(fp) => {
                    h.latest.insert(fp, time);
                }
                // Rows without a fingerprint count towards "when last", never towards the counts.
                None => h.unnamed_last = Some(time),
            }
        }
        h.short_total = h.latest.values().filter(|&&t| t >= h.short_since).count();
        // The two most recent fingerprints: "when last, other than this one" in constant time.
        let mut top: Vec<(i64, &String)> = h.latest.iter().map(|(f, &t)| (t, f)).collect();
        top.sort_unstable_by(|a, b| b.cmp(a));
        h.top = top
            .into_iter()
            .take(2)
            .map(|(t, f)| (t, f.clone()))
            .collect();
        Ok(h)
    }

    /// [`Ledger::repeats`] for one finding: distinct *other* secrets of the kind in each window (a
    /// retried commit of the same secret is one occurrence, not several), when last, and whether
    /// this fingerprint was blocked before.
    pub fn repeat(
        &self,
        author: &str,
        kind: &str,
        fingerprint: &str,
        now: i64,
        settings: &LedgerSettings,
    ) -> Result<Repeat> {
        let same_secret = self.blocked_before(fingerprint, now)?;
        Ok(self
            .repeats(author, kind, now, settings)?
            .repeat_for(fingerprint, same_secret))
    }

    /// Whether `fingerprint` was blocked at or before `now`.
    pub fn blocked_before(&self, fingerprint: &str, now: i64) -> Result<bool> {
        self.conn
            .prepare_cached(
                "SELECT 1 FROM events WHERE fingerprint = ?1 AND action = 'blocked' AND time <= ?2 LIMIT 1",
            )
            .and_then(|mut s| s.query_row(params![fingerprint, now], |_| Ok(())).optional())
            .map(|r| r.is_some())
            .map_err(|e| self.err(e))
    }

    /// Blocks by `author` in `repo` that no later `fixed` event closed, one per fingerprint.
    pub fn open_blocks(&self, repo: &str, author: &str) -> Result<Vec<OpenBlock>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT b.fingerprint, MIN(b.time), MIN(b.rule_id), MIN(b.kind), MIN(b.role)
                 FROM events b
                 WHERE b.action = 'blocked' AND b.repo = ?1 AND b.author = ?2
                   AND b.fingerprint IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM events f WHERE f.action = 'fixed'
                       AND f.repo = b.repo AND f.author = b.author
                       AND f.fingerprint = b.fingerprint AND f.id > b.id)
                 GROUP BY b.fingerprint ORDER BY MIN(b.time), b.fingerprint",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![repo, author], |r| {
                Ok(OpenBlock {
                    fingerprint: r.get(0)?,
                    since: r.get(1)?,
                    rule_id: r.get(2)?,
                    kind: r.get(3)?,
                    role: r.get(4)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Whether an allow of this fingerprint was already recorded in `repo` (a new inline allow is
    /// recorded once, not on every later scan of the same change).
    pub fn allow_recorded(&self, repo: &str, fingerprint: &str, action: Action) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM events WHERE repo = ?1 AND fingerprint = ?2 AND action = ?3 LIMIT 1",
                params![repo, fingerprint, action.as_str()],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| self.err(e))
    }

    /// Records a tree the pre-commit hook let through.
    pub fn approve_tree(&mut self, tree: Oid, time: i64) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO approved_trees (tree, time) VALUES (?1, ?2)
                 ON CONFLICT (tree) DO UPDATE SET time = excluded.time",
                params![tree.to_string(), time],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    pub fn is_approved(&self, tree: Oid) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM approved_trees WHERE tree = ?1",
                params![tree.to_string()],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| self.err(e))
    }

    /// Notes `repo` as seen now unless it was seen before; returns when it was first seen.
    pub fn first_seen(&mut self, repo: &str, now: i64) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO repos (repo, first_seen) VALUES (?1, ?2) ON CONFLICT (repo) DO NOTHING",
                params![repo, now],
            )
            .map_err(|e| self.err(e))?;
        self.conn
            .query_row(
                "SELECT first_seen FROM repos WHERE repo = ?1",
                params![repo],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Whether a bypass was already recorded for this commit (a commit pushed twice is one bypass).
    pub fn bypass_recorded(&self, commit: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM events WHERE action = 'bypassed' AND commit_id = ?1 LIMIT 1",
                params![commit],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| self.err(e))
    }

    /// All events at or after `since`, oldest first.
    pub fn events(&self, since: Option<i64>) -> Result<Vec<Event>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT time, repo, author, stage, rule_id, kind, exposure, verdict, action,
                        fingerprint, role, reason, duration, commit_id, repeat
                 FROM events WHERE time >= ?1 ORDER BY time, id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![since.unwrap_or(i64::MIN)], |r| {
                let action: String = r.get(8)?;
                Ok(Event {
                    time: r.get(0)?,
                    repo: r.get(1)?,
                    author: r.get(2)?,
                    stage: r.get(3)?,
                    rule_id: r.get(4)?,
                    kind: r.get(5)?,
                    exposure: r.get(6)?,
                    verdict: r.get(7)?,
                    action: Action::parse(&action).ok_or_else(|| {
                        rusqlite::Error::FromSqlConversionFailure(
                            8,
                            rusqlite::types::Type::Text,
                            format!("unknown action {action:?}").into(),
                        )
                    })?,
                    fingerprint: r.get(9)?,
                    role: r.get(10)?,
                    reason: r.get(11)?,
                    duration: r.get(12)?,
                    commit: r.get(13)?,
                    repeat: r.get(14)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}

/// The repository's identity in the ledger: the `origin` URL with any credentials removed (a URL
/// like `https://user:token@host/x` must not put a token in the ledger), else a SHA-256 of the
/// repository's path (a path is not a secret; the hash only keeps the ledger free of home folders).
pub fn repo_identity(repo: &Repository) -> String {
    if let Some(url) = repo
        .find_remote("origin")
        .ok()
        .and_then(|r| r.url().map(str::to_owned))
    {
        return crate::escape::strip_credentials(&url);
    }
    let path = repo.workdir().unwrap_or_else(|| repo.path());
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    use sha2::Digest;
    let digest = sha2::Sha256::digest(canonical.to_string_lossy().as_bytes());
    format!("path-sha256:{}", hex::encode(&digest[..16]))
}

/// The author of the commit being made: `GIT_AUTHOR_EMAIL` (git exports it to hooks, so `--author`
/// and per-command identities count), else `user.email`, else "unknown".
pub fn author(repo: &Repository) -> String {
    std::env::var("GIT_AUTHOR_EMAIL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            repo.config()
                .ok()
                .and_then(|c| c.get_string("user.email").ok())
        })
        .map_or_else(|| "unknown".to_owned(), |s| s.trim().to_owned())
}

/// The id of the tree `git write-tree` would write for `index`, computed without writing anything:
/// each tree's canonical bytes are hashed in memory (`git2::Index::write_tree_to` would add objects to
/// the repository, and coach never writes). Errors on unmerged entries, which cannot be committed.
/// Intent-to-add entries are left out, as Git does.
pub fn index_tree(index: &git2::Index) -> Result<Oid> {
    /// A folder being built: names to blobs (mode, id) or subfolders.
    #[derive(Default)]
    struct Dir(BTreeMap<Vec<u8>, Node>);
    enum Node {
        Blob(u32, Oid),
        Tree(Dir),
    }
    const INTENT_TO_ADD: u16 = 1 << 13;
    let mut root = Dir::default();
    for e in index.iter() {
        if (e.flags >> 12) & 0x3 != 0 {
            return Err(git2::Error::from_str("the index has unmerged entries").into());
        }
        if e.flags_extended & INTENT_TO_ADD != 0 {
            continue;
        }
        let mut parts: Vec<&[u8]> = e.path.split(|&b| b == b'/').collect();
        let Some(name) = parts.pop() else { continue };
        let mut dir = &mut root;
        for p in parts {
            let node = dir
                .0
                .entry(p.to_vec())
                .or_insert_with(|| Node::Tree(Dir::default()));
            dir = match node {
                Node::Tree(d) => d,
                Node::Blob(..) => {
                    return Err(git2::Error::from_str("index entry is both file and folder").into())
                }
            };
        }
        dir.0.insert(name.to_vec(), Node::Blob(e.mode, e.id));
    }
    fn hash(dir: &Dir) -> Result<Oid, git2::Error> {
        // Git sorts a tree's entries by name, comparing a folder's name as if it ended in '/'.
        let mut entries: Vec<(Vec<u8>, String, Oid)> = Vec::with_capacity(dir.0.len());
        for (name, node) in &dir.0 {
            let (key, mode, id) = match node {
                Node::Blob(mode, id) => (name.clone(), format!("{mode:o}"), *id),
                Node::Tree(d) => {
                    let mut k = name.clone();
                    k.push(b'/');
                    (k, "40000".to_owned(), hash(d)?)
                }
            };
            entries.push((key, mode, id));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut buf = Vec::new();
        for (key, mode, id) in entries {
            let name = key.strip_suffix(b"/").unwrap_or(&key);
            buf.extend_from_slice(mode.as_bytes());
            buf.push(b' ');
            buf.extend_from_slice(name);
            buf.push(0);
            buf.extend_from_slice(id.as_bytes());
        }
        Oid::hash_object(ObjectType::Tree, &buf)
    }
    Ok(hash(&root)?)
}

/// One hook run's view of the ledger: the open file, who is committing, where, at which stage.
pub struct Session {
    pub ledger: Ledger,
    pub repo: String,
    pub author: String,
    pub stage: String,
    pub settings: LedgerSettings,
    pub now: i64,
}

impl Session {
    /// Opens the ledger for a run in `repo`. `Ok(None)` when the ledger is disabled in config.
    pub fn open(repo: &Repository, settings: &LedgerSettings, stage: &str) -> Result<Option<Self>> {
        if !settings.enabled {
            return Ok(None);
        }
        let mut ledger = Ledger::open(&path(settings)?)?;
        let id = repo_identity(repo);
        let now = now();
        ledger.first_seen(&id, now)?;
        Ok(Some(Session {
            ledger,
            repo: id,
            author: author(repo),
            stage: stage.to_owned(),
            settings: settings.clone(),
            now,
        }))
    }

    /// Fills `Finding::repeat` for every finding whose author has history with its kind.
    pub fn fill_repeats(&self, findings: &mut [Finding]) -> Result<()> {
        let mut kinds: HashMap<(String, String), KindHistory> = HashMap::new();
        let mut blocked: HashMap<String, bool> = HashMap::new();
        for f in findings {
            let author = f
                .commit
                .as_ref()
                .map_or(self.author.as_str(), |c| c.email.as_str());
            let key = (author.to_owned(), f.kind.clone());
            let h = match kinds.entry(key) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(
                        self.ledger
                            .repeats(author, &f.kind, self.now, &self.settings)?,
                    )
                }
            };
            let same_secret = match blocked.get(&f.fingerprint) {
                Some(&b) => b,
                None => {
                    let b = self.ledger.blocked_before(&f.fingerprint, self.now)?;
                    blocked.insert(f.fingerprint.clone(), b);
                    b
                }
            };
            let r = h.repeat_for(&f.fingerprint, same_secret);
            if r.count > 0 || r.long_count > 0 || r.same_secret {
                f.repeat = Some(r);
            }
        }
        Ok(())
    }

    fn event(&self, f: &Finding) -> Event {
        let mut e = Event::of(f, &self.repo, &self.author, &self.stage, self.now);
        if let Some(c) = &f.commit {
            e.author.clone_from(&c.email);
        }
        e
    }

    /// Records one pre-commit run. `passed` is true when the commit goes ahead (no block, no error):
    /// then incidents whose fingerprint is no longer staged are closed as fixed, and `tree` (the index's
    /// tree id) is remembered as approved for the pre-push bypass check.
    pub fn record_pre_commit(
        &mut self,
        findings: &[Finding],
        passed: bool,
        tree: Option<Oid>,
    ) -> Result<()> {
        let mut events = Vec::new();
        for f in findings {
            let e = self.event(f);
            if e.action.is_allow()
                && self
                    .ledger
                    .allow_recorded(&self.repo, &f.fingerprint, e.action)?
            {
                continue;
            }
            events.push(e);
        }
        if passed {
            let staged: HashSet<&str> = findings.iter().map(|f| f.fingerprint.as_str()).collect();
            for open in self.ledger.open_blocks(&self.repo, &self.author)? {
                if staged.contains(open.fingerprint.as_str()) {
                    continue;
                }
                let mut e = Event::run(
                    Action::Fixed,
                    &self.repo,
                    &self.author,
                    &self.stage,
                    self.now,
                );
                e.rule_id = open.rule_id;
                e.kind = open.kind;
                e.role = open.role;
                e.exposure = Some("staged".to_owned());
                e.fingerprint = Some(open.fingerprint);
                e.duration = Some((self.now - open.since).max(0));
                events.push(e);
            }
        }
        self.ledger.insert(&events)?;
        if let (true, Some(tree)) = (passed, tree) {
            self.ledger.approve_tree(tree, self.now)?;
        }
        Ok(())
    }

    /// Records a skipped scan (`COACH_SKIP`).
    pub fn record_skip(&mut self, reason: &str) -> Result<()> {
        let mut e = Event::run(
            Action::Bypassed,
            &self.repo,
            &self.author,
            &self.stage,
            self.now,
        );
        e.reason = Some(reason.to_owned());
        self.ledger.insert(&[e])
    }

    /// The pre-push side of bypass detection: of `commits` (being pushed), the non-merge ones whose
    /// tree no pre-commit run approved. A `--no-verify` commit, one made where the hook is missing, and
    /// a rebased or cherry-picked commit (Git runs no pre-commit for those) all land here; merges are
    /// skipped because Git runs pre-merge-commit, not pre-commit, for them, and so are commits made
    /// before coach first ran in this repository (adopting coach in an old repository is not a
    /// bypass; the commit time is the committer's clock).
    pub fn unchecked_commits(&mut self, repo: &Repository, commits: &[Oid]) -> Result<Vec<Oid>> {
        let since = self.ledger.first_seen(&self.repo, self.now)?;
        let mut out = Vec::new();
        for &id in commits {
            let commit = repo.find_commit(id)?;
            if commit.parent_count() > 1 || commit.committer().when().seconds() < since {
                continue;
            }
            if !self.ledger.is_approved(commit.tree_id())? {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// The pre-push side in one call: records the push scan's findings, finds the commits among
    /// `commits` that no pre-commit approved, records each once as a bypass, and returns one notice per
    /// unchecked commit for the report (they were scanned now, with everything else being pushed).
    pub fn record_push(
        &mut self,
        repo: &Repository,
        commits: &[Oid],
        findings: &[Finding],
    ) -> Result<Vec<crate::source::Notice>> {
        let unchecked = self.unchecked_commits(repo, commits)?;
        let unchecked_ids: HashSet<String> = unchecked.iter().map(Oid::to_string).collect();
        let in_unchecked = |f: &Finding| {
            f.commit
                .as_ref()
                .is_some_and(|c| unchecked_ids.contains(&c.id))
        };
        let mut events = Vec::new();
        for f in findings.iter().filter(|f| !in_unchecked(f)) {
            let e = self.event(f);
            if e.action.is_allow()
                && self
                    .ledger
                    .allow_recorded(&self.repo, &f.fingerprint, e.action)?
            {
                continue;
            }
            events.push(e);
        }
        self.ledger.insert(&events)?;
        self.record_bypasses(repo, &unchecked, findings)?;
        // Name a few; a long rebase would otherwise fill the screen.
        const SHOWN: usize = 10;
        let mut notices: Vec<crate::source::Notice> = unchecked
            .iter()
            .take(SHOWN)
            .map(|id| crate::source::Notice {
                path: "unchecked commit".into(),
                commit: Some(id.to_string()),
                reason: "coach did not check it at commit time (--no-verify, no hook, or a rebase); scanned now and recorded as a bypass".into(),
            })
            .collect();
        if unchecked.len() > SHOWN {
            notices.push(crate::source::Notice {
                path: "unchecked commits".into(),
                commit: None,
                reason: format!(
                    "{} more not checked at commit time; all scanned now and recorded",
                    unchecked.len() - SHOWN
                ),
            });
        }
        Ok(notices)
    }

    /// Records each unchecked commit once as `bypassed`, plus the findings a push scan made in it.
    pub fn record_bypasses(
        &mut self,
        repo: &Repository,
        unchecked: &[Oid],
        findings: &[Finding],
    ) -> Result<()> {
        let mut by_commit: HashMap<&str, Vec<&Finding>> = HashMap::new();
        for f in findings {
            if let Some(c) = &f.commit {
                by_commit.entry(c.id.as_str()).or_default().push(f);
            }
        }
        let mut events = Vec::new();
        for id in unchecked {
            let sid = id.to_string();
            if self.ledger.bypass_recorded(&sid)? {
                continue;
            }
            let author = repo
                .find_commit(*id)
                .ok()
                .and_then(|c| c.author().email().map(str::to_owned))
                .unwrap_or_else(|| self.author.clone());
            let mut e = Event::run(Action::Bypassed, &self.repo, &author, &self.stage, self.now);
            e.reason =
                Some("commit not checked at pre-commit (--no-verify, no hook, or a rebase)".into());
            e.commit = Some(sid.clone());
            events.push(e);
            for f in by_commit.get(sid.as_str()).into_iter().flatten() {
                let mut e = self.event(f);
                e.action = Action::Bypassed;
                events.push(e);
            }
        }
        self.ledger.insert(&events)
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

    fn ev(time: i64, author: &str, kind: &str, fp: &str, action: Action) -> Event {
        let mut e = Event::run(action, "r", author, "pre-commit", time);
        e.kind = Some(kind.into());
        e.fingerprint = Some(fp.into());
        e
    }

    #[test]
    fn repeats_count_distinct_secrets_per_author_and_window() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        let day = 86_400;
        let s = LedgerSettings::default();
        l.insert(&[
            ev(100 * day, "a@x", "k", "f1", Action::Blocked),
            ev(100 * day + 5, "a@x", "k", "f1", Action::Blocked),
            ev(50 * day, "a@x", "k", "f0", Action::Warned),
            ev(100 * day, "b@x", "k", "f9", Action::Warned),
            ev(100 * day, "a@x", "other", "f8", Action::Warned),
            ev(100 * day, "a@x", "k", "f7", Action::AllowedInline),
        ])
        .unwrap();
        let r = l.repeat("a@x", "k", "f2", 101 * day, &s).unwrap();
        assert_eq!((r.count, r.long_count, r.same_secret), (1, 2, false));
        assert_eq!(r.last, Some(100 * day + 5));
        let r = l.repeat("a@x", "k", "f1", 101 * day, &s).unwrap();
        assert!(r.same_secret);
        assert_eq!(
            (r.count, r.long_count),
            (0, 1),
            "a secret is not its own repeat"
        );
        let r = l.repeat("c@x", "k", "f2", 101 * day, &s).unwrap();
        assert_eq!(r, Repeat::default());
        let r = l.repeat("a@x", "k", "f2", 200 * day, &s).unwrap();
        assert_eq!((r.count, r.long_count), (0, 0));
    }

    #[test]
    fn concurrent_writers_on_a_new_file_lose_nothing() {
        // Separate connections contend for the same file's locks, as separate hook processes do; the
        // first ones also race to create the schema.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.sqlite");
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let p = p.clone();
                std::thread::spawn(move || {
                    for i in 0..100 {
                        let mut l = Ledger::open(&p).unwrap();
                        l.insert(&[ev(i, &format!("a{t}"), "k", "f", Action::Warned)])
                            .unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(Ledger::open(&p).unwrap().events(None).unwrap().len(), 400);
    }

    #[test]
    fn a_fix_closes_only_earlier_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        l.insert(&[
            ev(10, "a", "k", "f1", Action::Blocked),
            ev(20, "a", "k", "f2", Action::Blocked),
        ])
        .unwrap();
        assert_eq!(l.open_blocks("r", "a").unwrap().len(), 2);
        l.insert(&[ev(30, "a", "k", "f1", Action::Fixed)]).unwrap();
        let open = l.open_blocks("r", "a").unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!((open[0].fingerprint.as_str(), open[0].since), ("f2", 20));
        l.insert(&[ev(40, "a", "k", "f1", Action::Blocked)])
            .unwrap();
        assert_eq!(l.open_blocks("r", "a").unwrap()[0].fingerprint, "f2");
        assert_eq!(l.open_blocks("r", "a").unwrap()[1].since, 40);
        assert!(l.open_blocks("r", "someone-else").unwrap().is_empty());
    }
}
