//! `coach rules list | explain | check`. `check` proves each rule through the whole pipeline: every
//! example must produce the rule's finding, no negative example may.
use crate::cli::{Cli, RulesCommand};
use crate::error::ExitStatus;
use crate::escape::terminal_lines as esc_lines;
use crate::finding::{
    kebab, Category, Exposure, FingerprintKey, Identity, Lifetime, Severity, Verdict,
};
use crate::report::human::field;
use crate::rules::{Rule, RuleSet};
use crate::scan::{EngineRule, Scanner, ENGINE_RULES};
use crate::source::{Region, ScanUnit};
use crate::{config, load_rules, report, rule_sources};
use anyhow::Result;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

/// `coach rules list | explain | check`.
pub(crate) fn run(cli: &Cli, cmd: &RulesCommand) -> Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    match cmd {
        RulesCommand::List => {
            let rules = load_rules(cli.rules_dir.as_deref(), &[], None)?;
            let text = list(&rules);
            report::write_all(&mut out, &text)?;
            Ok(ExitStatus::Allow)
        }
        RulesCommand::Explain { id } => {
            let rules = load_rules(cli.rules_dir.as_deref(), &[], None)?;
            let text = explain(&rules, id)?;
            report::write_all(&mut out, &text)?;
            Ok(ExitStatus::Allow)
        }
        RulesCommand::Check { files } => {
            // Files named on the command line are the person's own choice: trusted.
            let extra: Vec<config::ExtraRules> = files
                .iter()
                .map(|f| config::ExtraRules {
                    path: f.clone(),
                    trust: config::Trust::Trusted,
                })
                .collect();
            let (rules, load_errors) =
                RuleSet::compile_lenient(rule_sources(cli.rules_dir.as_deref(), &extra, None)?);
            let only: Vec<PathBuf> = files.clone();
            let mut problems: Vec<String> = load_errors.iter().map(ToString::to_string).collect();
            problems.extend(check(&rules, &only));
            for p in &problems {
                eprintln!("{}", esc_lines(p));
            }
            // Stale facts warn, never fail: a vendor page that moved is not a broken rule file.
            let stale = stale_coaching(&rules, &only, crate::time::now());
            for w in &stale {
                eprintln!("warning: {}", esc_lines(w));
            }
            let checked = rules
                .rules
                .iter()
                .filter(|r| {
                    only.is_empty()
                        || only
                            .iter()
                            .any(|f| f.file_name() == r.origin.path.file_name())
                })
                .count();
            if problems.is_empty() {
                let warned = if stale.is_empty() {
                    String::new()
                } else {
                    format!(
                        " ({} coaching table{} due for checking, listed above)",
                        stale.len(),
                        if stale.len() == 1 { "" } else { "s" }
                    )
                };
                let _ = writeln!(
                    out,
                    "coach rules check: {checked} rules, {} coached kinds: ok{warned}",
                    rules.coaching.len()
                );
                Ok(ExitStatus::Allow)
            } else {
                eprintln!(
                    "coach rules check: {} problem(s) in {checked} rules",
                    problems.len()
                );
                Ok(ExitStatus::Error)
            }
        }
    }
}

/// One line per rule (the rules files' and the engine's own), aligned, sorted by id.
pub fn list(rules: &RuleSet) -> String {
    let mut sorted: Vec<[String; 7]> = rules
        .rules
        .iter()
        .map(|r| {
            [
                r.id.clone(),
                r.kind.clone(),
                kebab(&r.lifetime),
                kebab(&r.identity),
                kebab(&r.severity),
                // `block*`: judged by its value (the footnote below).
                if r.strength_bar() {
                    "block*".to_owned()
                } else {
                    r.verdict().as_str().to_owned()
                },
                kebab(&r.category),
            ]
        })
        .chain(ENGINE_RULES.iter().map(|r| {
            [
                r.id.to_owned(),
                r.kind.to_owned(),
                kebab(&r.lifetime),
                kebab(&r.identity),
                kebab(&r.severity),
                r.verdict.as_str().to_owned(),
                kebab(&r.category),
            ]
        }))
        .collect();
    sorted.sort();
    let w = sorted.iter().map(|r| r[0].len()).max().unwrap_or(2).max(2);
    let kw = sorted.iter().map(|r| r[1].len()).max().unwrap_or(4).max(4);
    let mut out = format!(
        "{:<w$}  {:<kw$}  {:<11}  {:<8}  {:<8}  {:<7}  {}\n",
        "id", "kind", "lifetime", "identity", "severity", "verdict", "category"
    );
    for [id, kind, lifetime, identity, severity, verdict, category] in &sorted {
        let _ = writeln!(
            out,
            "{id:<w$}  {kind:<kw$}  {lifetime:<11}  {identity:<8}  {severity:<8}  {verdict:<7}  {category}"
        );
    }
    if rules.rules.iter().any(crate::rules::Rule::strength_bar) {
        out.push_str("block*: blocks a value that clears the strength bar, warns below it\n");
    }
    let _ = writeln!(
        out,
        "{} rules, {} credential kinds",
        sorted.len(),
        rules.coaching.len()
    );
    out
}

