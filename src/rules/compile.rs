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
    // Built-in rules pass this check in the test suite (`builtin_rules_pass_every_load_check`);
    // a run does not repeat it for each of them (#15).
    let literal = (!src.trusted).then(|| unescape_literals(pattern).to_ascii_lowercase());
    for k in &keywords {
        if k.is_empty() || k.to_ascii_lowercase() != *k {
            errors.push(at(
                kw_off,
                format!("keywords ({id}): {k:?} must be non-empty and lower-case"),
            ));
        } else if literal.as_ref().is_some_and(|l| !l.contains(k.as_str())) {
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
    Ok(Rule {
        id,
        name: spec.name,
        kind: spec.kind.into_inner(),
        keywords,
        pattern: spec.pattern.get_ref().clone(),
        matcher,
        precheck: OnceLock::new(),
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
        verdict_set: spec.verdict,
        confidence_set: spec.confidence.or(checksum.map(|_| Confidence::Checksum)),
        confidence_derived: OnceLock::new(),
        generic: spec.generic || spec.id.get_ref().starts_with("generic."),
        pair: spec.pair.map(|p| {
            let p = p.into_inner();
            (p.rule, p.within)
        }),
        examples: spec.examples,
        negative_examples: spec.negative_examples,
        weak_examples: spec.weak_examples,
        references: spec.references,
        origin: Origin {
            path: src.path.clone(),
            line: line_of(id_off),
        },
    })
}

impl Rule {
    /// How certain a match of this rule is: as written, else `checksum` when it names one, else
    /// derived from the pattern ([`derive_confidence`]).
    pub fn confidence(&self) -> Confidence {
        self.confidence_set.unwrap_or_else(|| {
            *self.confidence_derived.get_or_init(|| {
                if self.id.starts_with("generic.") {
                    Confidence::KeywordEntropy
                } else {
                    derive_confidence(&self.pattern)
                }
            })
        })
    }

    /// Whether each finding's value decides its verdict: a `generic.*` rule that sets no verdict
    /// blocks a value that clears the strength bar (`validate::strength`) and warns below it.
    pub fn strength_bar(&self) -> bool {
        self.verdict_set.is_none()
            && self.category == Category::Secret
            && self.id.starts_with("generic.")
            && self.confidence() == Confidence::KeywordEntropy
    }

    /// The default verdict: as written, else following confidence (#14, section 4):
    /// - a practice finding warns (policy may raise it);
    /// - `checksum` and `prefix` block: the format is the vendor's, so the value is a credential;
    ///   `low` severity marks test-mode and sandbox keys, which warn;
    /// - `keyword-entropy` blocks at high or critical severity for a vendor rule (its name beside a
    ///   value of the vendor's documented length and alphabet); a `generic.*` rule warns here and
    ///   blocks per finding when the value is strong ([`Rule::judge`]);
    /// - `entropy` alone warns.
    pub fn verdict(&self) -> Verdict {
        if let Some(v) = self.verdict_set {
            return v;
        }
        let certain = match self.confidence() {
            Confidence::Checksum | Confidence::Prefix => self.severity >= Severity::Medium,
            Confidence::KeywordEntropy => !self.strength_bar() && self.severity >= Severity::High,
            Confidence::Entropy => false,
        };
        if self.category == Category::Secret && certain {
            Verdict::Block
        } else {
            Verdict::Warn
        }
    }

    /// The default verdict of one finding of this rule with this value.
    pub fn judge(&self, secret: &str) -> Verdict {
        if self.strength_bar()
            && super::validate::strength::is_strong(secret, self.kind == "generic-password")
        {
            Verdict::Block
        } else {
            self.verdict()
        }
    }
}

/// `prefix` when the secret starts with a literal of three or more characters (`ghp_`, `AKIA`,
/// `-----BEGIN`) or is the password of a URL (`postgres://user:secret@`); otherwise
/// `keyword-entropy`: every rule names a keyword, so a secret without a literal of its own was
/// found beside a name.
pub(super) fn derive_confidence(pattern: &str) -> Confidence {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let Some(at) = pattern.find("(?P<secret>") else {
        return Confidence::KeywordEntropy;
    };
    if pattern[..at].contains("://") {
        return Confidence::Prefix;
    }
    let Ok(hir) = regex_syntax::Parser::new().parse(pattern) else {
        return Confidence::KeywordEntropy;
    };
    let Some(secret) = capture(&hir, "secret") else {
        return Confidence::KeywordEntropy;
    };
    let prefixes = Extractor::new().kind(ExtractKind::Prefix).extract(secret);
    match prefixes.min_literal_len() {
        Some(n) if n >= 3 && prefixes.is_finite() => Confidence::Prefix,
        _ => Confidence::KeywordEntropy,
    }
}

/// The capture group called `name` inside `hir`.
fn capture<'h>(hir: &'h regex_syntax::hir::Hir, name: &str) -> Option<&'h regex_syntax::hir::Hir> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) if c.name.as_deref() == Some(name) => Some(&c.sub),
        HirKind::Capture(c) => capture(&c.sub, name),
        HirKind::Repetition(r) => capture(&r.sub, name),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().find_map(|h| capture(h, name)),
        _ => None,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One rule from `fields` (id, pattern, keywords and anything else; kind `demo` unless given).
    fn rule(fields: &str) -> Rule {
        let kind = if fields.contains("generic-password") {
            "generic-password"
        } else {
            "demo"
        };
        let kind_line = if kind == "demo" {
            "kind = \"demo\"\n"
        } else {
            ""
        };
        let text = format!(
            "[[rule]]\nname = \"n\"\n{kind_line}lifetime = \"unknown\"\nidentity = \"either\"\n{fields}\n\
             [coaching.{kind}]\ntitle = \"t\"\nwhy = \"w\"\nrevoke-console = \"c\"\nrevoke-cli = []\n\
             audit = \"a\"\nstore = \"s\"\nreplace = \"r\"\ndocs = []\n"
        );
        let set = RuleSet::compile(vec![RuleSource {
            path: PathBuf::from("demo.toml"),
            text: text.into(),
            trusted: false,
        }])
        .unwrap();
        set.rules.into_iter().next().unwrap()
    }

    /// The checks a built-in rule skips at load (its regex, compiled lazily; its keywords in
    /// the pattern's text) all pass: the built-in files loaded as a user's files would be.
    #[test]
    fn builtin_rules_pass_every_load_check() {
        let sources = RuleSet::builtin_sources()
            .into_iter()
            .map(|s| RuleSource {
                text: s.text.into_owned().into(),
                trusted: false,
                ..s
            })
            .collect();
        let set = RuleSet::compile(sources).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(set.rules.len(), RuleSet::builtin().unwrap().rules.len());
    }

    #[test]
    fn confidence_follows_what_the_pattern_and_validators_prove() {
        let c = |p: &str| derive_confidence(p);
        assert_eq!(
            c(r"\b(?P<secret>ghp_[A-Za-z0-9]{36})\b"),
            Confidence::Prefix
        );
        assert_eq!(
            c(r"\b(?P<secret>(?P<id>(?:AKIA|ABIA|ACCA)[A-Z2-7]{16}))\b"),
            Confidence::Prefix
        );
        assert_eq!(
            c(r"(?P<secret>-----BEGIN RSA PRIVATE KEY-----[\s\S]*?-----END)"),
            Confidence::Prefix
        );
        assert_eq!(
            c(r"postgres(?:ql)?://[a-z]+:(?P<secret>[^@\s]+)@"),
            Confidence::Prefix
        );
        // A vendor's name beside a value of its shape, no literal of its own.
        assert_eq!(
            c(r"(?i)twilio[^\n]{0,20}(?P<secret>[a-f0-9]{32})\b"),
            Confidence::KeywordEntropy
        );
        // Two characters are not a prefix.
        assert_eq!(
            c(r"(?P<secret>hc[A-Za-z0-9]{22})"),
            Confidence::KeywordEntropy
        );
        let gh = rule(
            "id = \"demo.gh\"\nkeywords = [\"ghp_\"]\npattern = '''(?P<secret>ghp_[A-Za-z0-9]{36})'''\nseverity = \"high\"\nchecksum = \"github-crc32\"",
        );
        assert_eq!(gh.confidence(), Confidence::Checksum);
        let generic = rule(
            "id = \"generic.demo\"\nkeywords = [\"ghp_\"]\npattern = '''(?P<secret>ghp_[A-Za-z0-9]{36})'''\nseverity = \"high\"",
        );
        assert_eq!(generic.confidence(), Confidence::KeywordEntropy);
        let written = rule(
            "id = \"demo.x\"\nkeywords = [\"x\"]\npattern = '''x(?P<secret>[0-9]{9})'''\nseverity = \"high\"\nconfidence = \"entropy\"",
        );
        assert_eq!(written.confidence(), Confidence::Entropy);
        assert_eq!(written.verdict(), Verdict::Warn, "entropy alone warns");
    }

    #[test]
    fn the_default_verdict_follows_confidence_unless_written() {
        let v = |fields: &str| rule(fields).verdict();
        // A documented prefix blocks at medium severity; low marks test keys, which warn.
        let prefixed = "id = \"demo.p\"\nkeywords = [\"abia\"]\npattern = '''\\b(?P<secret>ABIA[A-Z2-7]{16})\\b'''\n";
        assert_eq!(
            v(&format!("{prefixed}severity = \"medium\"")),
            Verdict::Block
        );
        assert_eq!(v(&format!("{prefixed}severity = \"low\"")), Verdict::Warn);
        assert_eq!(
            v(&format!(
                "{prefixed}severity = \"high\"\nverdict = \"warn\""
            )),
            Verdict::Warn
        );
        assert_eq!(
            v(&format!(
                "{prefixed}severity = \"high\"\ncategory = \"practice\""
            )),
            Verdict::Warn
        );
        // A vendor name beside a shape blocks at high, as severity said before.
        let named = "id = \"demo.n\"\nkeywords = [\"demo\"]\npattern = '''demo_key=(?P<secret>[a-f0-9]{32})'''\n";
        assert_eq!(v(&format!("{named}severity = \"high\"")), Verdict::Block);
        assert_eq!(v(&format!("{named}severity = \"medium\"")), Verdict::Warn);
    }

    #[test]
    fn a_generic_finding_blocks_only_a_strong_value() {
        let password = rule(
            "id = \"generic.pw\"\nkind = \"generic-password\"\nkeywords = [\"pass\"]\npattern = '''pass=(?P<secret>\\S+)'''\nseverity = \"high\"",
        );
        assert!(password.strength_bar());
        assert_eq!(password.verdict(), Verdict::Warn);
        assert_eq!(password.judge("N8v#q2Lx7Rm4wQ"), Verdict::Block);
        assert_eq!(password.judge("Spring2023!"), Verdict::Warn);
        assert_eq!(password.judge("Welcome2024!#"), Verdict::Warn);
        // A written verdict is kept whatever the value.
        let written = rule(
            "id = \"generic.pw2\"\nkeywords = [\"pass\"]\npattern = '''pass=(?P<secret>\\S+)'''\nseverity = \"high\"\nverdict = \"warn\"",
        );
        assert!(!written.strength_bar());
        assert_eq!(written.judge("N8v#q2Lx7Rm4wQ"), Verdict::Warn);
    }

    #[test]
    fn built_in_rules_get_the_confidence_their_format_proves() {
        let set = RuleSet::builtin().unwrap();
        let conf = |id: &str| set.get(id).unwrap().confidence();
        assert_eq!(conf("github.pat-classic"), Confidence::Checksum);
        assert_eq!(conf("openai.project-key"), Confidence::Checksum);
        assert_eq!(conf("aws.access-key-id"), Confidence::Prefix);
        assert_eq!(conf("aws.bearer-token-id"), Confidence::Prefix);
        assert_eq!(conf("aws.context-credential-id"), Confidence::Prefix);
        assert_eq!(conf("keys.rsa-private-key"), Confidence::Prefix);
        assert_eq!(conf("database.postgres-url"), Confidence::Prefix);
        assert_eq!(conf("twilio.auth-token"), Confidence::KeywordEntropy);
        assert_eq!(conf("generic.password-quoted"), Confidence::KeywordEntropy);
        for r in &set.rules {
            if r.checksum.is_some() {
                assert_eq!(r.confidence(), Confidence::Checksum, "{}", r.id);
            }
            // Every generic rule is judged by its value, unless it writes its verdict.
            if r.id.starts_with("generic.") && r.verdict_set.is_none() {
                assert!(r.strength_bar(), "{}", r.id);
            }
        }
        // The AWS IAM prefixes block alike (#14: ABIA and ACCA warned before).
        for id in [
            "aws.access-key-id",
            "aws.session-key-id",
            "aws.bearer-token-id",
            "aws.context-credential-id",
        ] {
            assert_eq!(set.get(id).unwrap().verdict(), Verdict::Block, "{id}");
        }
    }
}
