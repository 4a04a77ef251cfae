//! The human report: one block per credential kind (findings listed, coaching printed once), notices,
//! errors, then one summary line. Colour only when asked for or on a terminal; snapshots are plain.
//! Every string that did not come from coach's own code is passed through [`crate::escape::terminal`].
pub(crate) use super::layout::field;
use super::layout::{columns, field_at, field_raw, style, wrap};
pub use super::layout::{set_style, Style};
use super::Report;
use crate::coaching::{Guidance, Level};
use crate::escape::terminal as esc;
use crate::finding::{kebab, Finding, Verdict};
use colored::Colorize;
use std::fmt::Write as _;

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
    render_with(r, &style())
}

pub fn render_with(r: &Report, style: &Style) -> String {
    let width = columns(style);
    let mut out = String::new();
    // Kinds found in the same files at the same exposure get the same clean-up: print it once, then
    // point back to it (three kinds in one `.env` used to repeat the same steps three times).
    let mut clean_ups_shown: Vec<(&[String], &str)> = Vec::new();
    // Files whose own steps (unstage, untrack, ignore) were printed, at which exposure.
    let mut files_shown: Vec<(&str, crate::finding::Exposure)> = Vec::new();
    // Kinds shown in the short form: the end of the report names where the rest is.
    let mut shortened: Vec<&str> = Vec::new();
    for g in &r.guidance {
        let members: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.kind == g.kind && f.verdict != Verdict::Allow)
            .collect();
        let Some(worst) = members.iter().map(|f| f.verdict).max() else {
            continue;
        };
        // A first-time, unpushed finding gets the few steps that matter now; a repeat or a
        // pushed secret (Level::Full) gets everything, as does --verbose.
        let long = style.verbose || g.level == Level::Full;
        let first = members[0];
        header(&mut out, width, worst, g, first, long);
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
            // A weaker member of a blocked kind says so (a generic value below the strength bar).
            let weaker = if f.verdict < worst { " (warn)" } else { "" };
            let _ = writeln!(
                out,
                "  {}:{}:{}  {}  {}  {}{weaker}",
                esc(&f.path),
                f.line,
                f.column,
                esc(&f.rule_id),
                esc(&f.redacted.to_string()),
                f.exposure.as_str()
            );
            if let Some(c) = &f.commit {
                let short = esc(&c.id[..c.id.len().min(12)]);
                let line = format!(
                    "added in commit {short} by {} <{}> on {}: {}",
                    esc(&c.author),
                    esc(&c.email),
                    crate::time::rfc3339(c.time),
                    esc(&c.summary)
                );
                for (i, l) in wrap(&line, width.saturating_sub(6)).iter().enumerate() {
                    let _ = writeln!(out, "{}{l}", if i == 0 { "    " } else { "      " });
                }
            }
            if let Some(role) = &f.role {
                let _ = writeln!(out, "    role: {}", esc(role));
            }
        }
        not_listed(&mut out, hidden, &format!("{} finding", esc(&g.kind)));
        if style.quiet {
            out.push('\n');
            continue;
        }
        if long {
            out.push('\n');
        }
        if let Some(h) = &g.history {
            field_at(&mut out, width, "Again", std::slice::from_ref(h), long);
        }
        if long {
            field_at(&mut out, width, "Why", std::slice::from_ref(&g.why), long);
        }
        // Lead with what is true now: a secret that never left the machine is cleaned up first and
        // revoked only if shared; a pushed one is revoked first.
        let seen = clean_ups_shown
            .iter()
            .find(|(lines, _)| !g.clean_up.is_empty() && *lines == g.clean_up.as_slice())
            .map(|(_, title)| *title);
        let same_as_above;
        let clean_up: &[String] = match seen {
            Some(title) => {
                same_as_above = vec![format!("The same clean-up as for the {title} above.")];
                &same_as_above
            }
            None => {
                clean_ups_shown.push((&g.clean_up, &g.title));
                same_as_above = once_per_file(g, &mut files_shown);
                &same_as_above
            }
        };
        if g.exposure >= crate::finding::Exposure::Pushed {
            field_at(&mut out, width, "Do now", &g.do_now, long);
            field_at(&mut out, width, after_revoking(g), clean_up, long);
        } else if long {
            field_at(&mut out, width, "Do now", clean_up, long);
            field_at(&mut out, width, "If shared", &g.do_now, long);
        } else {
            field_at(&mut out, width, "Do now", clean_up, long);
            field_at(&mut out, width, "If shared", &[if_shared_short(g)], long);
        }
        if !g.roles.is_empty() {
            field_at(&mut out, width, "Your role", &g.roles, long);
        }
        if !long {
            shortened.push(&g.kind);
            out.push('\n');
            continue;
        }
        field_at(
            &mut out,
            width,
            "Move it",
            std::slice::from_ref(&g.move_it),
            long,
        );
        field_at(
            &mut out,
            width,
            "Replace with",
            std::slice::from_ref(&g.replace_with),
            long,
        );
        if let Some(a) = &g.check_for_abuse {
            field_at(
                &mut out,
                width,
                "Check abuse",
                &a.lines().map(str::to_owned).collect::<Vec<_>>(),
                long,
            );
        }
        if let Some(m) = &g.machine_identity {
            field_at(&mut out, width, "Machine id", std::slice::from_ref(m), long);
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
    if !shortened.is_empty() {
        // Kinds can come from a repository's rules file: each is one quoted shell word.
        let kinds: Vec<String> = shortened
            .iter()
            .map(|k| {
                shlex::try_quote(&esc(k))
                    .map_or_else(|_| "<kind>".to_owned(), std::borrow::Cow::into_owned)
            })
            .collect();
        for l in wrap(
            "The full guidance (why, revocation commands, where to keep it, docs), or rerun coach scan with --verbose:",
            width,
        ) {
            let _ = writeln!(out, "{l}");
        }
        let _ = writeln!(out, "  $ coach explain {}", kinds.join(" "));
        out.push('\n');
    }
    if style.quiet {
        // What coach did not read is never silent, even when asked to be quiet: one line counts it.
        if !r.notices.is_empty() {
            let _ = writeln!(
                out,
                "{} {} note{} (what was not scanned, and why) hidden by --quiet",
                "note:".cyan(),
                r.notices.len(),
                plural(r.notices.len())
            );
        }
    } else {
        allowed(&mut out, r);
        notes(&mut out, r, style.verbose, width);
    }
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

/// The label of the steps after revocation: a CI log has nothing to clean up in Git, its steps
/// are the pipeline owner's (mask the value, stop the print).
fn after_revoking(g: &Guidance) -> &'static str {
    if g.exposure == crate::finding::Exposure::CiLog {
        "Then"
    } else {
        "Clean up"
    }
}

