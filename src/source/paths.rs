//! Files and folders on disk (`coach scan PATH...`): walked with `ignore`, so `.gitignore` and
//! `.ignore` are respected even outside a repository; hidden files (`.env`, `.npmrc`) are included.
use super::{
    decode_utf16, is_credential_file, is_keystore, looks_binary, text_region, whole_file_region,
    Collected, Limits, Notice, ScanOutcome, ScanUnit, UnitError, UnitScan, KEYSTORE_HEAD,
};
use crate::finding::Exposure;
use std::path::{Path, PathBuf};

/// Lists the files to scan under `roots`, sorted. Walk errors become unit errors (exit 2); symlinks
/// are not followed (a link may point anywhere, even outside the tree) and each gets a notice.
pub fn walk(roots: &[PathBuf]) -> (Vec<PathBuf>, Vec<Notice>, Vec<UnitError>) {
    let mut files = Vec::new();
    let mut notices = Vec::new();
    let mut errors = Vec::new();
    for root in roots {
        if !root.exists() {
            errors.push(UnitError {
                path: root.display().to_string(),
                message: "no such file or directory".into(),
            });
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => files.push(e.into_path()),
                Ok(e) if e.path_is_symlink() => notices.push(Notice {
                    path: display_path(e.path()),
                    commit: None,
                    reason: "symlink: not followed, not scanned (scan its target by its own path)"
                        .into(),
                }),
                Ok(_) => {}
                Err(err) => errors.push(UnitError {
                    path: root.display().to_string(),
                    message: err.to_string(),
                }),
            }
        }
    }
    files.sort();
    files.dedup();
    (files, notices, errors)
}

/// Walks `roots` and scans every file. Each file is read and scanned on the same worker, so memory
/// holds a few files, not the whole tree.
pub fn scan(roots: &[PathBuf], limits: Limits, scan: UnitScan<'_>) -> (Collected, ScanOutcome) {
    use rayon::prelude::*;
    let (files, walk_notices, walk_errors) = walk(roots);
    let (mut collected, mut outcome) = files
        .par_iter()
        .map(|p| {
            let mut c = Collected {
                files: 1,
                ..Collected::default()
            };
            let mut o = ScanOutcome::default();
            match load(p, limits) {
                Loaded::Unit(u) => {
                    o = scan(&u);
                    // Keep only the line count: the text is not needed after scanning.
                    c.lines = u.added_lines();
                }
                Loaded::Notice(n) => c.notices.push(n),
                Loaded::Error(e) => c.errors.push(e),
            }
            (c, o)
        })
        .reduce(
            || (Collected::default(), ScanOutcome::default()),
            |(ca, oa), (cb, ob)| (ca.merge(cb), oa.merge(ob)),
        );
    collected.errors.extend(walk_errors);
    collected.notices.extend(walk_notices);
    outcome.sort();
    (collected, outcome)
}

/// What loading one file produced.
pub enum Loaded {
    Unit(ScanUnit),
    Notice(Notice),
    Error(UnitError),
}

pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_owned()
}

/// Whether a file named like a keystore holds one. A file that cannot be read is reported by its
/// name (the read error below would stop the scan anyway).
fn keystore_on_disk(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(KEYSTORE_HEAD);
    match std::fs::File::open(path) {
        Ok(f) => match f.take(KEYSTORE_HEAD as u64).read_to_end(&mut head) {
            Ok(_) => is_keystore(&head),
            Err(_) => true,
        },
        Err(_) => true,
    }
}

pub fn load(path: &Path, limits: Limits) -> Loaded {
    let shown = display_path(path);
    let notice = |reason: String| {
        Loaded::Notice(Notice {
            path: shown.clone(),
            commit: None,
            reason,
        })
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return Loaded::Error(UnitError {
                path: shown.clone(),
                message: e.to_string(),
            })
        }
    };
    let unit = |regions| {
        Loaded::Unit(ScanUnit {
            path: shown.clone(),
            exposure: Exposure::Local,
            commit: None,
            regions,
            keystore: false,
        })
    };
    if is_credential_file(&shown) && keystore_on_disk(path) {
        // The file is the credential: the scanner reports it by path.
        return Loaded::Unit(ScanUnit {
            path: shown.clone(),
            exposure: Exposure::Local,
            commit: None,
            regions: Vec::new(),
            keystore: true,
        });
    }
    if meta.len() > limits.max_file_size {
        return notice(format!(
            "too large: {} bytes is over max-file-size ({} bytes), not scanned",
            meta.len(),
            limits.max_file_size
        ));
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return Loaded::Error(UnitError {
                path: shown.clone(),
                message: e.to_string(),
            })
        }
    };
    if let Some(text) = decode_utf16(&bytes) {
        return unit(text_region(text.into()));
    }
    if looks_binary(&bytes) {
        return notice("binary: not scanned".into());
    }
    unit(whole_file_region(&bytes))
}
