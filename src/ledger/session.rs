//! Hook workflows: one run's view of the ledger, what pre-commit and pre-push record.
//!
//! The file is opened only if it exists (to read repeats and what was pushed) and created only
//! when there is something to record, so `coach scan` and a run with nothing to remember never
//! write.
use super::{
    author, change_patch, commit_patch, now, path, Action, Approval, Event, KindHistory, Ledger,
    Result,
};
use crate::config::{LedgerSettings, RepeatScope};
use crate::finding::{Exposure, Finding};
use git2::{Oid, Repository};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// Why an unchecked commit is a bypass, as recorded.
pub const UNCHECKED_REASON: &str =
    "commit not checked at pre-commit (--no-verify, no hook, or a rebase)";

/// One hook run's view of the ledger: the file (if there is one yet), who is committing, where,
/// at which stage.
pub struct Session {
    ledger: Option<Ledger>,
    file: PathBuf,
    /// The repository's identity (see [`super::RepoKey`]).
    pub repo: String,
    /// Whether `repo` was resolved with writes (alias cached, older identities adopted).
    resolved: bool,
    pub author: String,
    pub stage: String,
    pub settings: LedgerSettings,
    pub now: i64,
    /// Files over this many bytes get no patch id (see `tree::patch_id`): `max-file-size`, which
    /// the engine sets; until then its default.
    pub max_blob: u64,
}

impl Session {
    /// A run in `repo`. `Ok(None)` when the ledger is disabled in config. Opens the file only if
    /// it exists, and writes nothing.
    pub fn open(repo: &Repository, settings: &LedgerSettings, stage: &str) -> Result<Option<Self>> {
        if !settings.enabled {
            return Ok(None);
        }
        let file = path(settings)?;
        let now = now();
        let mut ledger = Ledger::open_existing(&file)?;
        let id = match ledger.as_mut() {
            Some(l) => l.resolve_repo(repo, now, false)?,
            None => super::repo_identity(repo),
        };
        Ok(Some(Session {
            ledger,
            file,
            repo: id,
            resolved: false,
            author: author(repo),
            stage: stage.to_owned(),
            settings: settings.clone(),
            now,
            max_blob: crate::config::DEFAULT_MAX_FILE_SIZE,
        }))
    }

    /// The ledger, if the file exists.
    pub fn ledger(&self) -> Option<&Ledger> {
        self.ledger.as_ref()
    }

    /// The ledger for writing: created if needed, the repository resolved with writes once.
    fn writer(&mut self, repo: &Repository) -> Result<&mut Ledger> {
        if self.ledger.is_none() {
            self.ledger = Some(Ledger::open(&self.file)?);
        }
        let Some(l) = self.ledger.as_mut() else {
            unreachable!("opened above")
        };
        if !self.resolved {
            self.repo = l.resolve_repo(repo, self.now, true)?;
            self.resolved = true;
        }
        Ok(l)
    }

