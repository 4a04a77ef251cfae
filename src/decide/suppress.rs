//! Suppression: an inline allow comment, the config allowlist and the baseline, applied to what the
//! scanner detected in one unit. A suppressed finding is still reported (with its reason), so a
//! person can always see what was let through and why.
use crate::baseline::Baseline;
use crate::config::Allowlist;
use crate::finding::{Suppression, SuppressionKind};
use crate::scan::{Detected, Evidence, ScanOutcome, Scanner};
use crate::source::{Notice, ScanUnit};
use std::path::{Path, PathBuf};

/// Longest inline-allow reason kept, in characters.
const MAX_REASON_CHARS: usize = 200;

/// The allowlist, baseline and path mapping one run decides with.
#[derive(Default)]
pub struct Suppressor<'r> {
    allowlist: Option<&'r Allowlist>,
    baseline: Option<&'r Baseline>,
    /// (working directory, repository root) when unit paths are relative to the working directory
    /// (`coach scan PATH`), so allowlists and baselines see repository-relative paths.
    relative_to: Option<(PathBuf, PathBuf)>,
}

impl<'r> Suppressor<'r> {
    pub fn new(allowlist: &'r Allowlist, baseline: Option<&'r Baseline>) -> Self {
        Suppressor {
            allowlist: (!allowlist.is_empty()).then_some(allowlist),
            baseline,
            relative_to: None,
        }
    }

    /// Unit paths are relative to `cwd` (or absolute); allowlists and baselines want them relative
    /// to `root`.
    #[must_use]
    pub fn paths_relative_to(mut self, cwd: PathBuf, root: PathBuf) -> Self {
        self.relative_to = Some((cwd, root));
        self
    }

    /// A unit path as the repository sees it (`/` separated, relative to the root).
    pub fn repo_path(&self, path: &str) -> String {
        let Some((cwd, root)) = &self.relative_to else {
            return path.to_owned();
        };
        let abs = cwd.join(path);
        let rel: Option<PathBuf> =
            abs.strip_prefix(root)
                .ok()
                .map(Path::to_path_buf)
                .or_else(|| {
                    // Symlinked temp dirs (macOS /var → /private/var): compare canonical forms.
                    let r = root.canonicalize().ok()?;
                    let a = abs.canonicalize().ok()?;
                    a.strip_prefix(&r).ok().map(Path::to_path_buf)
                });
        match rel {
            Some(r) => r
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            None => path.to_owned(),
        }
    }

    /// Applies every suppression to one unit's detections. `scanner` redacts secrets found inside
    /// an allow comment's reason, which is printed and stored.
    pub fn apply(&self, unit: &ScanUnit, detected: Detected, scanner: &Scanner<'_>) -> ScanOutcome {
        let Detected {
            mut outcome,
            evidence,
        } = detected;
        let repo_path = self.repo_path(&unit.path);
        let path_allowed = self.allowlist.and_then(|a| a.path_reason(&repo_path));
        let mut notices = Vec::new();
        for (f, ev) in outcome.findings.iter_mut().zip(evidence) {
            // Engine findings (a keystore file) carry no text to allow or baseline.
            let Some(ev) = ev else { continue };
            // A region with no allow marker at all skips reading lines (#15).
            let inline = ev.may_allow().then(|| {
                inline_allow(&ev, &f.rule_id, &f.kind, scanner, &mut |reason| {
                    notices.push(Notice {
                        path: unit.path.clone(),
                        commit: unit.commit.as_ref().map(|c| c.id.clone()),
                        reason,
                    })
                })
            });
            let inline = inline.flatten();
            let config = || {
                let reason = path_allowed.clone().or_else(|| {
                    self.allowlist?
                        .secret_reason(ev.secret().expose(), ev.line())
                })?;
                Some(Suppression {
                    kind: SuppressionKind::Config,
                    reason,
                })
            };
            f.baseline_hash = self
                .baseline
                .filter(|b| b.wants_hash(&f.rule_id, &repo_path))
                .map(|b| b.hash(&f.rule_id, ev.secret()));
            let baseline = || {
                let b = self.baseline?;
                b.contains(&f.rule_id, &repo_path, f.baseline_hash.as_deref()?)
                    .then(|| Suppression {
                        kind: SuppressionKind::Baseline,
                        reason: format!("known finding in {}", b.display_name()),
                    })
            };
            f.suppression = inline.or_else(config).or_else(baseline);
        }
        outcome.notices.extend(notices);
        outcome
    }
}

