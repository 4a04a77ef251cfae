//! Inline SVG charts: stacked bars per week and a line with one point per week. No script, no
//! external resource. Every label goes through [`esc`]; each bar and point carries `data-` fields
//! (week, series, value) so a reader, or a test, can check what is drawn.
use std::fmt::Write as _;

const W: f64 = 560.0;
const H: f64 = 220.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 12.0;

/// A fixed palette: series get colours in order (kinds sorted by name), cycling.
pub const PALETTE: [&str; 8] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f",
];

/// HTML/SVG-escaped text (every string from a ledger is untrusted: kinds, reasons, names).
pub fn esc(s: &str) -> String {
    html_escape::encode_safe(s).into_owned()
}

/// The colour of series `i`.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

fn frame(out: &mut String, title: &str, max: f64, y_label: &dyn Fn(f64) -> String) {
    let _ = write!(
        out,
        r#"<svg class="chart" role="img" aria-label="{t}" viewBox="0 0 {W} {H}" width="{W}" height="{H}" xmlns="http://www.w3.org/2000/svg">"#,
        t = esc(title)
    );
    for i in 0..=4 {
        let v = max * f64::from(i) / 4.0;
        let y = H - BOTTOM - (H - BOTTOM - TOP) * f64::from(i) / 4.0;
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{W}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{x:.1}" y="{ty:.1}" font-size="10" text-anchor="end" fill="#555">{l}</text>"##,
            x = LEFT - 4.0,
            ty = y + 3.0,
            l = esc(&y_label(v))
        );
    }
}

fn x_labels(out: &mut String, labels: &[String], slot: f64) {
    // At most ~10 labels, so they do not overlap.
    let every = labels.len().div_ceil(10).max(1);
    for (i, l) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
        #[allow(clippy::cast_precision_loss)]
        let x = LEFT + slot * (i as f64 + 0.5);
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="{y:.1}" font-size="10" text-anchor="middle" fill="#555">{l}</text>"##,
            y = H - BOTTOM + 14.0,
            l = esc(l)
        );
    }
}

/// Stacked bars: one column per x label, one `<rect class="bar">` per non-zero value.
/// `series[i]` = (name, values per x); colours follow `series` order.
pub fn stacked_bars(title: &str, labels: &[String], series: &[(String, Vec<u64>)]) -> String {
    let totals: Vec<u64> = (0..labels.len())
        .map(|x| {
            series
                .iter()
                .map(|(_, v)| v.get(x).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    // A multiple of 4, so the four grid lines fall on whole numbers.
    #[allow(clippy::cast_precision_loss)]
    let max = totals.iter().copied().max().unwrap_or(0).max(1).div_ceil(4) as f64 * 4.0;
    let mut out = String::new();
    frame(&mut out, title, max, &|v| format!("{v:.0}"));
    #[allow(clippy::cast_precision_loss)]
    let slot = (W - LEFT) / labels.len().max(1) as f64;
    let scale = (H - BOTTOM - TOP) / max;
    for (x, label) in labels.iter().enumerate() {
        let mut y = H - BOTTOM;
        #[allow(clippy::cast_precision_loss)]
        let left = LEFT + slot * x as f64 + slot * 0.15;
        for (i, (name, values)) in series.iter().enumerate() {
            let v = values.get(x).copied().unwrap_or(0);
            if v == 0 {
                continue;
            }
            #[allow(clippy::cast_precision_loss)]
            let h = v as f64 * scale;
            y -= h;
            let _ = write!(
                out,
                r#"<rect class="bar" data-x="{lx}" data-series="{s}" data-value="{v}" x="{left:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{c}"><title>{s} · {lx}: {v}</title></rect>"#,
                lx = esc(label),
                s = esc(name),
                w = slot * 0.7,
                c = colour(i)
            );
        }
    }
    x_labels(&mut out, labels, slot);
    out.push_str("</svg>");
    out
}

/// A line with one `<circle class="point">` per x that has a value (gaps are left open).
pub fn line(
    title: &str,
    labels: &[String],
    values: &[Option<f64>],
    max: f64,
    y_label: &dyn Fn(f64) -> String,
) -> String {
    let max = if max > 0.0 { max } else { 1.0 };
    let mut out = String::new();
    frame(&mut out, title, max, y_label);
    #[allow(clippy::cast_precision_loss)]
    let slot = (W - LEFT) / labels.len().max(1) as f64;
    let scale = (H - BOTTOM - TOP) / max;
    let points: Vec<(usize, f64, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .map(|(i, v)| {
            #[allow(clippy::cast_precision_loss)]
            let x = LEFT + slot * (i as f64 + 0.5);
            (i, x, H - BOTTOM - v.min(max) * scale)
        })
        .collect();
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .map(|(_, x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            out,
            r##"<polyline fill="none" stroke="#4e79a7" stroke-width="2" points="{}"/>"##,
            path.join(" ")
        );
    }
    for (i, x, y) in &points {
        let v = values[*i].unwrap_or_default();
        let _ = write!(
            out,
            r##"<circle class="point" data-x="{lx}" data-value="{v}" cx="{x:.1}" cy="{y:.1}" r="4" fill="#4e79a7"><title>{lx}: {l}</title></circle>"##,
            lx = esc(&labels[*i]),
            l = esc(&y_label(v))
        );
    }
    x_labels(&mut out, labels, slot);
    out.push_str("</svg>");
    out
}
