//! Laying out the human report: the width prose is wrapped to, and labelled blocks whose prose
//! wraps between words while a `$ command` is never broken (it must run as printed).
use crate::escape::terminal as esc;
use colored::Colorize;
use std::fmt::Write as _;

/// The widest label ("Replace with:") and its colon.
const LABEL_WIDTH: usize = 13;

/// How the human report is laid out. The command line sets it once ([`set_style`]), as it sets
/// colour; tests pass their own to [`render_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// The long form for every kind, and every notice listed.
    pub verbose: bool,
    /// Findings and the verdict line only (and errors, which explain an exit 2).
    pub quiet: bool,
    /// Columns to wrap prose to; `None`: `COLUMNS`, else the terminal's width, else 80.
    pub width: Option<usize>,
}

static STYLE: std::sync::RwLock<Style> = std::sync::RwLock::new(Style {
    verbose: false,
    quiet: false,
    width: None,
});

/// Sets the layout [`render`] uses for the rest of the run.
pub fn set_style(style: Style) {
    *STYLE
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = style;
}

pub(super) fn style() -> Style {
    *STYLE
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The columns prose is wrapped to: the style's, `COLUMNS`, or the terminal of stdout or stderr
/// (hooks write to stderr); never under 40, so a bogus value cannot stack words one a line. Output
/// to no terminal (a file, a CI log, a pipe) is not wrapped: whatever shows it wraps it.
pub(super) fn columns(style: &Style) -> usize {
    style
        .width
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .or_else(|| {
            terminal_size::terminal_size()
                .or_else(|| terminal_size::terminal_size_of(std::io::stderr()))
                .map(|(w, _)| usize::from(w.0))
        })
        .map_or(usize::MAX / 2, |w| w.clamp(40, 1000))
}

/// One labelled block of guidance: the label on the first line, the rest aligned under it, prose
/// wrapped to the terminal. Lines are escaped here: guidance holds paths, commit subjects and text
/// from rule and config files.
pub(crate) fn field(out: &mut String, label: &str, lines: &[String]) {
    field_at(out, columns(&style()), label, lines, true);
}

/// [`field`] at a given width. A `$ command` line is never broken; its trailing `# comment` stays
/// beside it when it fits, else goes on lines of its own (`long`) or is left out (the short form,
/// whose long form is one `coach explain` away).
pub(super) fn field_at(out: &mut String, width: usize, label: &str, lines: &[String], long: bool) {
    let avail = width.saturating_sub(LABEL_WIDTH + 3).max(20);
    let mut rows: Vec<String> = Vec::new();
    for l in lines {
        let l = esc(l);
        if let Some(cmd) = l.strip_prefix("$ ") {
            let (cmd, comment) = split_comment(cmd);
            let whole = match comment {
                Some(c) => format!("$ {cmd}  # {c}"),
                None => format!("$ {cmd}"),
            };
            if whole.chars().count() <= avail {
                rows.push(whole);
                continue;
            }
            rows.push(format!("$ {cmd}"));
            if let (Some(c), true) = (comment, long) {
                rows.extend(
                    wrap(c, avail.saturating_sub(2))
                        .into_iter()
                        .map(|p| format!("# {p}")),
                );
            }
        } else {
            rows.extend(wrap(&l, avail));
        }
    }
    field_raw(out, label, &rows);
}

/// A command and the comment after it (`cmd  # why`): the first ` # ` outside quotes.
fn split_comment(cmd: &str) -> (&str, Option<&str>) {
    let (mut single, mut double) = (false, false);
    let b = cmd.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'#' if !single && !double && i > 0 && b[i - 1] == b' ' => {
                return (cmd[..i].trim_end(), Some(cmd[i + 1..].trim_start()));
            }
            _ => {}
        }
    }
    (cmd, None)
}

/// Prose wrapped to `width` columns, breaking only between words; text in backticks (an inline
/// command) is kept whole.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    const NBSP: char = '\u{a0}';
    let mut kept = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
        }
        kept.push(if in_code && c == ' ' { NBSP } else { c });
    }
    // Never at a hyphen either: `aws-actions/...` and `--flag` are names, not words.
    let options = textwrap::Options::new(width.max(1))
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(&kept, options)
        .into_iter()
        .map(|l| l.replace(NBSP, " "))
        .collect()
}

/// [`field`] for lines that are already escaped and laid out, which may hold coach's own sequences
/// (hyperlinks).
pub(super) fn field_raw(out: &mut String, label: &str, lines: &[String]) {
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
    use super::*;

    #[test]
    fn prose_wraps_between_words_never_inside_an_inline_command_or_at_a_hyphen() {
        let lines = wrap(
            "Or by hand: `git rebase -i abc~1`, mark it 'edit', with aws-actions/configure-aws-credentials",
            20,
        );
        assert!(
            lines.iter().any(|l| l == "`git rebase -i abc~1`,"),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l == "aws-actions/configure-aws-credentials"),
            "{lines:?}"
        );
        assert!(lines.iter().all(|l| !l.contains('\u{a0}')), "{lines:?}");
    }

    #[test]
    fn a_comment_is_split_off_only_outside_quotes() {
        assert_eq!(
            split_comment("printf '%s # x' f  # why"),
            ("printf '%s # x' f", Some("why"))
        );
        assert_eq!(split_comment(r#"echo "a # b""#), (r#"echo "a # b""#, None));
    }

    #[test]
    fn a_command_is_never_broken_and_its_comment_moves_or_goes() {
        let cmd = vec![
            "$ git check-ignore -q -- .env || { printf '%s\\n' .env >> .gitignore; }  # ignore it"
                .to_owned(),
        ];
        let mut long = String::new();
        field_at(&mut long, 40, "Do now", &cmd, true);
        assert!(
            long.lines().next().unwrap().ends_with(">> .gitignore; }"),
            "{long}"
        );
        assert!(
            long.lines()
                .nth(1)
                .unwrap()
                .trim_start()
                .starts_with("# ignore it"),
            "{long}"
        );
        let mut short = String::new();
        field_at(&mut short, 40, "Do now", &cmd, false);
        assert_eq!(short.lines().count(), 1, "{short}");
    }
}
