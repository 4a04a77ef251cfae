//! Framework tags: the control references a security team maps findings to, from one table.
//! Shown in the JSON report, in SARIF `properties.tags`, in `coach rules explain` and in the team
//! report. Sources and one-line meanings: /work/shared/COACHING.md section 27 (OWASP Non-Human
//! Identities Top 10, 2025; NIST CSF 2.0, CSWP 29).
//!
//! The rules, in order:
//! - every leaked credential (a `secret` rule) is NHI2 Secret Leakage;
//! - a long-lived kind is also NHI7 Long-Lived Secrets;
//! - a practice rule carries the NHI entry of the practice it checks (the [`PRACTICES`] table);
//! - every finding is DE.AE-02 (coach detected and recorded a potentially adverse event) and
//!   PR.AT-01 / PR.AT-02 (the coaching is awareness training at the moment a person, and the
//!   specialised role that handles credentials, needs it).
use crate::finding::{Category, Lifetime};
use serde::Serialize;

/// One control reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Tag {
    pub framework: &'static str,
    pub id: &'static str,
    pub name: &'static str,
}

const OWASP_NHI: &str = "OWASP Non-Human Identities Top 10 (2025)";
const NIST_CSF: &str = "NIST CSF 2.0";

const fn nhi(id: &'static str, name: &'static str) -> Tag {
    Tag {
        framework: OWASP_NHI,
        id,
        name,
    }
}

const fn csf(id: &'static str, name: &'static str) -> Tag {
    Tag {
        framework: NIST_CSF,
        id,
        name,
    }
}

pub const NHI2: Tag = nhi("NHI2:2025", "Secret Leakage");
pub const NHI5: Tag = nhi("NHI5:2025", "Overprivileged NHI");
pub const NHI6: Tag = nhi("NHI6:2025", "Insecure Cloud Deployment Configurations");
pub const NHI7: Tag = nhi("NHI7:2025", "Long-Lived Secrets");
pub const PR_AT_01: Tag = csf("PR.AT-01", "Awareness and training for personnel");
pub const PR_AT_02: Tag = csf("PR.AT-02", "Awareness and training for specialized roles");
pub const DE_AE_02: Tag = csf("DE.AE-02", "Potentially adverse events are analyzed");

/// Practice rules by kind prefix, and the NHI entries of the practice each one checks.
pub const PRACTICES: &[(&str, &[Tag])] = &[
    // Static cloud or registry keys in CI where OIDC / trusted publishing would do.
    ("practice-ci-", &[NHI6, NHI7]),
    // Static keys declared in infrastructure code.
    ("practice-iac-", &[NHI6, NHI7]),
    // Admin, owner, wildcard or write-all grants.
    ("practice-grants-", &[NHI5]),
    // Long-lived Kubernetes service account token secrets.
    ("practice-k8s-", &[NHI7]),
];

/// The tags of a kind, in a stable order (by framework, then id).
pub fn for_kind(kind: &str, category: Category, lifetime: Lifetime) -> Vec<Tag> {
    let mut out = Vec::new();
    match category {
        Category::Secret => {
            out.push(NHI2);
            if lifetime == Lifetime::LongLived {
                out.push(NHI7);
            }
        }
        Category::Practice => {
            if let Some((_, tags)) = PRACTICES.iter().find(|(p, _)| kind.starts_with(p)) {
                out.extend_from_slice(tags);
            }
        }
    }
    out.extend([DE_AE_02, PR_AT_01, PR_AT_02]);
    out.sort();
    out.dedup();
    out
}

impl Tag {
    /// `external/<framework>/<id>`, lower case: the SARIF tag convention code-scanning tools group by.
    pub fn sarif(&self) -> String {
        let framework = if self.framework == OWASP_NHI {
            "owasp-nhi-2025"
        } else {
            "nist-csf-2.0"
        };
        let id = self.id.split(':').next().unwrap_or(self.id);
        format!("external/{framework}/{}", id.to_ascii_lowercase())
    }

    /// `NHI2:2025 Secret Leakage`.
    pub fn label(&self) -> String {
        format!("{} {}", self.id, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaks_long_lived_kinds_and_practices_get_their_entries() {
        let ids = |t: Vec<Tag>| t.iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(
            ids(for_kind(
                "aws-iam-user-key",
                Category::Secret,
                Lifetime::LongLived
            )),
            ["DE.AE-02", "PR.AT-01", "PR.AT-02", "NHI2:2025", "NHI7:2025"]
        );
        assert_eq!(
            ids(for_kind(
                "aws-sts-session-key",
                Category::Secret,
                Lifetime::ShortLived
            )),
            ["DE.AE-02", "PR.AT-01", "PR.AT-02", "NHI2:2025"]
        );
        let grants = for_kind(
            "practice-grants-iam-wildcard",
            Category::Practice,
            Lifetime::Unknown,
        );
        assert!(grants.contains(&NHI5) && !grants.contains(&NHI2));
        assert_eq!(NHI2.sarif(), "external/owasp-nhi-2025/nhi2");
        assert_eq!(PR_AT_01.sarif(), "external/nist-csf-2.0/pr.at-01");
    }
}
