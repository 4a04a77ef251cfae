//! Repeats: the one definition, and the queries behind [`crate::finding::Repeat`].
//!
//! A **repeat** is a finding of a credential kind whose author already had an *occurrence* of the
//! same kind with a *different* secret inside the repeat window (`[ledger] repeat-window`, 30 days).
//! - Occurrences are events `blocked`, `warned` or `bypassed` (at pre-commit, pre-push, or a
//!   commit that skipped the hook), counted once per distinct fingerprint: a retried commit of
//!   the same secret is one occurrence, and is named "the same secret" instead. Allows are
//!   decisions, not slips, and `fixed` is an outcome: neither counts.
//! - Scope (`[ledger] repeat-scope`): `person` (the default) counts the author's occurrences in
//!   every repository on this machine, because the habit belongs to the person, not to the
//!   repository: a key pasted in one project is the best predictor of one pasted in the next.
//!   `repository` counts only the repository being committed to (the root-commit identity).
//! - Nothing resets it but time: the window slides, so an occurrence stops counting 30 days after
//!   it happened. A fix closes the incident (time to fix) but does not erase the occurrence.
//!
//! `coach scan`, the hooks and `coach stats` (through the count recorded with each event) all use
//! this one query.
use super::{Ledger, Result};
use crate::config::LedgerSettings;
use crate::finding::Repeat;
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

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
    pub(super) fn repeat_for(&self, fingerprint: &str, same_secret: bool) -> Repeat {
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

impl Ledger {
    /// What the ledger knows about `author` and `kind` before `now`, for any number of findings:
    /// one query per (author, kind) gives every earlier fingerprint with its latest time, and each
    /// finding's counts are then derived from it. Asking per finding re-read the whole window once
    /// per finding, which grew with every retry (#11).
    pub fn repeats(
        &self,
        author: &str,
        kind: &str,
        scope: Option<&str>,
        now: i64,
        settings: &LedgerSettings,
    ) -> Result<KindHistory> {
        let since = now - settings.repeat_window.max(settings.contact_window);
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT fingerprint, MAX(time) FROM events
                 WHERE author = ?1 AND kind = ?2 AND action IN {OCCURRENCE}
                 AND time >= ?3 AND time <= ?4 AND (?5 IS NULL OR repo = ?5)
                 GROUP BY fingerprint"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![author, kind, since, now, scope], |r| {
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
            .repeats(author, kind, None, now, settings)?
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::event::ev;
    use crate::ledger::Action;

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
}
