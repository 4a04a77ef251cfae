//! `coach stats`: figures computed from ledger events (findings by kind and exposure, repeat rate,
//! time to fix, bypasses, allows with their reasons, per role, repository and author) and rendered
//! as a table or JSON. Pure: takes events, returns text; the command writes it.
//!
//! Definitions (docs/LEDGER.md), the same here, in the team report and in the hooks:
//! - a **finding** is an event with a rule (blocked, warned, allowed, or found in a bypassed
//!   commit); `fixed` events are outcomes, not findings;
//! - a **repeat** is a blocked or warned finding whose recorded repeat count was above zero (see
//!   `ledger::repeats` for how it is counted when the hook runs); the repeat rate is repeats over
//!   blocked + warned findings;
//! - a **bypass** is one run of coach skipped (`COACH_SKIP`) or one pushed commit no pre-commit
//!   approved by tree or patch: the bypass event without a rule. Secrets found inside such a
//!   commit are findings (`in_bypass`), not more bypasses. One total, and the breakdowns by
//!   reason, by author and by repository each add up to it;
//! - **time to fix** is, per blocked fingerprint, the seconds from its first block to the next
//!   pre-commit that let a commit through without it; median and p90 are nearest-rank.
use crate::ledger::{Action, Event};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Counts of one group's findings by what happened to them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Finding events of any action except `fixed` (bypass events without a rule are not findings).
    pub findings: u64,
    pub blocked: u64,
    pub warned: u64,
    pub allowed: u64,
    /// Findings inside a bypassed commit (scanned at push time).
    pub in_bypass: u64,
    /// Bypasses: skipped runs and unchecked commits, one each.
    pub bypasses: u64,
    pub fixed: u64,
    /// Block/warn findings whose author had an earlier finding of the kind in the repeat window.
    pub repeats: u64,
}

