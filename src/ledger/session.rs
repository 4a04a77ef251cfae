//! Hook workflows: one run's view of the ledger, what pre-commit and pre-push record.
use super::{author, now, path, repo_identity, Action, Event, KindHistory, Ledger, Result};
use crate::config::LedgerSettings;
use crate::finding::Finding;
use git2::{Oid, Repository};
use std::collections::{HashMap, HashSet};

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
    /// `commits` that no pre-commit approved, records each once as a bypass, and returns them (the
    /// caller names them in the report: they were scanned now, with everything else being pushed).
    pub fn record_push(
        &mut self,
        repo: &Repository,
        commits: &[Oid],
        findings: &[Finding],
    ) -> Result<Vec<Oid>> {
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
        Ok(unchecked)
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
