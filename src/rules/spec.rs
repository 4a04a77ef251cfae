//! `RuleSpec` and `CoachingSpec`: one-to-one with the TOML in `rules/*.toml`. Parsing is strict
//! (unknown keys are errors) so a typo in a rule file is caught, with its file, line and field.
use crate::finding::{Category, Confidence, Identity, Lifetime, Severity, Verdict};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// One rules file: any number of rules and the coaching tables they point to.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
    #[serde(default)]
    pub coaching: BTreeMap<String, Spanned<CoachingSpec>>,
}

/// A rule as written. See `docs/RULES.md` for what each field means.
///
/// ```
/// let spec: coach::api::RuleFile = toml::from_str(r#"
/// [[rule]]
/// id = "demo.token"
/// name = "Demo token"
/// kind = "demo-token"
/// keywords = ["demo_"]
/// pattern = '''\b(?P<secret>demo_[a-z0-9]{20})\b'''
/// lifetime = "long-lived"
/// identity = "human"
/// severity = "high"
/// examples = ["t = demo_q8w7e6r5t4y3u2i1o0pa"]
/// negative-examples = ["demo_short"]
/// "#).unwrap();
/// assert_eq!(spec.rule[0].id.get_ref(), "demo.token");
/// ```
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RuleSpec {
    pub id: Spanned<String>,
    pub name: String,
    pub kind: Spanned<String>,
    pub keywords: Spanned<Vec<String>>,
    pub pattern: Spanned<String>,
    pub min_entropy: Option<f64>,
    pub checksum: Option<Spanned<String>>,
    #[serde(default)]
    pub stop_words: Vec<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    pub lifetime: Lifetime,
    pub identity: Identity,
    pub severity: Severity,
    #[serde(default)]
    pub category: Category,
    pub verdict: Option<Verdict>,
    /// How certain a match is; derived when not written (`checksum` when the rule names one,
    /// `prefix` when the secret starts with a literal or is a URL's password, otherwise
    /// `keyword-entropy`). Without `verdict`, the default verdict follows it.
    pub confidence: Option<Confidence>,
    /// A catch-all rule: when it matches the same text as another rule, the other rule wins.
    #[serde(default)]
    pub generic: bool,
    pub pair: Option<Spanned<PairSpec>>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
    /// Lines the rule finds whose value is below the strength bar: each must produce a finding of
    /// the rule that warns, not blocks (only for rules judged by their value, `Rule::judge`).
    #[serde(default)]
    pub weak_examples: Vec<String>,
    #[serde(default)]
    pub references: Vec<String>,
}

/// Merge a nearby hit of another rule into this one (an AWS secret key and its key ID).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PairSpec {
    pub rule: String,
    pub within: u32,
}

/// Coaching for one credential kind. Every field is required: a kind without a way to revoke it, a
/// place to store it and a short-lived replacement is not coached.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CoachingSpec {
    pub title: String,
    pub why: String,
    pub revoke_console: String,
    pub revoke_cli: Vec<String>,
    pub audit: String,
    pub store: String,
    pub replace: String,
    #[serde(default)]
    pub machine: Option<String>,
    pub docs: Vec<String>,
    /// When the facts above were last checked against `docs`, as `YYYY-MM`.
    #[serde(default)]
    pub verified: Option<Spanned<String>>,
}