impl Counts {
    fn add(&mut self, e: &Event) {
        match e.action {
            Action::Fixed => {
                self.fixed += 1;
                return;
            }
            Action::Bypassed if e.rule_id.is_none() => {
                self.bypasses += 1;
                return;
            }
            Action::Blocked => self.blocked += 1,
            Action::Warned => self.warned += 1,
            Action::Bypassed => self.in_bypass += 1,
            a if a.is_allow() => self.allowed += 1,
            _ => {}
        }
        self.findings += 1;
        if matches!(e.action, Action::Blocked | Action::Warned) && e.repeat > 0 {
            self.repeats += 1;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindRow {
    pub kind: String,
    pub exposure: String,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupRow {
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowRow {
    pub action: Action,
    pub rule_id: String,
    pub reason: String,
    pub count: u64,
}

/// Seconds from a block to the commit that no longer staged the secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TimeToFix {
    pub fixed: u64,
    /// Nearest-rank median, in seconds.
    pub median: Option<i64>,
    /// Nearest-rank 90th percentile, in seconds.
    pub p90: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Start of the window (seconds since the epoch), if one was given.
    pub since: Option<i64>,
    pub events: u64,
    pub totals: Counts,
    pub by_kind: Vec<KindRow>,
    /// Share of block/warn findings that were repeats (0..=1); `None` without any.
    pub repeat_rate: Option<f64>,
    pub time_to_fix: TimeToFix,
    /// Bypasses by reason (`COACH_SKIP`, unchecked commit at pre-push...); they add up to
    /// `totals.bypasses`.
    pub bypasses: BTreeMap<String, u64>,
    pub allows: Vec<AllowRow>,
    pub roles: Vec<GroupRow>,
    /// By repository: its label (remote URL) when known, else its identity.
    pub repositories: Vec<GroupRow>,
    pub authors: Vec<GroupRow>,
}

/// A repository's name in figures: its label when known, else its identity.
pub fn repo_name<'a>(labels: &'a BTreeMap<String, String>, repo: &'a str) -> &'a str {
    labels.get(repo).map_or(repo, String::as_str)
}

/// Nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

pub fn compute(events: &[Event], since: Option<i64>, labels: &BTreeMap<String, String>) -> Stats {
    let mut totals = Counts::default();
    let mut repos: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_kind: BTreeMap<(String, String), Counts> = BTreeMap::new();
    let mut roles: BTreeMap<String, Counts> = BTreeMap::new();
    let mut authors: BTreeMap<String, Counts> = BTreeMap::new();
    let mut allows: BTreeMap<(Action, String, String), u64> = BTreeMap::new();
    let mut bypasses: BTreeMap<String, u64> = BTreeMap::new();
    let mut durations: Vec<i64> = Vec::new();
    for e in events {
        totals.add(e);
        authors.entry(e.author.clone()).or_default().add(e);
        repos
            .entry(repo_name(labels, &e.repo).to_owned())
            .or_default()
            .add(e);
        if let Some(role) = &e.role {
            roles.entry(role.clone()).or_default().add(e);
        }
        if let Some(kind) = &e.kind {
            by_kind
                .entry((kind.clone(), e.exposure.clone().unwrap_or_default()))
                .or_default()
                .add(e);
        }
        match e.action {
            Action::Fixed => durations.extend(e.duration),
            // One count per bypass: the run marker, not each finding inside a bypassed commit.
            Action::Bypassed if e.rule_id.is_none() => {
                *bypasses
                    .entry(e.reason.clone().unwrap_or_else(|| "unknown".into()))
                    .or_default() += 1;
            }
            a if a.is_allow() => {
                *allows
                    .entry((
                        a,
                        e.rule_id.clone().unwrap_or_default(),
                        e.reason.clone().unwrap_or_default(),
                    ))
                    .or_default() += 1;
            }
            _ => {}
        }
    }
    durations.sort_unstable();
    let decided = totals.blocked + totals.warned;
    #[allow(clippy::cast_precision_loss)]
    let repeat_rate = (decided > 0).then(|| totals.repeats as f64 / decided as f64);
    Stats {
        since,
        events: events.len() as u64,
        totals,
        by_kind: by_kind
            .into_iter()
            .map(|((kind, exposure), counts)| KindRow {
                kind,
                exposure,
                counts,
            })
            .collect(),
        repeat_rate,
        time_to_fix: TimeToFix {
            fixed: durations.len() as u64,
            median: percentile(&durations, 50.0),
            p90: percentile(&durations, 90.0),
        },
        bypasses,
        allows: allows
            .into_iter()
            .map(|((action, rule_id, reason), count)| AllowRow {
                action,
                rule_id,
                reason,
                count,
            })
            .collect(),
        roles: rows(roles),
        repositories: rows(repos),
        authors: rows(authors),
    }
}

fn rows(m: BTreeMap<String, Counts>) -> Vec<GroupRow> {
    m.into_iter()
        .map(|(name, counts)| GroupRow { name, counts })
        .collect()
}

/// "2d 3h", "45m", "12s".
pub fn duration(secs: i64) -> String {
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

fn table(out: &mut String, first: &str, rows: &[(String, &Counts)]) {
    let w = rows
        .iter()
        .map(|(n, _)| n.len())
        .chain([first.len()])
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "  {first:<w$}  {:>8} {:>7} {:>6} {:>7} {:>9} {:>8} {:>7} {:>5}",
        "findings", "blocked", "warned", "allowed", "in-bypass", "bypasses", "repeats", "fixed"
    );
    for (name, c) in rows {
        let _ = writeln!(
            out,
            "  {name:<w$}  {:>8} {:>7} {:>6} {:>7} {:>9} {:>8} {:>7} {:>5}",
            c.findings, c.blocked, c.warned, c.allowed, c.in_bypass, c.bypasses, c.repeats, c.fixed
        );
    }
}

pub fn render_human(s: &Stats) -> String {
    let mut out = String::new();
    let window = s.since.map_or_else(
        || "all time".to_owned(),
        |t| format!("since {}", crate::time::rfc3339(t)),
    );
    let _ = writeln!(out, "coach stats ({window}): {} events", s.events);
    if s.events == 0 {
        out.push_str("  nothing recorded yet\n");
        return out;
    }
    let rate = s
        .repeat_rate
        .map_or("-".to_owned(), |r| format!("{:.0}%", r * 100.0));
    let ttf = |v: Option<i64>| v.map_or("-".to_owned(), duration);
    let _ = writeln!(
        out,
        "  repeat rate {rate} · time to fix: median {}, p90 {} ({} fixed) · bypasses {}",
        ttf(s.time_to_fix.median),
        ttf(s.time_to_fix.p90),
        s.time_to_fix.fixed,
        s.totals.bypasses
    );
    out.push_str("\nby kind and exposure\n");
    let kinds: Vec<(String, &Counts)> = s
        .by_kind
        .iter()
        .map(|r| (format!("{} ({})", r.kind, r.exposure), &r.counts))
        .collect();
    table(&mut out, "kind", &kinds);
    if !s.roles.is_empty() {
        out.push_str("\nby role\n");
        let r: Vec<(String, &Counts)> = s
            .roles
            .iter()
            .map(|r| (r.name.clone(), &r.counts))
            .collect();
        table(&mut out, "role", &r);
    }
    if s.repositories.len() > 1 {
        out.push_str("\nby repository\n");
        let r: Vec<(String, &Counts)> = s
            .repositories
            .iter()
            .map(|r| (r.name.clone(), &r.counts))
            .collect();
        table(&mut out, "repository", &r);
    }
    out.push_str("\nby author\n");
    let a: Vec<(String, &Counts)> = s
        .authors
        .iter()
        .map(|r| (r.name.clone(), &r.counts))
        .collect();
    table(&mut out, "author", &a);
    if !s.bypasses.is_empty() {
        out.push_str("\nbypasses\n");
        for (reason, n) in &s.bypasses {
            let _ = writeln!(out, "  {n:>4}  {reason}");
        }
    }
    if !s.allows.is_empty() {
        out.push_str("\nallows\n");
        for a in &s.allows {
            let _ = writeln!(
                out,
                "  {:>4}  {}  {}: {}",
                a.count,
                a.action.as_str(),
                a.rule_id,
                a.reason
            );
        }
    }
    out
}

pub fn render_json(s: &Stats) -> String {
    let mut text = serde_json::to_string_pretty(s).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(action: Action, author: &str, repeat: u32, duration: Option<i64>) -> Event {
        let mut e = Event::run(action, "r", author, "pre-commit", 0);
        e.rule_id = Some("x.y".into());
        e.kind = Some("k".into());
        e.exposure = Some("staged".into());
        e.repeat = repeat;
        e.duration = duration;
        e
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&v, 50.0), Some(5));
        assert_eq!(percentile(&v, 90.0), Some(9));
        assert_eq!(percentile(&[7], 90.0), Some(7));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn figures_add_up() {
        let mut skip = Event::run(Action::Bypassed, "r", "a", "pre-commit", 0);
        skip.reason = Some("COACH_SKIP".into());
        let mut allow = ev(Action::AllowedInline, "b", 0, None);
        allow.reason = Some("test fixture".into());
        let events = vec![
            ev(Action::Warned, "a", 0, None),
            ev(Action::Blocked, "a", 1, None),
            ev(Action::Fixed, "a", 0, Some(60)),
            ev(Action::Fixed, "a", 0, Some(7200)),
            skip,
            allow,
        ];
        let s = compute(&events, None, &BTreeMap::new());
        assert_eq!(s.totals.findings, 3);
        assert_eq!(
            (s.totals.blocked, s.totals.warned, s.totals.allowed),
            (1, 1, 1)
        );
        assert_eq!(s.repeat_rate, Some(0.5));
        assert_eq!(s.time_to_fix.median, Some(60));
        assert_eq!(s.time_to_fix.p90, Some(7200));
        assert_eq!(s.bypasses.get("COACH_SKIP"), Some(&1));
        assert_eq!(s.totals.bypasses, 1);
        assert_eq!(s.allows[0].reason, "test fixture");
        assert_eq!(s.authors.len(), 2);
        assert_eq!(duration(7260), "2h 1m");
    }
}
