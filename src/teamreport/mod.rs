//! `coach report`: the team report. Merges ledger events (the local ledger and any number of
//! exports, see `ledger::export`) into one set of figures, rendered as a self-contained HTML page
//! ([`html`], charts as inline SVG from [`svg`]) or as JSON with the same figures.
//!
//! Every figure uses the definitions of [`crate::stats`] (finding, repeat, bypass, time to fix);
//! this module only adds the weekly series and the merge. Pure: events in, figures out.
pub mod html;
pub mod svg;

use crate::ledger::{Action, Event, Export};
use crate::stats::{self, Stats};
use crate::tags::Tag;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

const DAY: i64 = 86_400;
const WEEK: i64 = 7 * DAY;

/// Start (Monday 00:00 UTC) of the week holding `t`. 1970-01-01 was a Thursday.
pub fn week_start(t: i64) -> i64 {
    let day = t.div_euclid(DAY);
    (day - (day + 3).rem_euclid(7)) * DAY
}

/// One week's figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Week {
    /// Monday 00:00 UTC, seconds since the epoch.
    pub start: i64,
    /// Findings by kind (see `stats::Counts::findings`).
    pub by_kind: BTreeMap<String, u64>,
    /// Findings by exposure.
    pub by_exposure: BTreeMap<String, u64>,
    pub findings: u64,
    /// Blocked + warned findings, and how many of them were repeats.
    pub decided: u64,
    pub repeats: u64,
    /// `repeats / decided`; `None` in a week without any.
    pub repeat_rate: Option<f64>,
    pub bypasses: u64,
    /// Nearest-rank median of the fixes recorded that week, in seconds.
    pub median_time_to_fix: Option<i64>,
}

/// Everything the report shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub format: &'static str,
    pub version: u32,
    /// The window: `since` to `until` (the clock).
    pub since: i64,
    pub until: i64,
    /// Where the events came from: "local ledger" and each export's file name.
    pub sources: Vec<String>,
    /// Whether people's names were replaced by pseudonyms.
    pub pseudonymised: bool,
    /// One per week from the first to the last week holding an event, empty weeks included.
    pub weeks: Vec<Week>,
    pub stats: Stats,
    /// Framework tags of each kind seen (`crate::tags`).
    pub tags: BTreeMap<String, Vec<Tag>>,
}

pub const FIGURES_FORMAT: &str = "coach-team-report";
pub const FIGURES_VERSION: u32 = 1;

/// Merges exports: the same event twice (one export read twice, or the local ledger also
/// exported) counts once; labels are united.
pub fn merge(parts: Vec<Export>) -> Export {
    let mut seen = BTreeSet::new();
    let mut out = Export::default();
    for p in parts {
        out.labels.extend(p.labels);
        for e in p.events {
            if seen.insert(serde_json::to_string(&e).unwrap_or_default()) {
                out.events.push(e);
            }
        }
    }
    out.events.sort_by_key(|e| e.time);
    out
}

/// Replaces each author by `person-N`, numbered in order of first appearance (no hash of an
/// address, which a guess could reverse).
pub fn pseudonymise(events: &mut [Event]) {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for e in events {
        let n = names.len() + 1;
        let p = names
            .entry(e.author.clone())
            .or_insert_with(|| format!("person-{n}"))
            .clone();
        e.author = p;
    }
}

/// The figures for `events` inside `[since, until]`. `tags_of` gives a kind's framework tags.
pub fn compute(
    merged: &Export,
    since: i64,
    until: i64,
    sources: Vec<String>,
    pseudonymised: bool,
    tags_of: &dyn Fn(&str) -> Vec<Tag>,
) -> Figures {
    let events: Vec<Event> = merged
        .events
        .iter()
        .filter(|e| e.time >= since && e.time <= until)
        .cloned()
        .collect();
    let stats = stats::compute(&events, Some(since), &merged.labels);
    let mut weeks: BTreeMap<i64, (Week, Vec<i64>)> = BTreeMap::new();
    if let (Some(first), Some(last)) = (events.first(), events.last()) {
        let mut w = week_start(first.time);
        while w <= last.time {
            weeks.insert(
                w,
                (
                    Week {
                        start: w,
                        ..Week::default()
                    },
                    Vec::new(),
                ),
            );
            w += WEEK;
        }
    }
    for e in &events {
        let Some((w, fixes)) = weeks.get_mut(&week_start(e.time)) else {
            continue;
        };
        match e.action {
            Action::Fixed => fixes.extend(e.duration),
            Action::Bypassed if e.rule_id.is_none() => w.bypasses += 1,
            _ if e.rule_id.is_some() => {
                w.findings += 1;
                *w.by_kind
                    .entry(e.kind.clone().unwrap_or_default())
                    .or_default() += 1;
                *w.by_exposure
                    .entry(e.exposure.clone().unwrap_or_default())
                    .or_default() += 1;
                if matches!(e.action, Action::Blocked | Action::Warned) {
                    w.decided += 1;
                    w.repeats += u64::from(e.repeat > 0);
                }
            }
            _ => {}
        }
    }
    let weeks = weeks
        .into_values()
        .map(|(mut w, mut fixes)| {
            #[allow(clippy::cast_precision_loss)]
            let rate = (w.decided > 0).then(|| w.repeats as f64 / w.decided as f64);
            w.repeat_rate = rate;
            fixes.sort_unstable();
            w.median_time_to_fix = stats::percentile(&fixes, 50.0);
            w
        })
        .collect();
    let tags = stats
        .by_kind
        .iter()
        .map(|r| (r.kind.clone(), tags_of(&r.kind)))
        .collect();
    Figures {
        format: FIGURES_FORMAT,
        version: FIGURES_VERSION,
        since,
        until,
        sources,
        pseudonymised,
        weeks,
        stats,
        tags,
    }
}

pub fn render_json(f: &Figures) -> String {
    let mut text = serde_json::to_string_pretty(f).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_utc() {
        // 2027-01-15 is a Friday; its week starts Monday 2027-01-11.
        let fri = 1_800_000_000 - 1_800_000_000 % DAY;
        assert_eq!(
            crate::time::rfc3339(week_start(fri)),
            "2027-01-11T00:00:00Z"
        );
        assert_eq!(week_start(week_start(fri)), week_start(fri));
        assert_eq!(week_start(week_start(fri) - 1), week_start(fri) - WEEK);
    }

    #[test]
    fn merge_counts_an_event_once_and_pseudonyms_are_stable() {
        let e = Event::run(Action::Bypassed, "r", "ada@x", "pre-commit", 5);
        let part = || Export {
            labels: BTreeMap::new(),
            events: vec![e.clone()],
        };
        let mut m = merge(vec![part(), part()]);
        assert_eq!(m.events.len(), 1);
        m.events
            .push(Event::run(Action::Bypassed, "r", "bob@x", "pre-commit", 6));
        m.events
            .push(Event::run(Action::Bypassed, "r", "ada@x", "pre-commit", 7));
        pseudonymise(&mut m.events);
        let names: Vec<&str> = m.events.iter().map(|e| e.author.as_str()).collect();
        assert_eq!(names, ["person-1", "person-2", "person-1"]);
    }
}