    /// Fills what the ledger knows about each finding: `Finding::repeat` (see
    /// [`Ledger::repeats`] for the one definition), and the exposure, raised to `pushed` when coach
    /// saw the same fingerprint pushed before (a branch deletion or a history rewrite does not
    /// take a secret back from a remote, so an exposure is never described as less than it was).
    pub fn fill_repeats(&self, findings: &mut [Finding]) -> Result<()> {
        let Some(ledger) = &self.ledger else {
            return Ok(());
        };
        let scope = match self.settings.repeat_scope {
            RepeatScope::Person => None,
            RepeatScope::Repository => Some(self.repo.as_str()),
        };
        let mut kinds: HashMap<(String, String), KindHistory> = HashMap::new();
        let mut blocked: HashMap<String, bool> = HashMap::new();
        for f in findings {
            if f.exposure < Exposure::Pushed && ledger.pushed_at(&f.fingerprint)?.is_some() {
                f.exposure = Exposure::Pushed;
            }
            let author = f
                .commit
                .as_ref()
                .map_or(self.author.as_str(), |c| c.email.as_str());
            let key = (author.to_owned(), f.kind.clone());
            let h = match kinds.entry(key) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(ledger.repeats(author, &f.kind, scope, self.now, &self.settings)?)
                }
            };
            let same_secret = match blocked.get(&f.fingerprint) {
                Some(&b) => b,
                None => {
                    let b = ledger.blocked_before(&f.fingerprint, self.now)?;
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

    /// The findings' events, leaving out allows already recorded (a new inline allow is recorded
    /// once, not on every later scan of the same change).
    fn finding_events<'a>(
        &self,
        findings: impl Iterator<Item = &'a Finding>,
    ) -> Result<Vec<Event>> {
        let mut events = Vec::new();
        for f in findings {
            let e = self.event(f);
            if e.action.is_allow()
                && self.ledger.as_ref().map_or(Ok(false), |l| {
                    l.allow_recorded(&self.repo, &f.fingerprint, e.action)
                })?
            {
                continue;
            }
            events.push(e);
        }
        Ok(events)
    }

    /// Records one pre-commit run. `approved` is given when the commit goes ahead (no block, no
    /// error): then incidents whose fingerprint is no longer staged are closed as fixed, and the
    /// tree and patch are remembered as approved for the pre-push bypass check.
    pub fn record_pre_commit(
        &mut self,
        repo: &Repository,
        findings: &[Finding],
        approved: Option<Approval>,
    ) -> Result<()> {
        let mut events = self.finding_events(findings.iter())?;
        if approved.is_some() {
            let staged: HashSet<&str> = findings.iter().map(|f| f.fingerprint.as_str()).collect();
            let open = match &self.ledger {
                Some(l) => l.open_blocks(&self.repo, &self.author)?,
                None => Vec::new(),
            };
            for open in open {
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
        if events.is_empty() && approved.is_none() {
            return Ok(());
        }
        // The identity resolved with writes is the one read above (same root, same alias).
        let (id, now) = (self.repo.clone(), self.now);
        let l = self.writer(repo)?;
        l.insert(&events)?;
        if let Some(a) = approved {
            l.approve(&id, &a, now)?;
        }
        Ok(())
    }

    /// Records a skipped scan (`COACH_SKIP`).
    pub fn record_skip(&mut self, repo: &Repository, reason: &str) -> Result<()> {
        let mut e = Event::run(
            Action::Bypassed,
            &self.repo,
            &self.author,
            &self.stage,
            self.now,
        );
        e.reason = Some(reason.to_owned());
        self.writer(repo)?.insert(&[e])
    }

    /// The pre-push side of bypass detection: of `commits` (being pushed), the non-merge ones
    /// that no pre-commit approved, by tree or by patch. A `--no-verify` commit and one made where
    /// the hook is missing land here. A rebased or cherry-picked commit (Git runs no pre-commit for
    /// those) does only when its change was never approved: a replay of an approved change onto
    /// another base has the same patch id (`git patch-id --stable`). Merges are skipped because
    /// Git runs pre-merge-commit, not pre-commit, for them, and so are commits made before coach
    /// first ran in this repository (adopting coach in an old repository is not a bypass; the
    /// commit time is the committer's clock).
    pub fn unchecked_commits(&mut self, repo: &Repository, commits: &[Oid]) -> Result<Vec<Oid>> {
        let (id, now, max_blob) = (self.repo.clone(), self.now, self.max_blob);
        let l = self.writer(repo)?;
        let since = l.first_seen(&id, now)?;
        // (commit, its patch id) for each commit whose tree no pre-commit approved, in order.
        let mut waiting: Vec<(Oid, Option<Oid>)> = Vec::new();
        for &c in commits {
            let commit = repo.find_commit(c)?;
            if commit.parent_count() > 1 || commit.committer().when().seconds() < since {
                continue;
            }
            if l.is_approved(commit.tree_id())? {
                continue;
            }
            let patch = commit_patch(repo, &commit, max_blob)?;
            if let Some(p) = patch {
                if l.is_patch_approved(p)? {
                    continue;
                }
            }
            waiting.push((c, patch));
        }
        settle_pending(repo, l, &id, now, max_blob, &mut waiting)?;
        Ok(waiting.into_iter().map(|(c, _)| c).collect())
    }

    /// The pre-push side in one call: records the push scan's findings, remembers what is now on
    /// a remote (findings already there, and all of them when the push goes ahead), finds the
    /// commits among `commits` that no pre-commit approved, records each once as a bypass, and
    /// returns them (the caller names them in the report: they were scanned now, with everything
    /// else being pushed).
    pub fn record_push(
        &mut self,
        repo: &Repository,
        commits: &[Oid],
        findings: &[Finding],
        passed: bool,
    ) -> Result<Vec<Oid>> {
        if commits.is_empty() && findings.is_empty() {
            return Ok(Vec::new());
        }
        let unchecked = self.unchecked_commits(repo, commits)?;
        let unchecked_ids: HashSet<String> = unchecked.iter().map(Oid::to_string).collect();
        let in_unchecked = |f: &Finding| {
            f.commit
                .as_ref()
                .is_some_and(|c| unchecked_ids.contains(&c.id))
        };
        let events = self.finding_events(findings.iter().filter(|f| !in_unchecked(f)))?;
        let pushed: Vec<&str> = findings
            .iter()
            .filter(|f| passed || f.exposure == Exposure::Pushed)
            .map(|f| f.fingerprint.as_str())
            .collect();
        let (id, now) = (self.repo.clone(), self.now);
        let l = self.writer(repo)?;
        l.insert(&events)?;
        l.mark_pushed(&id, &pushed, now)?;
        self.record_bypasses(repo, &unchecked, findings)?;
        Ok(unchecked)
    }

    /// Records each unchecked commit once as `bypassed`, plus the findings a push scan made in it.
    pub fn record_bypasses(
        &mut self,
        repo: &Repository,
        unchecked: &[Oid],
        findings: &[Finding],
    ) -> Result<()> {
        if unchecked.is_empty() {
            return Ok(());
        }
        let mut by_commit: HashMap<&str, Vec<&Finding>> = HashMap::new();
        for f in findings {
            if let Some(c) = &f.commit {
                by_commit.entry(c.id.as_str()).or_default().push(f);
            }
        }
        let mut events = Vec::new();
        for id in unchecked {
            let sid = id.to_string();
            if self.writer(repo)?.bypass_recorded(&sid)? {
                continue;
            }
            let author = repo
                .find_commit(*id)
                .ok()
                .and_then(|c| c.author().email().map(str::to_owned))
                .unwrap_or_else(|| self.author.clone());
            let mut e = Event::run(Action::Bypassed, &self.repo, &author, &self.stage, self.now);
            e.reason = Some(UNCHECKED_REASON.into());
            e.commit = Some(sid.clone());
            events.push(e);
            for f in by_commit.get(sid.as_str()).into_iter().flatten() {
                let mut e = self.event(f);
                e.action = Action::Bypassed;
                events.push(e);
            }
        }
        self.writer(repo)?.insert(&events)
    }
}

/// How long an approved change waits for its patch id: Git's default reflog expiry, after which the
/// trees of a commit that was rebased away may be pruned.
const PENDING_WINDOW: i64 = 90 * 24 * 3600;

/// Pending changes examined per push at most, newest first: a rebase replays recent work, and a
/// push of a real bypass (which matches none) then costs at most this many patch ids.
const PENDING_PER_PUSH: usize = 500;

/// Computes the patch ids of the changes approved in `repo` that are still pending, newest first,
/// until every commit in `waiting` with a patch id is matched (and drops those from it).
fn settle_pending(
    repo: &Repository,
    l: &mut Ledger,
    id: &str,
    now: i64,
    max_blob: u64,
    waiting: &mut Vec<(Oid, Option<Oid>)>,
) -> Result<()> {
    let mut pending = l.pending_changes(id, now - PENDING_WINDOW)?;
    pending.sort_by_key(|&(_, time)| std::cmp::Reverse(time));
    for (a, time) in pending.into_iter().take(PENDING_PER_PUSH) {
        if !waiting.iter().any(|(_, p)| p.is_some()) {
            break;
        }
        // A change whose trees cannot be read has no patch id; it is settled all the same.
        let patch = change_patch(repo, &a, max_blob).unwrap_or(None);
        l.settle_change(id, &a, patch, time)?;
        if patch.is_some() {
            waiting.retain(|(_, p)| *p != patch);
        }
    }
    Ok(())
}
