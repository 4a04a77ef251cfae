//! The team report as one self-contained HTML page: inline CSS, inline SVG charts, one inline
//! script (a load marker) allowed by hash in a Content-Security-Policy that forbids every network
//! request. Every string from a ledger (kinds, reasons, names, repository labels) is escaped.
use super::svg::{self, colour, esc};
use super::Figures;
use crate::stats::{duration, Counts, GroupRow};
use base64::Engine as _;
use sha2::Digest;
use std::fmt::Write as _;

/// Marks the page as rendered once the DOM is built: the number of charts, so a headless browser
/// check reads it back from the DOM (and a script error would leave it unset).
const SCRIPT: &str = "document.documentElement.setAttribute('data-rendered', String(document.querySelectorAll('svg.chart').length));";

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px auto;max-width:1180px;color:#222;padding:0 16px}\
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #eee;padding-bottom:4px}\
.meta{color:#666;font-size:12px}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}\
.card{border:1px solid #e3e3e3;border-radius:6px;padding:8px 12px;min-width:110px}.card b{display:block;font-size:20px}\
.card span{color:#666;font-size:12px}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:12px}\
figure{margin:0;border:1px solid #eee;border-radius:6px;padding:8px}figcaption{font-weight:600;margin-bottom:4px}\
.legend{font-size:12px;margin-top:4px}.legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;border-radius:2px}\
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eee}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.tag{display:inline-block;background:#f2f4f7;border-radius:3px;padding:0 4px;margin:1px;font-size:11px}\
.empty{color:#888}dl{font-size:13px}dt{font-weight:600}dd{margin:0 0 6px 0}";

fn week_label(t: i64) -> String {
    crate::time::rfc3339(t)
        .get(..10)
        .unwrap_or_default()
        .to_owned()
}

fn card(out: &mut String, value: &str, label: &str) {
    let _ = write!(
        out,
        r#"<div class="card"><b>{}</b><span>{}</span></div>"#,
        esc(value),
        esc(label)
    );
}

fn legend(out: &mut String, names: &[String]) {
    out.push_str(r#"<div class="legend">"#);
    for (i, n) in names.iter().enumerate() {
        let _ = write!(out, r#"<i style="background:{}"></i>{}"#, colour(i), esc(n));
    }
    out.push_str("</div>");
}

fn figure(out: &mut String, caption: &str, chart: &str, names: Option<&[String]>) {
    let _ = write!(
        out,
        "<figure><figcaption>{}</figcaption>{chart}",
        esc(caption)
    );
    if let Some(n) = names {
        legend(out, n);
    }
    out.push_str("</figure>");
}

fn counts_table(out: &mut String, first: &str, rows: &[GroupRow]) {
    if rows.is_empty() {
        out.push_str(r#"<p class="empty">none recorded</p>"#);
        return;
    }
    let _ = write!(
        out,
        r#"<table><tr><th>{}</th><th class="n">findings</th><th class="n">blocked</th><th class="n">warned</th><th class="n">allowed</th><th class="n">in bypassed commits</th><th class="n">bypasses</th><th class="n">repeats</th><th class="n">fixed</th></tr>"#,
        esc(first)
    );
    for r in rows {
        let _ = write!(out, "<tr><td>{}</td>", esc(&r.name));
        count_cells(out, &r.counts);
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}

fn count_cells(out: &mut String, c: &Counts) {
    for v in [
        c.findings,
        c.blocked,
        c.warned,
        c.allowed,
        c.in_bypass,
        c.bypasses,
        c.repeats,
        c.fixed,
    ] {
        let _ = write!(out, r#"<td class="n">{v}</td>"#);
    }
}

/// Series of a per-week map (`by_kind` or `by_exposure`), sorted by name.
fn series(
    f: &Figures,
    get: impl Fn(&super::Week) -> &std::collections::BTreeMap<String, u64>,
) -> Vec<(String, Vec<u64>)> {
    let names: std::collections::BTreeSet<&String> =
        f.weeks.iter().flat_map(|w| get(w).keys()).collect();
    names
        .into_iter()
        .map(|n| {
            let values = f
                .weeks
                .iter()
                .map(|w| get(w).get(n).copied().unwrap_or(0))
                .collect();
            (n.clone(), values)
        })
        .collect()
}

/// The page.
pub fn render(f: &Figures) -> String {
    let s = &f.stats;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(SCRIPT));
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'"><title>coach team report</title><style>{STYLE}</style></head><body>"#
    );
    let _ = write!(
        out,
        r#"<h1>coach team report</h1><p class="meta">{} to {} · {} events from {}{}</p>"#,
        esc(&week_label(f.since)),
        esc(&week_label(f.until)),
        s.events,
        esc(&f.sources.join(", ")),
        if f.pseudonymised {
            " · people pseudonymised"
        } else {
            ""
        }
    );
    out.push_str(r#"<div class="cards">"#);
    let pct = |r: Option<f64>| r.map_or("-".to_owned(), |r| format!("{:.0}%", r * 100.0));
    let ttf = |v: Option<i64>| v.map_or("-".to_owned(), duration);
    card(&mut out, &s.totals.findings.to_string(), "findings");
    card(&mut out, &s.totals.blocked.to_string(), "blocked");
    card(&mut out, &s.totals.warned.to_string(), "warned");
    card(
        &mut out,
        &s.totals.allowed.to_string(),
        "allowed with a reason",
    );
    card(&mut out, &s.totals.bypasses.to_string(), "bypasses");
    card(&mut out, &pct(s.repeat_rate), "repeat rate");
    card(&mut out, &ttf(s.time_to_fix.median), "median time to fix");
    card(&mut out, &ttf(s.time_to_fix.p90), "p90 time to fix");
    out.push_str("</div>");

    let labels: Vec<String> = f.weeks.iter().map(|w| week_label(w.start)).collect();
    out.push_str(r#"<h2>Per week</h2><div class="charts">"#);
    let kinds = series(f, |w| &w.by_kind);
    let names: Vec<String> = kinds.iter().map(|(n, _)| n.clone()).collect();
    let chart = svg::stacked_bars("Findings per week by kind", &labels, &kinds);
    figure(&mut out, "Findings per week by kind", &chart, Some(&names));
    // Least to most exposed, so the colours read the same in every report.
    let mut exposures = series(f, |w| &w.by_exposure);
    let rank = |e: &str| {
        ["local", "staged", "committed", "pushed", "ci-log"]
            .iter()
            .position(|x| *x == e)
    };
    exposures.sort_by_key(|(n, _)| (rank(n).unwrap_or(usize::MAX), n.clone()));
    let names: Vec<String> = exposures.iter().map(|(n, _)| n.clone()).collect();
    let chart = svg::stacked_bars("Findings per week by exposure", &labels, &exposures);
    figure(
        &mut out,
        "Findings per week by exposure",
        &chart,
        Some(&names),
    );
    let rates: Vec<Option<f64>> = f.weeks.iter().map(|w| w.repeat_rate).collect();
    let chart = svg::line("Repeat rate per week", &labels, &rates, 1.0, &|v| {
        format!("{:.0}%", v * 100.0)
    });
    figure(&mut out, "Repeat rate per week", &chart, None);
    #[allow(clippy::cast_precision_loss)]
    let fixes: Vec<Option<f64>> = f
        .weeks
        .iter()
        .map(|w| w.median_time_to_fix.map(|v| v as f64 / 3600.0))
        .collect();
    let max = fixes.iter().flatten().copied().fold(0.0, f64::max);
    let chart = svg::line(
        "Median time to fix per week (hours)",
        &labels,
        &fixes,
        max,
        &|v| format!("{v:.1}h"),
    );
    figure(
        &mut out,
        "Median time to fix per week (hours)",
        &chart,
        None,
    );
    let bypasses = vec![(
        "bypasses".to_owned(),
        f.weeks.iter().map(|w| w.bypasses).collect(),
    )];
    let chart = svg::stacked_bars("Bypasses per week", &labels, &bypasses);
    figure(&mut out, "Bypasses per week", &chart, None);
    out.push_str("</div>");

    out.push_str("<h2>By kind and exposure</h2>");
    if s.by_kind.is_empty() {
        out.push_str(r#"<p class="empty">none recorded</p>"#);
    } else {
        out.push_str(r#"<table><tr><th>kind</th><th>exposure</th><th>frameworks</th><th class="n">findings</th><th class="n">blocked</th><th class="n">warned</th><th class="n">allowed</th><th class="n">in bypassed commits</th><th class="n">bypasses</th><th class="n">repeats</th><th class="n">fixed</th></tr>"#);
        for r in &s.by_kind {
            let tags: String = f
                .tags
                .get(&r.kind)
                .into_iter()
                .flatten()
                .map(|t| {
                    format!(
                        r#"<span class="tag" title="{}">{}</span>"#,
                        esc(&format!("{}: {}", t.framework, t.name)),
                        esc(t.id)
                    )
                })
                .collect();
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{tags}</td>",
                esc(&r.kind),
                esc(&r.exposure)
            );
            count_cells(&mut out, &r.counts);
            out.push_str("</tr>");
        }
        out.push_str("</table>");
    }

    out.push_str("<h2>Bypasses by reason</h2>");
    if s.bypasses.is_empty() {
        out.push_str(r#"<p class="empty">none recorded</p>"#);
    } else {
        out.push_str(r#"<table><tr><th>reason</th><th class="n">bypasses</th></tr>"#);
        for (reason, n) in &s.bypasses {
            let _ = write!(
                out,
                r#"<tr><td>{}</td><td class="n">{n}</td></tr>"#,
                esc(reason)
            );
        }
        out.push_str("</table>");
    }
    out.push_str("<h2>Allows with their reasons</h2>");
    if s.allows.is_empty() {
        out.push_str(r#"<p class="empty">none recorded</p>"#);
    } else {
        out.push_str(
            r#"<table><tr><th>how</th><th>rule</th><th>reason</th><th class="n">count</th></tr>"#,
        );
        for a in &s.allows {
            let _ = write!(
                out,
                r#"<tr><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td></tr>"#,
                esc(a.action.as_str()),
                esc(&a.rule_id),
                esc(&a.reason),
                a.count
            );
        }
        out.push_str("</table>");
    }
    out.push_str("<h2>By role</h2>");
    counts_table(&mut out, "role", &s.roles);
    out.push_str("<h2>By repository</h2>");
    counts_table(&mut out, "repository", &s.repositories);
    out.push_str("<h2>By person</h2>");
    counts_table(&mut out, "person", &s.authors);
    out.push_str(DEFINITIONS);
    let _ = writeln!(out, "<script>{SCRIPT}</script></body></html>");
    out
}

const DEFINITIONS: &str = "<h2>Definitions</h2><dl>\
<dt>Finding</dt><dd>A secret or practice rule coach matched: blocked, warned, allowed with a reason, or found inside a bypassed commit.</dd>\
<dt>Repeat</dt><dd>A blocked or warned finding whose author had already had a different secret of the same kind blocked, warned or bypassed in the previous 30 days (in any of their repositories unless configured per repository). Only time resets it.</dd>\
<dt>Bypass</dt><dd>One hook run skipped with COACH_SKIP, or one pushed commit that no pre-commit approved by tree or by patch. Rebases and cherry-picks of approved changes are not bypasses.</dd>\
<dt>Time to fix</dt><dd>From a secret's first block to the next commit let through without it (median and p90, nearest rank).</dd>\
<dt>Frameworks</dt><dd>OWASP Non-Human Identities Top 10 (2025) and NIST CSF 2.0 references for each kind.</dd></dl>";