/// Looks for an allow comment on the finding's line or the line above. A `coach:allow` without a
/// reason suppresses nothing and says so through `notice`.
fn inline_allow(
    ev: &Evidence,
    rule_id: &str,
    kind: &str,
    scanner: &Scanner<'_>,
    notice: &mut dyn FnMut(String),
) -> Option<Suppression> {
    let lines = std::iter::once((ev.line(), false)).chain(ev.above().map(|l| (l, true)));
    for (line, above) in lines {
        match parse_allow(line, rule_id, kind, above) {
            Allow::None => {}
            // A target no rule has is likely a typo: the finding stands, and the note says so.
            Allow::Other(target) => {
                let target: String = target.chars().take(64).collect();
                let rules = &scanner.rules().rules;
                if !rules.iter().any(|r| r.id == target || r.kind == target) {
                    let ids = rules.iter().map(|r| r.id.as_str());
                    notice(format!(
                        "coach:allow names {target:?}, which is no rule id or kind, so it suppresses nothing; nearest rule ids: {}",
                        crate::config::nearest(&target, ids, 3).join(", ")
                    ));
                }
            }
            Allow::Granted(reason) => {
                // The reason is free text that is printed and stored in the ledger; it may hold
                // this secret (`/* coach:allow x -- why */ t = "<secret>"`) or another one. Redact
                // before shortening, so a cut-off token cannot slip past the rules.
                let secret = ev.secret().expose();
                let reason = if secret.is_empty() {
                    reason
                } else {
                    reason.replace(secret, &ev.secret().redact())
                };
                let reason = scanner.redact_secrets(&reason);
                return Some(Suppression {
                    kind: SuppressionKind::Inline,
                    reason: reason
                        .chars()
                        .take(MAX_REASON_CHARS)
                        .collect::<String>()
                        .trim_end()
                        .to_owned(),
                });
            }
            Allow::MissingReason => notice(format!(
                "coach:allow for {rule_id} has no reason, so it suppresses nothing; write `coach:allow {rule_id} -- <why>`"
            )),
        }
    }
    None
}

/// Whether the comment holding `coach:allow` (at byte `pos`) is all there is on its line: only
/// comment markers before it, and nothing after a block comment's end.
fn comment_alone(line: &str, pos: usize) -> bool {
    let before = line[..pos].trim();
    if !before.chars().all(|c| "#/*;!<-%'".contains(c)) {
        return false;
    }
    let after = &line[pos..];
    ["*/", "-->"]
        .iter()
        .filter_map(|end| after.find(end).map(|i| &after[i + end.len()..]))
        .all(|rest| rest.trim().is_empty())
}

enum Allow {
    None,
    /// Names another rule id or kind (or a typo of one).
    Other(String),
    Granted(String),
    MissingReason,
}

/// `above`: the line is the one above the finding, which only a `coach:allow` comment alone on its
/// line can cover.
fn parse_allow(line: &str, rule_id: &str, kind: &str, above: bool) -> Allow {
    if let Some(pos) = line.find("coach:allow") {
        if above && !comment_alone(line, pos) {
            return Allow::None;
        }
        let rest = line[pos + "coach:allow".len()..].trim_start();
        let (target, reason) = match rest.split_once("--") {
            Some((t, r)) => (t.trim(), r.trim()),
            None => (rest.trim(), ""),
        };
        // The allow names a rule id or kind; an empty target applies to whatever is on the line.
        let target = target.split_whitespace().next().unwrap_or("");
        if !target.is_empty() && target != rule_id && target != kind {
            return Allow::Other(target.to_owned());
        }
        // The reason ends with the comment that holds it (`*/`, `-->`), and is kept short.
        let reason = ["*/", "-->"]
            .iter()
            .filter_map(|end| reason.find(end))
            .min()
            .map_or(reason, |i| &reason[..i]);
        // Shortened to MAX_REASON_CHARS by the caller, after redaction.
        let reason = reason.trim_end_matches(['*', '/', '>', '-', '#']).trim();
        return if reason.is_empty() {
            Allow::MissingReason
        } else {
            Allow::Granted(reason.to_owned())
        };
    }
    // Honoured for teams migrating from other scanners, on the finding's own line, as they do.
    if above {
        return Allow::None;
    }
    if line.contains("gitleaks:allow") {
        return Allow::Granted("gitleaks:allow comment".into());
    }
    if line.contains("pragma: allowlist secret") {
        return Allow::Granted("pragma: allowlist secret comment".into());
    }
    Allow::None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allow_on_the_line_above_must_be_a_comment_alone() {
        let granted = |l, above| matches!(parse_allow(l, "x.y", "k", above), Allow::Granted(_));
        assert!(granted("# coach:allow x.y -- test fixture", true));
        assert!(granted("t = 1 # coach:allow x.y -- test fixture", false));
        assert!(!granted("t = 1 # coach:allow x.y -- test fixture", true));
        assert!(!granted("# coach:allow other.rule -- nope", false));
        assert!(granted("/* coach:allow k -- kind name */", true));
        assert!(matches!(
            parse_allow("# coach:allow x.y", "x.y", "k", false),
            Allow::MissingReason
        ));
        assert!(!granted("x = 1 # gitleaks:allow", true));
        assert!(granted("x = 1 # gitleaks:allow", false));
    }
}
