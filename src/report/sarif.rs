//! The SARIF 2.1.0 report, for GitHub code scanning and other SARIF viewers: one run, the rules that
//! fired (their help text is the coaching), one result per finding with its physical location, a
//! stable partial fingerprint, and `suppressions` for findings that were allowed inline, by config or
//! by the baseline. Built as `serde_json` values: the subset coach emits is small and fixed.
use super::Report;
use crate::coaching::Guidance;
use crate::finding::{Confidence, Finding, Severity, SuppressionKind, Verdict};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of coach's own entry in `partialFingerprints`; `/v1` so the recipe can change later.
pub const FINGERPRINT_KEY: &str = "coachFindingHash/v1";

pub fn render(r: &Report) -> String {
    let mut rule_ids: Vec<&str> = r.findings.iter().map(|f| f.rule_id.as_str()).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| {
            let f = r
                .findings
                .iter()
                .find(|f| f.rule_id == *id)
                .expect("every id comes from a finding");
            rule(f, r.guidance.iter().find(|g| g.kind == f.kind))
        })
        .collect();
    let results: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            let index = rule_ids.binary_search(&f.rule_id.as_str()).unwrap_or(0);
            result(f, index)
        })
        .collect();
    let mut notifications: Vec<Value> = r
        .errors
        .iter()
        .map(|e| notification("error", &format!("{}: {}", e.path, e.message)))
        .collect();
    notifications.extend(
        r.notices
            .iter()
            .map(|n| notification("note", &format!("{}: {}", n.path, n.reason))),
    );
    notifications.extend(r.protection_lowered.iter().map(|l| {
        notification(
            "warning",
            &format!(
                "repo config {}: {} ({})",
                if l.refused {
                    "tried to lower protection, refused by the floor"
                } else {
                    "lowers protection"
                },
                l.detail,
                l.origin.display()
            ),
        )
    }));
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "coach",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "invocations": [{
                // Anything that could not be scanned makes the run unsuccessful (exit 2).
                "executionSuccessful": r.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            // Repository config that lowered protection, so a reviewer of the SARIF sees it too.
            "properties": { "protectionLowered": r.protection_lowered },
            // Columns count characters, as in the human and JSON reports.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("SARIF values serialize");
    s.push('\n');
    s
}

fn rule(f: &Finding, g: Option<&Guidance>) -> Value {
    let (text, markdown, why, help_uri) = match g {
        Some(g) => (
            help_text(g),
            help_markdown(g),
            g.why.clone(),
            g.docs.first().cloned(),
        ),
        None => {
            // Every finding of this kind was suppressed, so no coaching was rendered this run.
            let t = format!(
                "{}. Every finding of this rule was suppressed in this run; `coach rules explain {}` prints its coaching.",
                f.rule_name, f.rule_id
            );
            (t.clone(), t, f.rule_name.clone(), None)
        }
    };
    // Framework references (crate::tags) after coach's own tags.
    let tags: Vec<String> = ["security", "secret", f.kind.as_str()]
        .into_iter()
        .map(str::to_owned)
        .chain(
            crate::tags::for_kind(&f.kind, f.category, f.lifetime)
                .iter()
                .map(crate::tags::Tag::sarif),
        )
        .collect();
    let mut v = json!({
        "id": f.rule_id,
        "name": f.rule_name,
        "shortDescription": { "text": f.rule_name },
        "fullDescription": { "text": why },
        "help": { "text": text, "markdown": markdown },
        "defaultConfiguration": { "level": level(f.default_verdict) },
        "properties": {
            "tags": tags,
            "precision": precision(f.confidence),
            "security-severity": security_severity(f.severity),
        }
    });
    if let Some(uri) = help_uri {
        v["helpUri"] = Value::String(uri);
    }
    v
}

/// The guidance sections a SARIF rule's help carries, in order; both renderings walk this one list.
fn help_sections(g: &Guidance) -> Vec<(&'static str, &[String])> {
    // Same order as the human report: clean-up first unless the secret was pushed.
    let mut sections = if g.exposure >= crate::finding::Exposure::Pushed {
        vec![
            ("Do now", g.do_now.as_slice()),
            ("Clean up", g.clean_up.as_slice()),
        ]
    } else {
        vec![
            ("Do now", g.clean_up.as_slice()),
            ("If shared", g.do_now.as_slice()),
        ]
    };
    sections.extend([
        ("Move it", std::slice::from_ref(&g.move_it)),
        ("Replace with", std::slice::from_ref(&g.replace_with)),
    ]);
    if let Some(m) = &g.machine_identity {
        sections.push(("Machine identity", std::slice::from_ref(m)));
    }
    sections.push(("Docs", g.docs.as_slice()));
    sections.retain(|(_, lines)| !lines.is_empty());
    sections
}

fn help_text(g: &Guidance) -> String {
    let mut out = format!("{}\n\nWhy: {}\n", g.title, g.why);
    for (label, lines) in help_sections(g) {
        out.push_str(&format!("\n{label}:\n"));
        for l in lines {
            out.push_str(&format!("  {l}\n"));
        }
    }
    out
}

fn help_markdown(g: &Guidance) -> String {
    let mut out = format!("**{}**\n\n**Why:** {}\n", g.title, g.why);
    for (label, lines) in help_sections(g) {
        out.push_str(&format!("\n**{label}:**\n\n"));
        for l in lines {
            match l.strip_prefix("$ ") {
                Some(cmd) => out.push_str(&format!("- `{cmd}`\n")),
                None => out.push_str(&format!("- {l}\n")),
            }
        }
    }
    out
}

fn result(f: &Finding, rule_index: usize) -> Value {
    let shown_verdict = if f.suppression.is_some() {
        f.default_verdict
    } else {
        f.verdict
    };
    let mut v = json!({
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": level(shown_verdict),
        "message": {
            "text": format!(
                "{} ({}), {}: verdict {}.",
                f.rule_name, f.redacted, f.exposure.as_str(), f.verdict.as_str()
            )
        },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact(&f.path),
                "region": {
                    "startLine": f.line,
                    "startColumn": f.column,
                    "endLine": f.end_line.max(f.line),
                }
            }
        }],
        "partialFingerprints": { FINGERPRINT_KEY: partial_fingerprint(f) },
        "properties": {
            "kind": f.kind,
            "exposure": f.exposure.as_str(),
            "verdict": f.verdict.as_str(),
            "confidence": f.confidence.as_str(),
            "fingerprint": f.fingerprint,
        }
    });
    if let Some(c) = &f.commit {
        v["properties"]["commit"] = Value::String(c.id.clone());
    }
    if let Some(s) = &f.suppression {
        let kind = match s.kind {
            SuppressionKind::Inline => "inSource",
            SuppressionKind::Baseline | SuppressionKind::Config => "external",
        };
        let origin = match s.kind {
            SuppressionKind::Inline => "inline",
            SuppressionKind::Baseline => "baseline",
            SuppressionKind::Config => "config",
        };
        v["suppressions"] = json!([{
            "kind": kind,
            "status": "accepted",
            "justification": s.reason,
            "properties": { "coachSuppression": origin },
        }]);
    }
    v
}

