//! The human report: one block per credential kind (findings listed, coaching printed once), notices,
//! errors, then one summary line. Colour only when asked for or on a terminal; snapshots are plain.
//! Every string that did not come from coach's own code is passed through [`crate::escape::terminal`].
use super::Report;
use crate::escape::terminal as esc;
use crate::finding::{kebab, Finding, Verdict};
use colored::Colorize;
use std::fmt::Write as _;

const LABEL_WIDTH: usize = 14;

/// Most findings listed per file in one kind's block, and per block; the rest are counted, not
/// listed: tens of thousands of lines bury the coaching. The summary and JSON still count them all.
pub const MAX_LISTED_PER_FILE: usize = 20;
pub const MAX_LISTED_PER_KIND: usize = 100;
/// Most notes (and most allowed findings) listed.
pub const MAX_LISTED_NOTES: usize = 100;

/// The line that stands for what was not listed.
fn not_listed(out: &mut String, n: usize, what: &str) {
    if n > 0 {
        let _ = writeln!(
            out,
            "  ... and {n} more {what}{} not listed here (coach scan --format json lists all)",
            plural(n)
        );
    }
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    // Kinds found in the same files at the same exposure get the same clean-up: print it once, then
    // point back to it (three kinds in one `.env` used to repeat the same steps three times).
    let mut clean_ups_shown: Vec<(&[String], &str)> = Vec::new();
    for g in &r.guidance {
        let members: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.kind == g.kind && f.verdict != Verdict::Allow)
            .collect();
        let Some(worst) = members.iter().map(|f| f.verdict).max() else {
            continue;
        };
        let first = members[0];
        let _ = writeln!(
            out,
            "{} {}  ({} · {} · {} identity)",
            badge(worst),
            esc(&g.title).bold(),
            esc(&g.kind),
            kebab(&first.lifetime),
            kebab(&first.identity),
        );
        let mut per_file: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let (mut listed, mut hidden) = (0usize, 0usize);
        for f in &members {
            let in_file = per_file.entry(f.path.as_str()).or_default();
            if listed >= MAX_LISTED_PER_KIND || *in_file >= MAX_LISTED_PER_FILE {
                hidden += 1;
                continue;
            }
            *in_file += 1;
            listed += 1;
            let _ = writeln!(
                out,
                "  {}:{}:{}  {}  {}  {}",
                esc(&f.path),
                f.line,
                f.column,
                esc(&f.rule_id),
                esc(&f.redacted.to_string()),
                f.exposure.as_str()
            );
            if let Some(c) = &f.commit {
                let short = esc(&c.id[..c.id.len().min(12)]);
                let _ = writeln!(
                    out,
                    "    added in commit {short} by {} <{}> on {}: {}",
                    esc(&c.author),
                    esc(&c.email),
                    crate::time::rfc3339(c.time),
                    esc(&c.summary)
                );
            }
            if let Some(role) = &f.role {
                let _ = writeln!(out, "    role: {}", esc(role));
            }
        }
        not_listed(&mut out, hidden, &format!("{} finding", esc(&g.kind)));
        out.push('\n');
        if let Some(h) = &g.history {
            field(&mut out, "Again", std::slice::from_ref(h));
        }
        field(&mut out, "Why", std::slice::from_ref(&g.why));
        // Lead with what is true now: a secret that never left the machine is cleaned up first and
        // revoked only if shared; a pushed one is revoked first.
        let seen = clean_ups_shown
            .iter()
            .find(|(lines, _)| !g.clean_up.is_empty() && *lines == g.clean_up.as_slice())
            .map(|(_, title)| *title);
        let same_as_above;
        let clean_up: &[String] = match seen {
            Some(title) => {
                same_as_above = [format!("The same clean-up as for the {title} above.")];
                &same_as_above
            }
            None => {
                clean_ups_shown.push((&g.clean_up, &g.title));
                &g.clean_up
            }
        };
        if g.exposure >= crate::finding::Exposure::Pushed {
            field(&mut out, "Do now", &g.do_now);
            field(&mut out, "Clean up", clean_up);
        } else {
            field(&mut out, "Do now", clean_up);
            field(&mut out, "If shared", &g.do_now);
        }
        field(&mut out, "Move it", std::slice::from_ref(&g.move_it));
        field(
            &mut out,
            "Replace with",
            std::slice::from_ref(&g.replace_with),
        );
        if let Some(a) = &g.check_for_abuse {
            field(
                &mut out,
                "Check abuse",
                &a.lines().map(str::to_owned).collect::<Vec<_>>(),
            );
        }
        if let Some(m) = &g.machine_identity {
            field(&mut out, "Machine id", std::slice::from_ref(m));
        }
        if !g.roles.is_empty() {
            field(&mut out, "Your role", &g.roles);
        }
        // Escaped first, so the link sequence (coach's own) wraps only visible text.
        let docs: Vec<String> = g
            .docs
            .iter()
            .map(|d| {
                let d = esc(d);
                // Repository docs are labelled quotations, not bare links.
                if g.from_repository.is_some() {
                    d.into_owned()
                } else {
                    hyperlink(&d)
                }
            })
            .collect();
        field_raw(&mut out, "Docs", &docs);
        out.push('\n');
    }
    let allowed: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.verdict == Verdict::Allow)
        .collect();
    if !allowed.is_empty() {
        let _ = writeln!(out, "{}", "allowed:".dimmed());
        let unlisted = allowed.len().saturating_sub(MAX_LISTED_NOTES);
        for f in allowed.into_iter().take(MAX_LISTED_NOTES) {
            let why = f
                .suppression
                .as_ref()
                .map_or(String::from("allowed by policy"), |s| {
                    format!("{}: {}", kebab(&s.kind), esc(&s.reason))
                });
            let _ = writeln!(
                out,
                "  {}:{}:{}  {}  ({why})",
                esc(&f.path),
                f.line,
                f.column,
                esc(&f.rule_id)
            );
        }
        not_listed(&mut out, unlisted, "allowed finding");
        out.push('\n');
    }
    for n in r.notices.iter().take(MAX_LISTED_NOTES) {
        let at = n.commit.as_ref().map_or(String::new(), |c| {
            format!(" @{}", esc(&c[..c.len().min(12)]))
        });
        let _ = writeln!(
            out,
            "{} {}{at}: {}",
            "note:".cyan(),
            esc(&n.path),
            esc(&n.reason)
        );
    }
    not_listed(
        &mut out,
        r.notices.len().saturating_sub(MAX_LISTED_NOTES),
        "note",
    );
    for e in &r.errors {
        let _ = writeln!(
            out,
            "{} {}: {}",
            "error:".red().bold(),
            esc(&e.path),
            esc(&e.message)
        );
    }
    out.push_str(&summary(r));
    out.push('\n');
    out
}