/// A kind's clean-up with the steps of a file already printed for another kind replaced by one
/// line pointing back to them: a `.env` holding three kinds gets its steps once.
fn once_per_file<'a>(
    g: &'a Guidance,
    shown: &mut Vec<(&'a str, crate::finding::Exposure)>,
) -> Vec<String> {
    let mut out = Vec::with_capacity(g.clean_up.len());
    for (i, line) in g.clean_up.iter().enumerate() {
        match g
            .clean_up_files
            .iter()
            .find(|f| (f.first..f.end).contains(&i))
        {
            Some(f) if shown.contains(&(f.path.as_str(), f.exposure)) => {
                if i == f.first {
                    out.push(format!("{}: its steps are above.", f.path));
                }
            }
            _ => out.push(line.clone()),
        }
    }
    for f in &g.clean_up_files {
        if !shown.contains(&(f.path.as_str(), f.exposure)) {
            shown.push((&f.path, f.exposure));
        }
    }
    out
}

/// The kind's first line: verdict, title and kind; the long form adds lifetime and identity. The
/// bracket moves to its own line when the terminal is too narrow for both.
fn header(
    out: &mut String,
    width: usize,
    worst: Verdict,
    g: &Guidance,
    first: &Finding,
    long: bool,
) {
    let about = if long {
        format!(
            "({} · {} · {} identity)",
            esc(&g.kind),
            kebab(&first.lifetime),
            kebab(&first.identity)
        )
    } else {
        format!("({})", esc(&g.kind))
    };
    let title = esc(&g.title);
    let plain = format!("{} {title}  {about}", badge_text(worst));
    if plain.chars().count() <= width {
        let _ = writeln!(out, "{} {}  {about}", badge(worst), title.bold());
    } else {
        let _ = writeln!(out, "{} {}", badge(worst), title.bold());
        let _ = writeln!(out, "  {about}");
    }
}

