//! The pre-push source: Git's `<local ref> <local sha> <remote ref> <remote sha>` lines (standard
//! input of the pre-push hook) turned into the set of commits the push would send.
//!
//! Per line: a deletion (local sha all zeros) sends nothing; an update sends what is reachable from
//! the local commit and not from the remote's old commit; a new branch or tag (remote sha all zeros)
//! sends what no ref of that remote already holds; a force push is the same walk (commits the remote
//! lacks). An annotated tag is peeled to its commit. Every remote-tracking ref (`refs/remotes/*`,
//! of this remote and of any other) is hidden from the walk: a commit another remote already holds
//! was pushed before, and scanning it again would make a person's first push of an old repository
//! to a new remote rescan its whole history (#16). All refs share one walk, so a commit pushed under
//! two refs is scanned once. With nothing to hide (a repository that was never pushed anywhere),
//! the whole history of what is pushed is sent: the caller bounds it.
use super::Notice;
use anyhow::{anyhow, Context, Result};
use git2::{Oid, Repository};

/// One line of pre-push input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefUpdate {
    pub local_ref: String,
    pub local_sha: Oid,
    pub remote_ref: String,
    pub remote_sha: Oid,
}

impl RefUpdate {
    pub fn is_deletion(&self) -> bool {
        self.local_sha.is_zero()
    }
}

/// Parses every non-blank line; a malformed line is an error (exit 2), never skipped.
pub fn parse(input: &str) -> Result<Vec<RefUpdate>, String> {
    input
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let bad = |why: &str| {
                format!(
                    "pre-push input line {}: {why}; expected `<local ref> <local sha> <remote ref> <remote sha>`",
                    i + 1
                )
            };
            let f: Vec<&str> = l.split_whitespace().collect();
            let [local_ref, local_sha, remote_ref, remote_sha] = f.as_slice() else {
                return Err(bad(&format!("{} fields", f.len())));
            };
            let oid = |s: &str| {
                let full = matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit());
                Oid::from_str(s)
                    .ok()
                    .filter(|_| full)
                    .ok_or_else(|| bad(&format!("{s:?} is not an object id")))
            };
            Ok(RefUpdate {
                local_ref: (*local_ref).to_owned(),
                local_sha: oid(local_sha)?,
                remote_ref: (*remote_ref).to_owned(),
                remote_sha: oid(remote_sha)?,
            })
        })
        .collect()
}

/// What a push sends: commits newest first, deduplicated across refs, plus what was not scanned.
#[derive(Debug, Default)]
pub struct PushPlan {
    pub commits: Vec<Oid>,
    /// Annotated tags being sent: their messages are scanned too.
    pub tags: Vec<Oid>,
    pub notices: Vec<Notice>,
    /// Refs being deleted (scanned: nothing).
    pub deletions: usize,
}

