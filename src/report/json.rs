//! The JSON report: a stable, versioned schema (documented in the README). Bump `SCHEMA_VERSION` on
//! any change that removes or renames a field; adding fields is not a break.
use super::Report;
use crate::finding::Verdict;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Json<'a> {
    schema_version: u32,
    tool: Tool,
    source: &'a str,
    verdict: Verdict,
    summary: Summary,
    findings: Vec<FindingJson<'a>>,
    guidance: &'a [crate::coaching::Guidance],
    notices: &'a [crate::source::Notice],
    errors: &'a [crate::source::UnitError],
    /// Settings from repository config that lowered protection (`refused`: the floor ignored it).
    protection_lowered: &'a [crate::config::Lowered],
}

/// A finding with its framework tags (`crate::tags`).
#[derive(Serialize)]
struct FindingJson<'a> {
    #[serde(flatten)]
    finding: &'a crate::finding::Finding,
    tags: Vec<crate::tags::Tag>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    lines_scanned: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    commits_scanned: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commits_not_scanned: Option<usize>,
    findings: usize,
    blocked: usize,
    warned: usize,
    allowed: usize,
    notices: usize,
    errors: usize,
}

pub fn render(r: &Report) -> String {
    let doc = Json {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "coach",
            version: env!("CARGO_PKG_VERSION"),
        },
        source: &r.source,
        verdict: r.verdict,
        summary: Summary {
            files_scanned: r.files,
            lines_scanned: r.lines,
            commits_scanned: r.commits,
            commits_not_scanned: r.commits_skipped,
            findings: r.findings.len(),
            blocked: r.count(Verdict::Block),
            warned: r.count(Verdict::Warn),
            allowed: r.count(Verdict::Allow),
            notices: r.notices.len(),
            errors: r.errors.len(),
        },
        findings: r
            .findings
            .iter()
            .map(|f| FindingJson {
                finding: f,
                tags: crate::tags::for_kind(&f.kind, f.category, f.lifetime),
            })
            .collect(),
        guidance: &r.guidance,
        notices: &r.notices,
        errors: &r.errors,
        protection_lowered: &r.protection_lowered,
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("report values serialize");
    s.push('\n');
    s
}
