//! Repositories in the ledger: identity resolution (adopting older identities), when coach first
//! ran in each, their labels, and the fingerprints coach saw pushed.
use super::identity::{path_alias, repo_key};
use super::{Ledger, LedgerError, Result};
use git2::Repository;
use rusqlite::{params, OptionalExtension};
use std::collections::BTreeMap;

impl Ledger {
    /// The identity of `repo` (see [`super::RepoKey`]). With `write`, also remembers the root for
    /// this checkout, notes when coach first ran here, refreshes the label, and adopts what earlier
    /// runs recorded under the checkout's path hash or its remote URL (an older coach's identities,
    /// or this one's before the first commit): their events move to the root id and the earliest
    /// first-seen time is kept, so adding a remote changes nothing. Writes only what changed.
    pub fn resolve_repo(&mut self, repo: &Repository, now: i64, write: bool) -> Result<String> {
        let alias = path_alias(repo);
        let cached: Option<String> = self
            .conn
            .query_row(
                "SELECT repo FROM repo_aliases WHERE alias = ?1",
                params![alias],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let key = repo_key(repo, cached.as_deref());
        if !write {
            return Ok(key.id);
        }
        let known: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT label FROM repos WHERE repo = ?1",
                params![key.id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let up_to_date = cached.as_deref() == Some(key.id.as_str())
            && known.as_ref().is_some_and(|l| *l == key.label);
        if up_to_date {
            return Ok(key.id);
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
        tx.execute(
            "INSERT INTO repos (repo, first_seen, label) VALUES (?1, ?2, ?3)
             ON CONFLICT (repo) DO UPDATE SET label = excluded.label",
            params![key.id, now, key.label],
        )
        .map_err(sql)?;
        if key.id != key.alias {
            tx.execute(
                "INSERT INTO repo_aliases (alias, repo) VALUES (?1, ?2)
                 ON CONFLICT (alias) DO UPDATE SET repo = excluded.repo",
                params![key.alias, key.id],
            )
            .map_err(sql)?;
            let olds = [Some(key.alias.as_str()), key.label.as_deref()];
            for old in olds.into_iter().flatten() {
                let first: Option<i64> = tx
                    .query_row(
                        "SELECT first_seen FROM repos WHERE repo = ?1",
                        params![old],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(sql)?;
                let Some(first) = first else { continue };
                tx.execute(
                    "UPDATE events SET repo = ?1 WHERE repo = ?2",
                    params![key.id, old],
                )
                .map_err(sql)?;
                tx.execute(
                    "UPDATE pushed SET repo = ?1 WHERE repo = ?2",
                    params![key.id, old],
                )
                .map_err(sql)?;
                tx.execute(
                    "UPDATE repos SET first_seen = MIN(first_seen, ?2) WHERE repo = ?1",
                    params![key.id, first],
                )
                .map_err(sql)?;
                tx.execute("DELETE FROM repos WHERE repo = ?1", params![old])
                    .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)?;
        Ok(key.id)
    }

    /// Notes `repo` as seen now unless it was seen before; returns when it was first seen.
    pub fn first_seen(&mut self, repo: &str, now: i64) -> Result<i64> {
        let seen: Option<i64> = self
            .conn
            .query_row(
                "SELECT first_seen FROM repos WHERE repo = ?1",
                params![repo],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if let Some(t) = seen {
            return Ok(t);
        }
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

    /// Each repository's label (its remote URL), for reports.
    pub fn labels(&self) -> Result<BTreeMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT repo, label FROM repos WHERE label IS NOT NULL")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Remembers that coach saw these fingerprints leave the machine (or already on a remote).
    pub fn mark_pushed(&mut self, repo: &str, fingerprints: &[&str], now: i64) -> Result<()> {
        if fingerprints.is_empty() {
            return Ok(());
        }
        let path = self.path.clone();
        let sql = |source| LedgerError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        for fp in fingerprints {
            tx.execute(
                "INSERT INTO pushed (fingerprint, repo, time) VALUES (?1, ?2, ?3)
                 ON CONFLICT (fingerprint) DO NOTHING",
                params![fp, repo, now],
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    /// When coach first saw this fingerprint pushed, if it did.
    pub fn pushed_at(&self, fingerprint: &str) -> Result<Option<i64>> {
        self.conn
            .prepare_cached("SELECT time FROM pushed WHERE fingerprint = ?1")
            .and_then(|mut s| s.query_row(params![fingerprint], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }
}