/// The rule and its full coaching, as a person reads it.
pub fn explain(rules: &RuleSet, id: &str) -> anyhow::Result<String> {
    if let Some(r) = ENGINE_RULES.iter().find(|r| r.id == id || r.kind == id) {
        return Ok(explain_engine(rules, r));
    }
    let rule = rules
        .get(id)
        .or_else(|| rules.rules.iter().find(|r| r.kind == id))
        .ok_or_else(|| {
            crate::error::Error::Usage(format!("no rule or kind {id:?}; see `coach rules list`"))
        })?;
    let spec = rules
        .coaching(&rule.kind)
        .expect("compile checks every kind is coached");
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", rule.id, rule.name);
    out.push_str(&kind_line(
        &rule.kind,
        &spec.title,
        rule.lifetime,
        rule.identity,
        rule.severity,
        &verdict_text(rule),
        rule.confidence(),
    ));
    let _ = writeln!(out, "defined at {}", rule.origin);
    out.push('\n');
    coaching_fields(&mut out, spec);
    if !rule.references.is_empty() {
        field(&mut out, "References", &rule.references);
    }
    frameworks(&mut out, &rule.kind, rule.category, rule.lifetime);
    Ok(out)
}

/// The line under a rule's name: its kind, lifetime, identity, severity, default verdict and
/// confidence.
fn kind_line(
    kind: &str,
    title: &str,
    lifetime: Lifetime,
    identity: Identity,
    severity: Severity,
    verdict: &str,
    confidence: crate::finding::Confidence,
) -> String {
    format!(
        "kind: {kind} ({title})  lifetime: {}  identity: {}  severity: {}  default verdict: {verdict}  confidence: {}\n",
        kebab(&lifetime),
        kebab(&identity),
        kebab(&severity),
        confidence.as_str()
    )
}

/// A rule's default verdict in words; a rule judged by its value says so (`Rule::judge`).
fn verdict_text(rule: &crate::rules::Rule) -> String {
    if rule.strength_bar() {
        "block a strong value, else warn".into()
    } else {
        rule.verdict().as_str().into()
    }
}

/// The control references a security team maps the kind to (`tags`), one line.
fn frameworks(out: &mut String, kind: &str, category: Category, lifetime: Lifetime) {
    let tags = crate::tags::for_kind(kind, category, lifetime);
    let tags: Vec<String> = tags.iter().map(crate::tags::Tag::label).collect();
    field(out, "Frameworks", &[tags.join(" · ")]);
}

/// Why, what to do now, where to keep it, what to use instead, how to check for abuse.
fn coaching_fields(out: &mut String, spec: &crate::rules::spec::CoachingSpec) {
    field(out, "Why", std::slice::from_ref(&spec.why));
    let mut do_now = vec![spec.revoke_console.clone()];
    do_now.extend(spec.revoke_cli.iter().map(|c| format!("$ {c}")));
    field(out, "Do now", &do_now);
    field(out, "Move it", std::slice::from_ref(&spec.store));
    field(out, "Replace with", std::slice::from_ref(&spec.replace));
    field(out, "Check abuse", std::slice::from_ref(&spec.audit));
    if let Some(m) = &spec.machine {
        field(out, "Machine id", std::slice::from_ref(m));
    }
    field(out, "Docs", &spec.docs);
    let verified = match &spec.verified {
        Some(v) => format!("{}, against the docs above", v.get_ref()),
        None => {
            "no date recorded: check these facts against the docs before relying on them".into()
        }
    };
    field(out, "Verified", &[verified]);
}

