//! Turns a git2 diff into scan units: added lines only, mapped to the new file's line numbers, with
//! symlinks, submodules, binaries, LFS pointers and oversized files noted instead of scanned.
use super::{
    is_lfs_pointer, line_text, regions_from_lines, Collected, Limits, Notice, ScanUnit, UnitError,
};
use crate::finding::{CommitInfo, Exposure};
use git2::{Delta, Diff, FileMode, Patch};
use std::sync::Arc;

/// Adds one unit (or notice, or error) per changed file of `diff` to `out`.
pub fn diff_to_units(
    diff: &Diff<'_>,
    exposure: Exposure,
    commit: Option<&Arc<CommitInfo>>,
    limits: Limits,
    out: &mut Collected,
) {
    let commit_id = commit.map(|c| c.id.clone());
    let notice = |path: &str, reason: &str| Notice {
        path: path.to_owned(),
        commit: commit_id.clone(),
        reason: reason.to_owned(),
    };
    for i in 0..diff.deltas().len() {
        let Some(delta) = diff.get_delta(i) else {
            continue;
        };
        if matches!(
            delta.status(),
            Delta::Deleted | Delta::Unmodified | Delta::Ignored
        ) {
            continue;
        }
        let new = delta.new_file();
        let path = new
            .path_bytes()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .unwrap_or_default();
        out.files += 1;
        match new.mode() {
            FileMode::Link => {
                out.notices.push(notice(
                    &path,
                    "symlink: the link is not followed, its target is not scanned",
                ));
                continue;
            }
            FileMode::Commit => {
                out.notices.push(notice(
                    &path,
                    "submodule: not scanned here; run coach in the submodule",
                ));
                continue;
            }
            _ => {}
        }
        if new.size() > limits.max_file_size {
            out.notices.push(notice(
                &path,
                &format!(
                    "too large: {} bytes is over max-file-size ({} bytes), not scanned",
                    new.size(),
                    limits.max_file_size
                ),
            ));
            continue;
        }
        let patch = match Patch::from_diff(diff, i) {
            Ok(Some(p)) => p,
            Ok(None) => {
                if delta.flags().is_binary() {
                    out.notices.push(notice(&path, "binary: not scanned"));
                }
                continue;
            }
            Err(e) => {
                out.errors.push(UnitError {
                    path,
                    message: format!("could not read the staged content: {}", e.message()),
                });
                continue;
            }
        };
        if patch.delta().flags().is_binary() {
            out.notices.push(notice(&path, "binary: not scanned"));
            continue;
        }
        let mut lines = Vec::new();
        for h in 0..patch.num_hunks() {
            let n = match patch.num_lines_in_hunk(h) {
                Ok(n) => n,
                Err(e) => {
                    out.errors.push(UnitError {
                        path: path.clone(),
                        message: e.message().to_owned(),
                    });
                    break;
                }
            };
            for l in 0..n {
                let Ok(line) = patch.line_in_hunk(h, l) else {
                    continue;
                };
                if line.origin() == '+' {
                    if let Some(no) = line.new_lineno() {
                        lines.push((no, line.content()));
                    }
                }
            }
        }
        if lines
            .first()
            .is_some_and(|(no, c)| *no == 1 && is_lfs_pointer(c))
        {
            out.notices.push(notice(
                &path,
                "Git LFS pointer: the content lives on the LFS server, not scanned",
            ));
            continue;
        }
        let regions = regions_from_lines(lines.into_iter().map(|(no, c)| (no, line_text(c))));
        out.units.push(ScanUnit {
            path,
            exposure,
            commit: commit.cloned(),
            regions,
        });
    }
}
