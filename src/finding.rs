//! The vocabulary every stage shares: findings, exposure, verdicts, and the two safe forms of a secret
//! (redacted text and a keyed fingerprint). The raw secret lives only in [`Secret`], which cannot be
//! printed, serialized or debugged.
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::fmt;

/// The raw credential. Deliberately has no `Debug`, `Display` or `Serialize`.
pub struct Secret(String);

impl Secret {
    pub(crate) fn new(s: &str) -> Self {
        Secret(s.to_owned())
    }
    /// Only the scanner's validators and the fingerprint function read the raw value.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
    /// A short prefix and the length: enough to recognise the value, never enough to use it.
    pub fn redact(&self) -> String {
        redact(&self.0)
    }
}

/// The kebab-case name a vocabulary value has in TOML and JSON (`long-lived`, `critical`...).
pub(crate) fn kebab<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) fn redact(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    // At most a fifth of the value, never more than 8 characters.
    let shown = (n / 5).min(8);
    let prefix: String = chars[..shown]
        .iter()
        .collect::<String>()
        .replace(['\n', '\r'], " ");
    format!("{prefix}…[{n} chars]")
}

/// Key for fingerprints: HMAC-SHA256 over (rule id, secret). A plain hash of a short secret could be
/// brute-forced from the ledger, a keyed one cannot without the key.
#[derive(Clone)]
pub struct FingerprintKey([u8; 32]);

impl FingerprintKey {
    pub fn from_bytes(b: [u8; 32]) -> Self {
        FingerprintKey(b)
    }
    pub fn random() -> Self {
        let mut b = [0u8; 32];
        getrandom::getrandom(&mut b).expect("operating system random source");
        FingerprintKey(b)
    }
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
    /// Stable fingerprint of one secret for one rule; 32 hex characters (128 bits).
    pub fn fingerprint(&self, rule_id: &str, secret: &Secret) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(rule_id.as_bytes());
        mac.update(&[0]);
        mac.update(secret.expose().as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }
}

impl fmt::Debug for FingerprintKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FingerprintKey(..)")
    }
}

/// How far a secret has already travelled. Ordered: later variants are worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exposure {
    /// A file on disk scanned by path: not necessarily tracked by Git.
    Local,
    /// In the index only.
    Staged,
    /// In local history that no remote-tracking ref contains.
    Committed,
    /// Reachable from a remote-tracking ref (or being pushed now).
    Pushed,
    /// Printed in a CI job's log (`coach scan - --source ci-log`): shown to everyone who can read
    /// the logs, and kept with them. Worst: the value is out, in plain text, with no history to
    /// rewrite.
    CiLog,
}

impl Exposure {
    pub fn as_str(self) -> &'static str {
        match self {
            Exposure::Local => "local",
            Exposure::Staged => "staged",
            Exposure::Committed => "committed",
            Exposure::Pushed => "pushed",
            Exposure::CiLog => "ci-log",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lifetime {
    LongLived,
    ShortLived,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Identity {
    Human,
    Machine,
    Either,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    #[default]
    Secret,
    Practice,
}

/// Ordered so that `max` picks the strictest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Allow,
    Warn,
    Block,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Warn => "warn",
            Verdict::Block => "block",
        }
    }
}

/// How sure coach is that a finding is a real credential, from what the value passed (#14,
/// section 4). Ordered: later variants are surer. A rule's default verdict follows it
/// (`rules::Rule::judge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Entropy and shape alone: no credential name, no vendor format.
    Entropy,
    /// A credential name (password, secret, API key, token) assigned a value that passed the
    /// entropy and shape checks: the generic rules, and vendor rules whose format has no prefix
    /// (the vendor's name beside a value of its documented length and alphabet).
    KeywordEntropy,
    /// A documented vendor prefix or an unmistakable shape (PEM armour, a URL with a password).
    Prefix,
    /// A checksum or structural validator passed (CRC32 of GitHub and GitLab tokens, the OpenAI
    /// marker, a keystore's magic bytes).
    Checksum,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Entropy => "entropy",
            Confidence::KeywordEntropy => "keyword-entropy",
            Confidence::Prefix => "prefix",
            Confidence::Checksum => "checksum",
        }
    }
}

