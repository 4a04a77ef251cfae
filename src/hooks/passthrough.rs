//! The global folder's pass-through hooks: a global `core.hooksPath` hides every repository's own
//! hooks, so each hook type coach does not handle runs the repository's own hook of that name.
use super::MARKER;

/// Every hook name Git runs (githooks(5)). The global folder passes each one coach does not handle
/// through to the repository's own hook of that name, so a global `core.hooksPath` hides nothing.
pub const GIT_HOOK_NAMES: [&str; 24] = [
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-receive",
    "update",
    "proc-receive",
    "post-receive",
    "post-update",
    "reference-transaction",
    "push-to-checkout",
    "pre-auto-gc",
    "post-rewrite",
    "sendemail-validate",
    "fsmonitor-watchman",
    "post-index-change",
];

/// A hook that only runs the repository's own hook of the same name (global folder only).
pub(super) fn pass_through_script(name: &str) -> String {
    format!(
        "#!/bin/sh\n{MARKER}: pass-through {name}\n\
# Written by `coach install --global`: the global core.hooksPath hides each repository's own hooks,\n\
# so this runs the repository's own {name} hook, if it has one. `coach uninstall --global` removes it.\n\
hook_dir=$(dirname \"$0\")\n\
repo_hook=\"$(git rev-parse --git-common-dir 2>/dev/null)/hooks/{name}\"\n\
if [ -x \"$repo_hook\" ] && [ \"$(cd \"$(dirname \"$repo_hook\")\" && pwd)\" != \"$(cd \"$hook_dir\" && pwd)\" ]; then\n  \
exec \"$repo_hook\" \"$@\"\nfi\nexit 0\n"
    )
}