/// An engine-made finding, explained like a rule.
fn explain_engine(rules: &RuleSet, r: &EngineRule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", r.id, r.name);
    let title = rules.coaching(r.kind).map_or("", |s| s.title.as_str());
    out.push_str(&kind_line(
        r.kind,
        title,
        r.lifetime,
        r.identity,
        r.severity,
        r.verdict.as_str(),
        r.confidence,
    ));
    let _ = writeln!(out, "built into the engine: {}", r.detects);
    out.push('\n');
    if let Some(spec) = rules.coaching(r.kind) {
        coaching_fields(&mut out, spec);
    }
    frameworks(&mut out, r.kind, r.category, r.lifetime);
    out
}

/// Every problem with the rules (restricted to rules from `only` files when given).
pub fn check(rules: &RuleSet, only: &[PathBuf]) -> Vec<String> {
    let scanner = Scanner::new(rules, FingerprintKey::from_bytes([0; 32]));
    let selected = |r: &Rule| in_files(only, &r.origin.path);
    let mut problems = Vec::new();
    for rule in rules.rules.iter().filter(|r| selected(r)) {
        let at = &rule.origin;
        if let Err(e) = rule.matcher() {
            problems.push(format!("{at}: {}: pattern: {e}", rule.id));
            continue;
        }
        if rule.examples.len() < 2 {
            problems.push(format!(
                "{at}: {}: examples: at least 2 are required, found {}",
                rule.id,
                rule.examples.len()
            ));
        }
        if rule.negative_examples.len() < 2 {
            problems.push(format!(
                "{at}: {}: negative-examples: at least 2 are required, found {}",
                rule.id,
                rule.negative_examples.len()
            ));
        }
        let path = rule
            .paths
            .as_ref()
            .map_or_else(|| "example.txt".to_owned(), |p| p.sample.clone());
        // In a long file the scanner searches only around keyword hits, as far as the rule's
        // pattern can reach (#15): every example must fire there too. Whole-text rules (anchored
        // to the file's end) are read whole anyway and cannot be padded.
        let windowed = rule
            .matcher()
            .is_ok_and(|m| m.reach != crate::rules::rewrite::Reach::Whole);
        for (i, ex) in rule.examples.iter().enumerate() {
            if !fires(&scanner, rule, &path, ex) {
                problems.push(format!(
                    "{at}: {}: examples[{i}] does not produce a finding: {}",
                    rule.id,
                    diagnose(&scanner, rule, &path, ex)
                ));
            } else if windowed && !fires(&scanner, rule, &path, &padded(ex)) {
                problems.push(format!(
                    "{at}: {}: examples[{i}] produces a finding alone but not inside a long file: the search around its keywords misses it",
                    rule.id
                ));
            }
        }
        for (i, ex) in rule.negative_examples.iter().enumerate() {
            if fires(&scanner, rule, &path, ex) {
                problems.push(format!(
                    "{at}: {}: negative-examples[{i}] produces a finding",
                    rule.id
                ));
            }
        }
        if !rule.weak_examples.is_empty() && !rule.strength_bar() {
            problems.push(format!(
                "{at}: {}: weak-examples: only a generic.* rule without a verdict is judged by its value",
                rule.id
            ));
        }
        for (i, ex) in rule.weak_examples.iter().enumerate() {
            if let Some(v) = strongest(&scanner, rule, &path, ex) {
                if v != Verdict::Warn {
                    problems.push(format!(
                        "{at}: {}: weak-examples[{i}] {}s: its value clears the strength bar",
                        rule.id,
                        v.as_str()
                    ));
                }
            } else {
                problems.push(format!(
                    "{at}: {}: weak-examples[{i}] does not produce a finding: {}",
                    rule.id,
                    diagnose(&scanner, rule, &path, ex)
                ));
            }
        }
        if rule.category == crate::finding::Category::Practice && rule.verdict() == Verdict::Block {
            problems.push(format!(
                "{at}: {}: verdict: practice rules warn; policy may raise them",
                rule.id
            ));
        }
    }
    for (kind, c) in &rules.coaching {
        if !in_files(only, &c.origin.path) {
            continue;
        }
        let s = c.spec();
        let at = &c.origin;
        for (name, value) in [
            ("title", &s.title),
            ("why", &s.why),
            ("revoke-console", &s.revoke_console),
            ("audit", &s.audit),
            ("store", &s.store),
            ("replace", &s.replace),
        ] {
            if value.trim().is_empty() {
                problems.push(format!("{at}: coaching.{kind}.{name}: must not be empty"));
            }
        }
        if s.revoke_cli.is_empty() {
            problems.push(format!(
                "{at}: coaching.{kind}.revoke-cli: needs at least one command"
            ));
        }
        if s.docs.is_empty() || s.docs.iter().any(|d| !d.starts_with("https://")) {
            problems.push(format!(
                "{at}: coaching.{kind}.docs: needs at least one https:// link, and only links"
            ));
        }
        if !rules.rules.iter().any(|r| &r.kind == kind)
            && !crate::scan::ENGINE_KINDS.contains(&kind.as_str())
        {
            problems.push(format!("{at}: coaching.{kind}: no rule uses this kind"));
        }
    }
    problems
}