/// Stable across runs, machines and line shifts, and derived only from what the report already
/// shows: the per-user fingerprint would differ on every CI runner, and a plain hash of the secret
/// could be brute-forced from an uploaded report.
fn partial_fingerprint(f: &Finding) -> String {
    let mut h = Sha256::new();
    for part in [&f.rule_id, &f.path, &f.redacted] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..16])
}

fn artifact(path: &str) -> Value {
    if path.starts_with('/') {
        json!({ "uri": format!("file://{}", encode_uri_path(path)) })
    } else {
        json!({ "uri": encode_uri_path(path), "uriBaseId": "%SRCROOT%" })
    }
}

/// Percent-encodes everything but unreserved characters and `/` (RFC 3986 path segments).
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn level(v: Verdict) -> &'static str {
    match v {
        Verdict::Block => "error",
        Verdict::Warn => "warning",
        Verdict::Allow => "note",
    }
}

/// A rule's `precision` property (GitHub code scanning: very-high, high, medium, low) from its
/// findings' confidence: every finding of a rule has the rule's confidence.
fn precision(c: Confidence) -> &'static str {
    match c {
        Confidence::Checksum => "very-high",
        Confidence::Prefix => "high",
        Confidence::KeywordEntropy => "medium",
        Confidence::Entropy => "low",
    }
}

/// GitHub code scanning reads this (0.0-10.0) to rank security alerts.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

fn notification(level: &str, text: &str) -> Value {
    json!({ "level": level, "message": { "text": text } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(encode_uri_path("a b/c%d.txt"), "a%20b/c%25d.txt");
        assert_eq!(encode_uri_path("src/main.rs"), "src/main.rs");
        assert_eq!(encode_uri_path("é"), "%C3%A9");
    }
}