/// Computes the commits `updates` would send to `remote` (a remote name, or a URL).
pub fn plan(
    repo: &Repository,
    typed_remote: &str,
    url: Option<&str>,
    updates: &[RefUpdate],
) -> Result<PushPlan> {
    let mut out = PushPlan::default();
    // `git push <url>` passes the URL as typed, credentials included: match with it, show without.
    let shown = crate::escape::strip_credentials(typed_remote);
    let remote = shown.as_str();
    let mut push = Vec::new();
    let mut hide = Vec::new();
    for u in updates {
        if u.is_deletion() {
            out.deletions += 1;
            out.notices.push(Notice {
                path: u.remote_ref.clone(),
                commit: None,
                reason: format!(
                    "deleted on {remote}: a deletion sends no commits, nothing to scan"
                ),
            });
            continue;
        }
        let obj = repo.find_object(u.local_sha, None).with_context(|| {
            format!("{}: {} is not in this repository", u.local_ref, u.local_sha)
        })?;
        if obj.kind() == Some(git2::ObjectType::Tag) && u.local_sha != u.remote_sha {
            out.tags.push(u.local_sha);
        }
        match obj.peel_to_commit() {
            Ok(c) => push.push(c.id()),
            Err(_) => {
                // A tag of a tree or blob: rare, and not a commit that could carry history.
                out.notices.push(Notice {
                    path: u.local_ref.clone(),
                    commit: Some(u.local_sha.to_string()),
                    reason: format!(
                        "points at a {}, not a commit: not scanned",
                        obj.kind().map_or("non-commit object", |k| k.str())
                    ),
                });
                continue;
            }
        }
        if !u.remote_sha.is_zero() {
            match repo.find_object(u.remote_sha, None).and_then(|o| o.peel_to_commit()) {
                Ok(c) => hide.push(c.id()),
                Err(_) => out.notices.push(Notice {
                    path: u.remote_ref.clone(),
                    commit: Some(u.remote_sha.to_string()),
                    reason: format!(
                        "{remote} has this ref at a commit this repository does not have (fetch to see it): scanned everything {remote}'s known refs lack instead"
                    ),
                }),
            }
        }
    }
    let name = remote_name(repo, typed_remote, url);
    let known = name
        .as_deref()
        .map(|n| remote_refs(repo, &format!("refs/remotes/{n}/*")))
        .unwrap_or_default();
    let everywhere = remote_refs(repo, "refs/remotes/*");
    if !push.is_empty() && hide.is_empty() && known.is_empty() {
        let reason = if everywhere.is_empty() {
            "coach knows no ref of this remote (new or empty remote, or an unnamed URL) and no other remote: the whole history of what is pushed is scanned".to_owned()
        } else {
            "coach knows no ref of this remote (new or empty remote, or an unnamed URL): everything pushed that no remote-tracking ref (refs/remotes/*) already holds is scanned".to_owned()
        };
        out.notices.push(Notice {
            path: remote.to_owned(),
            commit: None,
            reason,
        });
    }
    hide.extend(everywhere);
    hide.extend(known);
    out.commits = super::history::walk(repo, &push, &hide)
        .map_err(|e| anyhow!("listing the commits to push: {}", e.message()))?;
    Ok(out)
}

/// The configured remote `remote` names, or the one whose URL is `remote`/`url` (`git push <url>`).
fn remote_name(repo: &Repository, remote: &str, url: Option<&str>) -> Option<String> {
    if repo.find_remote(remote).is_ok() {
        return Some(remote.to_owned());
    }
    let names = repo.remotes().ok()?;
    names
        .iter()
        .flatten()
        .find(|n| {
            repo.find_remote(n)
                .is_ok_and(|r| r.url().is_some_and(|u| u == remote || Some(u) == url))
        })
        .map(str::to_owned)
}

/// Commits at the tips of the refs matching `glob` (`refs/remotes/<name>/*`, `refs/remotes/*`).
fn remote_refs(repo: &Repository, glob: &str) -> Vec<Oid> {
    let Ok(refs) = repo.references_glob(glob) else {
        return Vec::new();
    };
    let mut tips: Vec<Oid> = refs
        .filter_map(Result::ok)
        .filter_map(|r| r.peel_to_commit().ok().map(|c| c.id()))
        .collect();
    tips.sort();
    tips.dedup();
    tips
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const Z: &str = "0000000000000000000000000000000000000000";

    #[test]
    fn parses_every_line_and_skips_blank_ones() {
        let input = format!(
            "refs/heads/main {A} refs/heads/main {Z}\n\nrefs/tags/v1 {A} refs/tags/v1 {Z}\n"
        );
        let u = parse(&input).unwrap();
        assert_eq!(u.len(), 2);
        assert_eq!(u[1].remote_ref, "refs/tags/v1");
        assert!(!u[0].is_deletion());
        assert!(u[0].remote_sha.is_zero());
    }

    #[test]
    fn a_deletion_has_a_zero_local_sha() {
        let u = parse(&format!("(delete) {Z} refs/heads/old {A}\n")).unwrap();
        assert!(u[0].is_deletion());
    }

    #[test]
    fn a_malformed_line_is_an_error_not_a_skip() {
        let err = parse(&format!("refs/heads/main {A}\n")).unwrap_err();
        assert!(err.contains("line 1: 2 fields"), "{err}");
        let err = parse(&format!("a nothex b {A}\n")).unwrap_err();
        assert!(err.contains("not an object id"), "{err}");
    }
}
