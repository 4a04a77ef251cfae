//! A secret printed in a CI job's log (`coach scan - --source ci-log`). There is no history to
//! rewrite: everyone who can read the logs has seen the value, so revocation comes first (the
//! guidance's "Do now", printed before these steps), then masking so the next print shows `***`, then
//! the pipeline change that stops the print. The steps are addressed to whoever owns the pipeline.
use super::Context;
use crate::finding::Finding;

/// Who owns the pipeline that printed the log: the workflow file the log was labelled with and its
/// owners from the repository's CODEOWNERS (untrusted text: shown quoted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PipelineOwner {
    /// The workflow path, as given with `--label`.
    pub workflow: String,
    /// The CODEOWNERS file that named the owners, and the owners as written there.
    pub codeowners: Option<(String, Vec<String>)>,
}

/// The variable name used in printed commands: the value itself never appears in one.
const VAR: &str = "TOKEN";

/// The steps after revocation, in order: who, mask, stop the print, the log itself.
pub(super) fn steps(findings: &[&Finding], ctx: &Context) -> Vec<String> {
    let mut steps = Vec::new();
    let mut logs: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    logs.sort_unstable();
    logs.dedup();
    let lines: Vec<String> = findings
        .iter()
        .take(super::fill::MAX_FILLED)
        .map(|f| f.line.to_string())
        .collect();
    steps.push(format!(
        "It was printed in a CI log ({}, line {}): everyone who can read the job's logs has seen it, and the logs keep it. Revoke or rotate it first (Do now): deleting the log or masking it later does not un-leak it.",
        logs.join(", "),
        lines.join(", ")
    ));
    steps.push(owner_line(findings, ctx));
    steps.push(format!(
        "Mask it, so any later print shows *** instead. GitHub Actions masks `${{{{ secrets.NAME }}}}` values by itself; a value the job makes or fetches at runtime must be registered before anything prints it, by its variable's name (never the value): `echo \"::add-mask::${VAR}\"`. GitLab CI/CD: keep it as a variable with \"Mask variable\" (and \"Protect variable\" for protected branches only) set, under Settings > CI/CD > Variables."
    ));
    steps.push(format!(
        "Stop the print: no `set -x` (or `set +x` before the lines that use it), no `echo`, `env`, `printenv` or debug dumps of secrets, and pass them on standard input instead of the command line, e.g. `printf '%s' \"${VAR}\" | docker login --username \"$REGISTRY_USER\" --password-stdin \"$REGISTRY\"`."
    ));
    steps.push("Then delete the job's log where the CI keeps it (GitHub: the run's \"Delete all logs\"; GitLab: erase the job), and any copy a log shipper made: the new value must never be in one.".into());
    steps
}

/// The pipeline owner the steps are for: the CODEOWNERS entry of the workflow file, else the role
/// `.coach.toml` gives the label, else whoever maintains the pipeline.
fn owner_line(findings: &[&Finding], ctx: &Context) -> String {
    if let Some(owner) = &ctx.pipeline_owner {
        if let Some((file, owners)) = &owner.codeowners {
            let quoted: Vec<String> = owners.iter().map(|o| crate::escape::quoted(o)).collect();
            return format!(
                "For the pipeline owner: {} owns {} (from {}, repository file, not checked by coach).",
                quoted.join(" "),
                crate::escape::quoted(&owner.workflow),
                crate::escape::quoted(file)
            );
        }
    }
    let mut roles: Vec<&str> = findings.iter().filter_map(|f| f.role.as_deref()).collect();
    roles.sort_unstable();
    roles.dedup();
    if roles.is_empty() {
        "For the pipeline owner (whoever maintains the job that printed it): pass these steps on if that is not you.".into()
    } else {
        format!(
            "For the pipeline owner: role {} in .coach.toml (see Your role).",
            roles
                .iter()
                .map(|r| crate::escape::quoted(r))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}
