//! Undoing what coach versions before #16 did inside a hook manager's folder.
use super::{is_ours, managers, CHAINED_SUFFIX};
use std::path::PathBuf;

/// What `repair` would undo in `dirs` when a hook manager owns them, without changing anything.
pub fn needs_repair(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            if name.ends_with(CHAINED_SUFFIX) || (name.ends_with(".legacy") && is_ours(&path)) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Undoes what older coach versions did in a manager's folder: a hook renamed to
/// `*.coach-chained` (husky runs a script by its file name, so the renamed one never ran), and
/// coach's script that `pre-commit install` moved to `*.legacy` (pre-commit then fails "in
/// migration mode" on every commit).
pub fn repair(dirs: &[PathBuf]) -> Vec<String> {
    let mut done = Vec::new();
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut names: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        for name in names {
            let path = dir.join(&name);
            if let Some(base) = name.strip_suffix(".legacy") {
                if is_ours(&path) && std::fs::remove_file(&path).is_ok() {
                    done.push(format!(
                        "removed {} (coach's old hook, which pre-commit had moved aside and which made its {base} hook fail in migration mode)",
                        path.display()
                    ));
                }
                continue;
            }
            let Some(base) = name.strip_suffix(CHAINED_SUFFIX) else {
                continue;
            };
            let target = dir.join(base);
            let chained_text = std::fs::read(&path).unwrap_or_default();
            let target_text = std::fs::read(&target).ok();
            let fw =
                |t: &[u8]| String::from_utf8_lossy(t).contains(managers::PRE_COMMIT_FRAMEWORK_MARK);
            let result = match &target_text {
                None => std::fs::rename(&path, &target).map(|_| "restored"),
                Some(_) if is_ours(&target) => std::fs::remove_file(&target)
                    .and_then(|_| std::fs::rename(&path, &target))
                    .map(|_| "restored"),
                // The manager wrote its script again: the old copy is a duplicate.
                Some(t) if *t == chained_text || (fw(t) && fw(&chained_text)) => {
                    std::fs::remove_file(&path).map(|_| "removed the duplicate")
                }
                Some(_) => {
                    done.push(format!(
                        "left {} alone: {} is not coach's either; compare the two and keep one",
                        path.display(),
                        target.display()
                    ));
                    continue;
                }
            };
            match result {
                Ok("restored") => done.push(format!(
                    "restored {} from {} (an older coach had renamed it)",
                    target.display(),
                    path.display()
                )),
                Ok(_) => done.push(format!(
                    "removed {} (an older coach's copy of {})",
                    path.display(),
                    target.display()
                )),
                Err(e) => done.push(format!("could not repair {}: {e}", path.display())),
            }
        }
    }
    done
}