/// The commit that introduced a finding (history and push scans).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitInfo {
    pub id: String,
    pub author: String,
    pub email: String,
    /// Seconds since the Unix epoch.
    pub time: i64,
    pub summary: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionKind {
    /// `coach:allow <rule> -- <reason>` (or a migrated `gitleaks:allow` / `pragma: allowlist secret`).
    Inline,
    /// The fingerprint is in the repository's baseline file.
    Baseline,
    /// A config allowlist (path, regex or stop word).
    Config,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub reason: String,
}

/// What the ledger knew about this finding's kind and author when the verdict was decided.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repeat {
    /// Earlier findings of the same kind by the same author inside the repeat window.
    pub count: u32,
    /// Seconds since the Unix epoch of the most recent earlier one.
    pub last: Option<i64>,
    /// This exact secret was blocked before.
    pub same_secret: bool,
    /// Earlier occurrences of the kind by the same author inside the (longer) contact window.
    #[serde(default)]
    pub long_count: u32,
}

/// One rule hit at one location, with everything downstream needs and nothing secret.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule_id: String,
    pub rule_name: String,
    pub kind: String,
    pub category: Category,
    pub lifetime: Lifetime,
    pub identity: Identity,
    pub severity: Severity,
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<CommitInfo>,
    pub exposure: Exposure,
    pub redacted: String,
    pub fingerprint: String,
    /// Non-secret identifiers captured by the rule (an AWS access key ID, a database user).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub identifiers: BTreeMap<String, String>,
    pub confidence: Confidence,
    /// The rule's own verdict before config and ledger.
    #[serde(skip)]
    pub default_verdict: Verdict,
    pub verdict: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Repeat>,
    /// Argon2id(baseline salt, rule id + secret) when a baseline could use it (see
    /// `Baseline::wants_hash`). The salt is shared by every clone (it is in the baseline file),
    /// unlike the per-user fingerprint key. Not in reports.
    #[serde(skip)]
    pub baseline_hash: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_never_shows_more_than_a_fifth() {
        assert_eq!(
            redact("ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            "ghp_abcd…[40 chars]"
        );
        assert_eq!(redact("AKIA1234567890ABCDEF"), "AKIA…[20 chars]");
        assert_eq!(redact("hunter2"), "h…[7 chars]");
        assert_eq!(redact("abc"), "…[3 chars]");
    }

    #[test]
    fn ci_log_is_the_worst_exposure_and_named_like_its_json() {
        assert!(Exposure::CiLog > Exposure::Pushed);
        assert_eq!(Exposure::CiLog.as_str(), "ci-log");
        assert_eq!(kebab(&Exposure::CiLog), "ci-log");
    }

    #[test]
    fn confidence_is_ordered_and_named_like_its_json() {
        assert!(Confidence::Checksum > Confidence::Prefix);
        assert!(Confidence::Prefix > Confidence::KeywordEntropy);
        assert!(Confidence::KeywordEntropy > Confidence::Entropy);
        for c in [
            Confidence::Entropy,
            Confidence::KeywordEntropy,
            Confidence::Prefix,
            Confidence::Checksum,
        ] {
            assert_eq!(kebab(&c), c.as_str());
        }
    }

    #[test]
    fn fingerprint_is_keyed_and_stable() {
        let k1 = FingerprintKey::from_bytes([1; 32]);
        let k2 = FingerprintKey::from_bytes([2; 32]);
        let s = Secret::new("hunter2hunter2");
        assert_eq!(k1.fingerprint("r", &s), k1.fingerprint("r", &s));
        assert_ne!(k1.fingerprint("r", &s), k2.fingerprint("r", &s));
        assert_ne!(k1.fingerprint("r", &s), k1.fingerprint("q", &s));
        assert_eq!(k1.fingerprint("r", &s).len(), 32);
    }
}