/// Months after which a coaching table's facts are due to be checked again.
pub const VERIFY_EVERY_MONTHS: i64 = 12;

/// Whether a table from `path` is among the `only` files being checked (all, when none are named).
fn in_files(only: &[PathBuf], path: &std::path::Path) -> bool {
    only.is_empty() || only.iter().any(|f| f.file_name() == path.file_name())
}

/// Coaching tables whose `verified` date is missing or more than [`VERIFY_EVERY_MONTHS`] before
/// `now` (restricted to tables from `only` files when given), one line each.
pub fn stale_coaching(rules: &RuleSet, only: &[PathBuf], now: i64) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, c) in &rules.coaching {
        if !in_files(only, &c.origin.path) {
            continue;
        }
        let at = &c.origin;
        match &c.spec().verified {
            None => out.push(format!(
                "{at}: coaching.{kind}.verified: missing; add the year and month its facts were checked against its docs (YYYY-MM)"
            )),
            Some(v) => {
                if let Some(age) = crate::time::months_since(now, v.get_ref()) {
                    if age > VERIFY_EVERY_MONTHS {
                        out.push(format!(
                            "{at}: coaching.{kind}.verified: {} is {age} months ago; check its facts against its docs again",
                            v.get_ref()
                        ));
                    }
                }
            }
        }
    }
    out
}

/// `text` in the middle of a file long enough to be searched only around keyword hits.
fn padded(text: &str) -> String {
    let pad = "// a filler line for the long-file check of rule examples\n".repeat(90);
    format!("{pad}{text}\n{pad}")
}

/// A rule example as a staged file at `path`.
fn example_unit(path: &str, text: &str) -> ScanUnit {
    ScanUnit {
        keystore: false,
        path: path.to_owned(),
        exposure: Exposure::Staged,
        commit: None,
        regions: vec![Region {
            first_line: 1,
            text: text.replace("\r\n", "\n"),
        }],
    }
}

fn fires(scanner: &Scanner<'_>, rule: &Rule, path: &str, text: &str) -> bool {
    let out = scanner.scan_unit(&example_unit(path, text));
    // A hit merged into its pair (the AWS key ID beside a secret key) still counts as firing.
    out.findings.iter().any(|f| f.rule_id == rule.id)
        || (rule_is_pair_target(scanner, rule)
            && out
                .findings
                .iter()
                .any(|f| scanner_pairs(scanner, &f.rule_id, &rule.id)))
}

/// The strictest default verdict of `rule`'s findings in `text`, if it finds anything.
fn strongest(scanner: &Scanner<'_>, rule: &Rule, path: &str, text: &str) -> Option<Verdict> {
    let out = scanner.scan_unit(&example_unit(path, text));
    out.findings
        .iter()
        .filter(|f| f.rule_id == rule.id)
        .map(|f| f.default_verdict)
        .max()
}

