//! Reads and writes of events, approved trees and repositories.
use super::schema::BUSY_TIMEOUT;
use super::{Action, Approval, Event, Ledger, LedgerError, OpenBlock, Result};
use git2::Oid;
use rusqlite::{params, OptionalExtension};

/// A write-ahead log longer than this is emptied by the run that wrote to it (see
/// [`Ledger::trim_wal`]): ~20 hook runs, so a run reads back at most this much.
const WAL_TRIM_BYTES: u64 = 512 << 10;

impl Ledger {
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
        tx.commit().map_err(sql)?;
        self.trim_wal();
        Ok(())
    }

    /// Every hook run is a new process, whose first read of the ledger rebuilds the WAL's index by
    /// reading every valid frame; and SQLite starts the WAL over only when the connection that
    /// checkpointed it writes again, which a run that writes once (a blocked commit) never does.
    /// So the WAL grew run after run (6.7 MB after ~300, read back by each one, and checkpointed
    /// with fsyncs on every commit once past SQLite's auto-checkpoint size, #15). Past
    /// [`WAL_TRIM_BYTES`] the writing run copies it into the file and empties it; when another
    /// process holds the ledger this waits for nothing and a later run does it.
    fn trim_wal(&self) {
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        if std::fs::metadata(&wal).map_or(true, |m| m.len() <= WAL_TRIM_BYTES) {
            return;
        }
        if self.conn.busy_timeout(std::time::Duration::ZERO).is_ok() {
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
    }

    /// Blocks by `author` in `repo` that no later `fixed` event closed, one per fingerprint.
    pub fn open_blocks(&self, repo: &str, author: &str) -> Result<Vec<OpenBlock>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                // A block is open when no `fixed` of its fingerprint came after it: after the
                // fingerprint's last fix. One pass over the repository's events; asking "is there
                // a later fix?" per block re-read them once per block, quadratic in the ledger's
                // size (200 ms for a clean commit after 1,900 blocks, #15).
                "WITH last_fix AS (
                     SELECT fingerprint, MAX(id) AS id FROM events
                     WHERE action = 'fixed' AND repo = ?1 AND author = ?2
                       AND fingerprint IS NOT NULL
                     GROUP BY fingerprint)
                 SELECT b.fingerprint, MIN(b.time), MIN(b.rule_id), MIN(b.kind), MIN(b.role)
                 FROM events b LEFT JOIN last_fix f ON f.fingerprint = b.fingerprint
                 WHERE b.action = 'blocked' AND b.repo = ?1 AND b.author = ?2
                   AND b.fingerprint IS NOT NULL AND (f.id IS NULL OR b.id > f.id)
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

    /// Records what a pre-commit in `repo` let through: the tree, and the change (its patch id is
    /// computed when a push needs it: [`Ledger::pending_changes`]).
    pub fn approve(&mut self, repo: &str, a: &Approval, time: i64) -> Result<()> {
        let path = self.path.clone();
        let sql = |source| LedgerError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT INTO approved_trees (tree, time) VALUES (?1, ?2)
             ON CONFLICT (tree) DO UPDATE SET time = excluded.time",
            params![a.tree.to_string(), time],
        )
        .map_err(sql)?;
        tx.execute(
            "INSERT INTO approved_changes (repo, base, tree, time) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (repo, base, tree) DO UPDATE SET time = excluded.time",
            params![repo, base_text(a), a.tree.to_string(), time],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        self.trim_wal();
        Ok(())
    }

    /// Approved changes in `repo` at or after `since` whose patch id is not computed yet, with
    /// their time; older ones are dropped (past Git's reflog expiry their trees may be gone).
    pub fn pending_changes(&mut self, repo: &str, since: i64) -> Result<Vec<(Approval, i64)>> {
        self.conn
            .execute(
                "DELETE FROM approved_changes WHERE repo = ?1 AND time < ?2",
                params![repo, since],
            )
            .map_err(|e| self.err(e))?;
        let mut stmt = self
            .conn
            .prepare("SELECT base, tree, time FROM approved_changes WHERE repo = ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![repo], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (base, tree, time) = row.map_err(|e| self.err(e))?;
            // A row this build did not write (it cannot parse) is skipped; it ages out.
            let (Ok(tree), Ok(base)) = (
                Oid::from_str(&tree),
                (!base.is_empty()).then(|| Oid::from_str(&base)).transpose(),
            ) else {
                continue;
            };
            out.push((Approval { tree, base }, time));
        }
        Ok(out)
    }

    /// Stores the patch id computed for a pending change (none when it has none) and drops the
    /// change from the pending ones.
    pub fn settle_change(
        &mut self,
        repo: &str,
        a: &Approval,
        patch: Option<Oid>,
        time: i64,
    ) -> Result<()> {
        let path = self.path.clone();
        let sql = |source| LedgerError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        if let Some(p) = patch {
            tx.execute(
                "INSERT INTO approved_patches (patch, time) VALUES (?1, ?2)
                 ON CONFLICT (patch) DO UPDATE SET time = excluded.time",
                params![p.to_string(), time],
            )
            .map_err(sql)?;
        }
        tx.execute(
            "DELETE FROM approved_changes WHERE repo = ?1 AND base = ?2 AND tree = ?3",
            params![repo, base_text(a), a.tree.to_string()],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Whether a pre-commit approved a change with this patch id (`git patch-id --stable`).
    pub fn is_patch_approved(&self, patch: Oid) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM approved_patches WHERE patch = ?1",
                params![patch.to_string()],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
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

/// An approved change's base tree as stored: empty for a first commit.
fn base_text(a: &Approval) -> String {
    a.base.map(|b| b.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::event::ev;

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

    /// A block stays open until a fix of its fingerprint comes after it; a block after the fix
    /// opens it again, from that block's time. Other repositories and authors do not count.
    #[test]
    fn open_blocks_are_the_blocks_after_each_fingerprints_last_fix() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        let mut other_repo = ev(1, "a", "k", "x", Action::Blocked);
        other_repo.repo = "elsewhere".into();
        l.insert(&[
            ev(10, "a", "k", "fixed-once", Action::Blocked),
            ev(11, "a", "k", "fixed-once", Action::Blocked),
            ev(12, "a", "k", "fixed-once", Action::Fixed),
            ev(20, "a", "k", "open", Action::Blocked),
            ev(21, "a", "k", "open", Action::Blocked),
            ev(30, "a", "k", "reopened", Action::Blocked),
            ev(31, "a", "k", "reopened", Action::Fixed),
            ev(32, "a", "k", "reopened", Action::Blocked),
            ev(40, "b", "k", "other-author", Action::Blocked),
            ev(41, "a", "k", "other-author", Action::Fixed),
            ev(50, "a", "k", "warned-only", Action::Warned),
            other_repo,
        ])
        .unwrap();
        let open: Vec<(String, i64)> = l
            .open_blocks("r", "a")
            .unwrap()
            .into_iter()
            .map(|b| (b.fingerprint, b.since))
            .collect();
        assert_eq!(open, [("open".to_owned(), 20), ("reopened".to_owned(), 32)]);
        assert_eq!(l.open_blocks("r", "b").unwrap().len(), 1);
    }

    /// Each run a new connection, as each hook is a new process: the WAL stays bounded.
    #[test]
    fn the_wal_is_emptied_once_it_grows() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.sqlite");
        let wal = dir.path().join("l.sqlite-wal");
        let mut largest = 0;
        for i in 0..300 {
            let mut l = Ledger::open(&p).unwrap();
            l.insert(&[ev(i, "a", "k", &format!("f{i}"), Action::Warned)])
                .unwrap();
            let tree = Oid::from_bytes(&[i as u8; 20]).unwrap();
            l.approve("r", &Approval { tree, base: None }, i).unwrap();
            largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        }
        // One run writes a few pages beyond the bound before it trims.
        assert!(largest < WAL_TRIM_BYTES + (64 << 10), "{largest}");
        assert_eq!(Ledger::open(&p).unwrap().events(None).unwrap().len(), 300);
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