/// The short form's "If shared": one sentence saying when, then the console step's first sentence
/// (the CLI commands and the rest are in `coach explain`).
fn if_shared_short(g: &Guidance) -> String {
    match g.do_now.as_slice() {
        [first, console, ..] if first == crate::coaching::IF_SHARED => format!(
            "Only if it was also pasted or sent elsewhere (chat, ticket, CI log, AI tool): {}",
            first_sentence(console)
        ),
        [first, ..] => first.clone(),
        [] => String::new(),
    }
}

/// Up to the first ". " that ends a sentence (followed by a capital letter).
fn first_sentence(s: &str) -> &str {
    let b = s.as_bytes();
    for (i, w) in b.windows(3).enumerate() {
        if w[0] == b'.' && w[1] == b' ' && w[2].is_ascii_uppercase() {
            return &s[..=i];
        }
    }
    s
}

fn allowed(out: &mut String, r: &Report) {
    let allowed: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.verdict == Verdict::Allow)
        .collect();
    if allowed.is_empty() {
        return;
    }
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
    not_listed(out, unlisted, "allowed finding");
    out.push('\n');
}

/// Notices at least this many times with the same reason are summarised in one line.
const SUMMARISE_FROM: usize = 3;

/// Notices: an identical one once; by default also once per path and reason (one allow comment
/// seen in several commits is one note), and a reason shared by many paths in one line with a count.
/// `--verbose` lists each.
fn notes(out: &mut String, r: &Report, verbose: bool, width: usize) {
    let mut seen = std::collections::HashSet::new();
    let distinct: Vec<&crate::source::Notice> = r
        .notices
        .iter()
        .filter(|n| {
            let commit = if verbose { n.commit.as_deref() } else { None };
            seen.insert((n.path.as_str(), commit, n.reason.as_str()))
        })
        .collect();
    let mut by_reason: Vec<(&str, Vec<&crate::source::Notice>)> = Vec::new();
    for n in &distinct {
        match by_reason.iter_mut().find(|(reason, _)| *reason == n.reason) {
            Some((_, v)) => v.push(n),
            None => by_reason.push((&n.reason, vec![n])),
        }
    }
    let mut lines: Vec<String> = Vec::new();
    for (reason, group) in &by_reason {
        if !verbose && group.len() >= SUMMARISE_FROM {
            lines.push(format!(
                "{}: {} files, first {} (coach scan --verbose lists them)",
                esc(reason),
                group.len(),
                esc(&group[0].path)
            ));
            continue;
        }
        for n in group {
            let at = n.commit.as_ref().map_or(String::new(), |c| {
                format!(" @{}", esc(&c[..c.len().min(12)]))
            });
            lines.push(format!("{}{at}: {}", esc(&n.path), esc(&n.reason)));
        }
    }
    let unlisted = lines.len().saturating_sub(MAX_LISTED_NOTES);
    for l in lines.into_iter().take(MAX_LISTED_NOTES) {
        for (i, part) in wrap(&l, width.saturating_sub(6)).iter().enumerate() {
            if i == 0 {
                let _ = writeln!(out, "{} {part}", "note:".cyan());
            } else {
                let _ = writeln!(out, "      {part}");
            }
        }
    }
    not_listed(out, unlisted, "note");
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

fn badge_text(v: Verdict) -> &'static str {
    match v {
        Verdict::Block => "✖ BLOCK",
        Verdict::Warn => "▲ WARN",
        Verdict::Allow => "✓ ALLOW",
    }
}

fn badge(v: Verdict) -> String {
    match v {
        Verdict::Block => "✖ BLOCK".red().bold().to_string(),
        Verdict::Warn => "▲ WARN".yellow().bold().to_string(),
        Verdict::Allow => "✓ ALLOW".green().to_string(),
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