fn rule_is_pair_target(scanner: &Scanner<'_>, rule: &Rule) -> bool {
    scanner
        .rules()
        .rules
        .iter()
        .any(|r| r.pair.as_ref().is_some_and(|(o, _)| o == &rule.id))
}

fn scanner_pairs(scanner: &Scanner<'_>, primary: &str, target: &str) -> bool {
    scanner
        .rules()
        .get(primary)
        .and_then(|r| r.pair.as_ref())
        .is_some_and(|(o, _)| o == target)
}

/// Says which stage dropped an example, so a rule author knows what to fix.
fn diagnose(scanner: &Scanner<'_>, rule: &Rule, path: &str, text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if !rule.applies_to(path) {
        return format!("the rule's paths do not match {path:?}");
    }
    if !rule.keywords.iter().any(|k| lower.contains(k.as_str())) {
        return "no keyword occurs in it (prefilter)".into();
    }
    let matcher = match rule.matcher() {
        Ok(m) => m,
        Err(e) => return format!("the pattern cannot run: {e}"),
    };
    let Some(caps) = matcher.regex.captures(text) else {
        return "the pattern does not match".into();
    };
    let Some(m) = caps.get(matcher.secret_group) else {
        return "the secret group did not participate in the match".into();
    };
    let secret = m.as_str();
    if let Some(min) = rule.min_entropy {
        let e = crate::rules::validate::entropy::shannon(secret);
        if e < min {
            return format!("entropy {e:.2} is below min-entropy {min}");
        }
    }
    if rule.checksum.is_some_and(|c| !c.validate(secret)) {
        return "the checksum does not validate".into();
    }
    if crate::rules::validate::placeholder::is_placeholder(secret) {
        return "the global placeholder filter drops the secret (it contains a placeholder marker or has too few distinct characters)".into();
    }
    let l = secret.to_lowercase();
    if let Some(w) = crate::rules::validate::placeholder::matching_stop_word(&l, &rule.stop_words) {
        return format!("stop word {w:?}");
    }
    let unit = ScanUnit {
        keystore: false,
        path: path.to_owned(),
        exposure: Exposure::Staged,
        commit: None,
        regions: vec![Region {
            first_line: 1,
            text: text.to_owned(),
        }],
    };
    let others: Vec<String> = scanner
        .scan_unit(&unit)
        .findings
        .into_iter()
        .map(|f| f.rule_id)
        .collect();
    if others.is_empty() {
        "an allow comment on the line suppressed it".into()
    } else {
        format!("overlapping rule(s) won: {} (a checksum beats a shape, a provider rule beats generic.*, then the longer whole match, then file order)", others.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{RuleSet, RuleSource};
    use std::path::PathBuf;

    fn table(kind: &str, verified: Option<&str>) -> String {
        let v = verified.map_or(String::new(), |v| format!("verified = \"{v}\"\n"));
        format!(
            "[coaching.{kind}]\ntitle = \"t\"\nwhy = \"w\"\nrevoke-console = \"c\"\nrevoke-cli = [\"x\"]\n\
             audit = \"a\"\nstore = \"s\"\nreplace = \"r\"\ndocs = [\"https://example.test\"]\n{v}\n"
        )
    }

    #[test]
    fn coaching_older_than_a_year_or_undated_is_due_again() {
        let text = [
            table("fresh", Some("2026-01")),
            table("year-old", Some("2025-12")),
            table("stale", Some("2025-11")),
            table("undated", None),
        ]
        .concat();
        let (rules, errors) = RuleSet::compile_lenient(vec![RuleSource {
            path: PathBuf::from("demo.toml"),
            text: text.into(),
            trusted: true,
        }]);
        assert!(errors.is_empty());
        // 2026-12-01T00:00:00Z
        let due = super::stale_coaching(&rules, &[], 1_796_083_200).join("\n");
        assert!(
            due.contains("coaching.stale.verified: 2025-11 is 13 months ago"),
            "{due}"
        );
        assert!(due.contains("coaching.undated.verified: missing"), "{due}");
        assert!(!due.contains("fresh") && !due.contains("year-old"), "{due}");
    }
}
