//! Filling a rule's command templates with the public identifiers of each finding.
use crate::finding::Finding;
use std::collections::HashSet;

/// Most distinct fillings of one template shown; the rest are counted (JSON lists every finding).
pub const MAX_FILLED: usize = 10;

/// Fills `{name}` placeholders from each finding's identifiers: one line per distinct filling, the
/// first [`MAX_FILLED`] of them. A placeholder no finding can fill is shown as `<name>`.
pub(super) fn fill_for_each(template: &str, findings: &[&Finding]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    let mut more = 0usize;
    for f in findings {
        let line = fill(template, f);
        if seen.contains(&line) {
            continue;
        }
        if out.len() < MAX_FILLED {
            out.push(line.clone());
        } else {
            more += 1;
        }
        seen.insert(line);
    }
    if out.is_empty() {
        out.push(fill_missing(template));
    }
    if more > 0 {
        out.push(format!(
            "# and {more} more like it (coach scan --format json lists every finding)"
        ));
    }
    out
}

fn fill(template: &str, f: &Finding) -> String {
    let mut s = template.to_owned();
    // Identifiers sit inside SQL strings, URLs and double quotes in the templates, where no one
    // quoting style is right: only plain values are filled in, anything else stays `<name>`.
    for (k, v) in &f.identifiers {
        if is_plain_identifier(v) {
            s = s.replace(&format!("{{{k}}}"), v);
        }
    }
    s = s.replace("{path}", &quote(&f.path));
    fill_missing(&s)
}

/// True for values that mean the same in every shell, SQL and URL context the templates use.
fn is_plain_identifier(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-+@:/".contains(c))
}

/// `{name}` becomes `<name>`, except after `%` or `$`: `curl -w "%{http_code}"` and `${VAR}` are
/// shell and curl syntax, not placeholders.
pub(super) fn fill_missing(s: &str) -> String {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(^|[^%$])\{([a-z][a-z0-9_-]*)\}").expect("static pattern")
    });
    RE.replace_all(s, "$1<$2>").into_owned()
}

/// A path as one inert shell word. Git paths cannot hold NUL, the only thing `shlex` refuses; were
/// one to appear, a placeholder is printed rather than a command that would do something else.
pub(super) fn quote(path: &str) -> String {
    shlex::try_quote(path).map_or_else(|_| "<path>".to_owned(), std::borrow::Cow::into_owned)
}
