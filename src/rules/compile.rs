//! One rule as written to one compiled [`Rule`]: field checks (each error names file, line and
//! field), the path filter, and the regex checks a rule from outside the binary must pass.
use super::*;

pub(super) fn compile_rule(
    spec: spec::RuleSpec,
    src: &RuleSource,
    line_of: &dyn Fn(usize) -> usize,
) -> Result<Rule, Vec<Error>> {
    let mut errors = Vec::new();
    let at = |off: usize, msg: String| Error::at_offset(&src.path, &src.text, off, msg);
    let id = spec.id.get_ref().clone();
    let id_off = spec.id.span().start;
    let valid_id = !id.is_empty()
        && id.len() <= 40
        && id.contains('.')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    if !valid_id {
        errors.push(at(
            id_off,
            format!("id: {id:?} must be <provider>.<kind>: lower-case letters, digits, '.', '-', at most 40 characters"),
        ));
    }
    let pat_off = spec.pattern.span().start;
    let pattern = spec.pattern.get_ref();
    let matcher = OnceLock::new();
    if !src.trusted {
        let compiled = Matcher::new(pattern);
        if let Err(e) = &compiled {
            errors.push(at(pat_off, format!("pattern ({id}): {e}")));
        }
        let _ = matcher.set(compiled);
    }
    let kw_off = spec.keywords.span().start;
    let keywords = spec.keywords.into_inner();
    if keywords.is_empty() {
        errors.push(at(
            kw_off,
            format!("keywords ({id}): at least one keyword is required"),
        ));
    }
    let literal = unescape_literals(pattern).to_ascii_lowercase();
    for k in &keywords {
        if k.is_empty() || k.to_ascii_lowercase() != *k {
            errors.push(at(
                kw_off,
                format!("keywords ({id}): {k:?} must be non-empty and lower-case"),
            ));
        } else if !literal.contains(k.as_str()) {
            errors.push(at(
                kw_off,
                format!("keywords ({id}): {k:?} does not occur in the pattern's literal text"),
            ));
        }
    }
    let checksum = match &spec.checksum {
        None => None,
        Some(c) => match Checksum::from_name(c.get_ref()) {
            Some(c) => Some(c),
            None => {
                errors.push(at(
                    c.span().start,
                    format!(
                        "checksum ({id}): unknown validator {:?}; expected one of {}",
                        c.get_ref(),
                        Checksum::NAMES.join(", ")
                    ),
                ));
                None
            }
        },
    };
    let paths = match build_path_filter(&spec.paths) {
        Ok(p) => p,
        Err(msg) => {
            errors.push(at(id_off, format!("paths ({id}): {msg}")));
            None
        }
    };
    if let Some(e) = spec.min_entropy {
        if !(0.0..=8.0).contains(&e) {
            errors.push(at(
                id_off,
                format!("min-entropy ({id}): {e} is outside 0..8 bits per character"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let verdict = spec
        .verdict
        .unwrap_or(match (spec.category, spec.severity) {
            (Category::Secret, Severity::Critical | Severity::High) => Verdict::Block,
            _ => Verdict::Warn,
        });
    Ok(Rule {
        id,
        name: spec.name,
        kind: spec.kind.into_inner(),
        keywords,
        pattern: spec.pattern.get_ref().clone(),
        matcher,
        min_entropy: spec.min_entropy,
        checksum,
        stop_words: spec
            .stop_words
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect(),
        paths,
        lifetime: spec.lifetime,
        identity: spec.identity,
        severity: spec.severity,
        category: spec.category,
        verdict,
        generic: spec.generic || spec.id.get_ref().starts_with("generic."),
        pair: spec.pair.map(|p| {
            let p = p.into_inner();
            (p.rule, p.within)
        }),
        examples: spec.examples,
        negative_examples: spec.negative_examples,
        references: spec.references,
        origin: Origin {
            path: src.path.clone(),
            line: line_of(id_off),
        },
    })
}

/// The pattern with `\.`-style escapes of punctuation removed, so keyword `hooks.slack.com` is
/// found in `hooks\.slack\.com`.
fn unescape_literals(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if !n.is_ascii_alphanumeric() {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

fn build_path_filter(globs: &[String]) -> Result<Option<PathFilter>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut include = GlobSetBuilder::new();
    let mut exclude = GlobSetBuilder::new();
    let mut sample = None;
    for g in globs {
        let (neg, pat) = g
            .strip_prefix('!')
            .map_or((false, g.as_str()), |p| (true, p));
        let glob = globset::GlobBuilder::new(pat)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("{g:?}: {e}"))?;
        if neg {
            exclude.add(glob);
        } else {
            if sample.is_none() {
                sample = Some(
                    pat.trim_start_matches("**/")
                        .replace("**", "x")
                        .replace(['*', '?'], "x"),
                );
            }
            include.add(glob);
        }
    }
    Ok(Some(PathFilter {
        include: include.build().map_err(|e| e.to_string())?,
        exclude: exclude.build().map_err(|e| e.to_string())?,
        sample: sample.ok_or("needs at least one glob that is not an exclude")?,
    }))
}