/// The one line every run ends with, so a hook never passes silently.
pub fn summary(r: &Report) -> String {
    let commits = match (r.commits, r.commits_skipped) {
        (Some(c), Some(s)) => format!(
            "{c} of {} commits ({s} over max-commits NOT scanned), ",
            c + s
        ),
        (Some(c), None) => format!("{c} commit{}, ", plural(c)),
        _ => String::new(),
    };
    let scanned = if r.files == 0 && r.lines == 0 {
        format!(
            "nothing to scan in the {} ({commits}0 files, 0 added lines)",
            esc(&r.source)
        )
    } else {
        format!(
            "scanned {commits}{} file{}, {} added line{} ({})",
            r.files,
            plural(r.files),
            r.lines,
            plural(r.lines),
            esc(&r.source)
        )
    };
    let verdict = match (r.status, r.verdict) {
        (crate::error::ExitStatus::Error, _) => "ERROR (exit 2: not everything could be scanned)"
            .red()
            .bold()
            .to_string(),
        (_, Verdict::Block) => "BLOCK".red().bold().to_string(),
        (_, Verdict::Warn) => "WARN".yellow().bold().to_string(),
        (_, Verdict::Allow) => "ALLOW".green().bold().to_string(),
    };
    format!(
        "coach: {scanned}: {} finding{} ({} block, {} warn, {} allowed); verdict: {verdict}",
        r.findings.len(),
        plural(r.findings.len()),
        r.count(Verdict::Block),
        r.count(Verdict::Warn),
        r.count(Verdict::Allow),
    )
}

/// An OSC 8 hyperlink around a URL, only when colour is on (a terminal, not `NO_COLOR`) and the
/// terminal is not `dumb`: terminals without OSC 8 support ignore the sequence and show the text.
pub(crate) fn hyperlink(url: &str) -> String {
    let supported = colored::control::SHOULD_COLORIZE.should_colorize()
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb");
    // A URL with control characters could end the sequence early; leave it plain.
    if !supported || url.chars().any(char::is_control) {
        return url.to_owned();
    }
    format!("\x1b]8;;{url}\x1b\\{url}\x1b]8;;\x1b\\")
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn badge(v: Verdict) -> String {
    match v {
        Verdict::Block => "✖ BLOCK".red().bold().to_string(),
        Verdict::Warn => "▲ WARN".yellow().bold().to_string(),
        Verdict::Allow => "✓ ALLOW".green().to_string(),
    }
}

/// One labelled block of guidance: the label on the first line, the rest aligned under it. Lines
/// are escaped here: guidance holds paths, commit subjects and text from rule and config files.
pub(crate) fn field(out: &mut String, label: &str, lines: &[String]) {
    let escaped: Vec<String> = lines.iter().map(|l| esc(l).into_owned()).collect();
    field_raw(out, label, &escaped);
}

/// [`field`] for lines that are already escaped and may hold coach's own sequences (hyperlinks).
fn field_raw(out: &mut String, label: &str, lines: &[String]) {
    for (i, l) in lines.iter().enumerate() {
        let head = if i == 0 {
            format!("{label}:")
        } else {
            String::new()
        };
        // Pad before colouring: escape codes would otherwise count towards the width.
        let head = format!("{head:<LABEL_WIDTH$}");
        let _ = writeln!(out, "  {} {l}", head.bold());
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hyperlinks_only_when_colour_is_on() {
        colored::control::set_override(false);
        assert_eq!(
            super::hyperlink("https://docs.example/x"),
            "https://docs.example/x"
        );
        colored::control::set_override(true);
        let on = super::hyperlink("https://docs.example/x");
        colored::control::unset_override();
        if std::env::var_os("TERM").is_none_or(|t| t != "dumb") {
            assert_eq!(
                on,
                "\x1b]8;;https://docs.example/x\x1b\\https://docs.example/x\x1b]8;;\x1b\\"
            );
        }
    }
}
