//! `coach rules list | explain | check`. `check` proves each rule through the whole pipeline: every
//! example must produce the rule's finding, no negative example may.
use crate::cli::{Cli, RulesCommand};
use crate::error::ExitStatus;
use crate::escape::terminal_lines as esc_lines;
use crate::finding::{kebab, Exposure, FingerprintKey, Verdict};
use crate::report::human::field;
use crate::rules::{Rule, RuleSet};
use crate::scan::Scanner;
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
                let _ = writeln!(
                    out,
                    "coach rules check: {checked} rules, {} coached kinds: ok",
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

/// One line per rule, aligned, sorted by id.
pub fn list(rules: &RuleSet) -> String {
    let mut sorted: Vec<&Rule> = rules.rules.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let w = sorted.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let kw = sorted
        .iter()
        .map(|r| r.kind.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!(
        "{:<w$}  {:<kw$}  {:<11}  {:<8}  {:<8}  {:<7}  {}\n",
        "id", "kind", "lifetime", "identity", "severity", "verdict", "category"
    );
    for r in &sorted {
        let _ = writeln!(
            out,
            "{:<w$}  {:<kw$}  {:<11}  {:<8}  {:<8}  {:<7}  {}",
            r.id,
            r.kind,
            kebab(&r.lifetime),
            kebab(&r.identity),
            kebab(&r.severity),
            r.verdict.as_str(),
            kebab(&r.category)
        );
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
    let _ = writeln!(
        out,
        "kind: {} ({})  lifetime: {}  identity: {}  severity: {}  default verdict: {}",
        rule.kind,
        spec.title,
        kebab(&rule.lifetime),
        kebab(&rule.identity),
        kebab(&rule.severity),
        rule.verdict.as_str()
    );
    let _ = writeln!(out, "defined at {}", rule.origin);
    out.push('\n');
    field(&mut out, "Why", std::slice::from_ref(&spec.why));
    let mut do_now = vec![spec.revoke_console.clone()];
    do_now.extend(spec.revoke_cli.iter().map(|c| format!("$ {c}")));
    field(&mut out, "Do now", &do_now);
    field(&mut out, "Move it", std::slice::from_ref(&spec.store));
    field(
        &mut out,
        "Replace with",
        std::slice::from_ref(&spec.replace),
    );
    field(&mut out, "Check abuse", std::slice::from_ref(&spec.audit));
    if let Some(m) = &spec.machine {
        field(&mut out, "Machine id", std::slice::from_ref(m));
    }
    field(&mut out, "Docs", &spec.docs);
    if !rule.references.is_empty() {
        field(&mut out, "References", &rule.references);
    }
    let tags = crate::tags::for_kind(&rule.kind, rule.category, rule.lifetime);
    let tags: Vec<String> = tags.iter().map(crate::tags::Tag::label).collect();
    field(&mut out, "Frameworks", &[tags.join(" · ")]);
    Ok(out)
}

/// Every problem with the rules (restricted to rules from `only` files when given).
pub fn check(rules: &RuleSet, only: &[PathBuf]) -> Vec<String> {
    let scanner = Scanner::new(rules, FingerprintKey::from_bytes([0; 32]));
    let selected = |r: &Rule| {
        only.is_empty()
            || only
                .iter()
                .any(|f| f.file_name() == r.origin.path.file_name())
    };
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
        for (i, ex) in rule.examples.iter().enumerate() {
            if !fires(&scanner, rule, &path, ex) {
                problems.push(format!(
                    "{at}: {}: examples[{i}] does not produce a finding: {}",
                    rule.id,
                    diagnose(&scanner, rule, &path, ex)
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
        if rule.category == crate::finding::Category::Practice && rule.verdict == Verdict::Block {
            problems.push(format!(
                "{at}: {}: verdict: practice rules warn; policy may raise them",
                rule.id
            ));
        }
    }
    for (kind, c) in &rules.coaching {
        if !only.is_empty()
            && !only
                .iter()
                .any(|f| f.file_name() == c.origin.path.file_name())
        {
            continue;
        }
        let s = &c.spec;
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

fn fires(scanner: &Scanner<'_>, rule: &Rule, path: &str, text: &str) -> bool {
    let unit = ScanUnit {
        path: path.to_owned(),
        exposure: Exposure::Staged,
        commit: None,
        regions: vec![Region {
            first_line: 1,
            text: text.replace("\r\n", "\n"),
        }],
    };
    let out = scanner.scan_unit(&unit);
    // A hit merged into its pair (the AWS key ID beside a secret key) still counts as firing.
    out.findings.iter().any(|f| f.rule_id == rule.id)
        || (rule_is_pair_target(scanner, rule)
            && out
                .findings
                .iter()
                .any(|f| scanner_pairs(scanner, &f.rule_id, &rule.id)))
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
    let l = secret.to_ascii_lowercase();
    if let Some(w) = rule.stop_words.iter().find(|w| l.contains(w.as_str())) {
        return format!("stop word {w:?}");
    }
    let unit = ScanUnit {
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
