//! The layering rule of docs/ARCHITECTURE.md, enforced: every `crate::<module>` a source file names
//! must be allowed for the top-level module the file belongs to. A lower layer importing a higher one
//! fails here, with the file and the edge.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The vocabulary layer: every module may import these.
const LAYER0: &[&str] = &["error", "escape", "time", "finding"];

/// Each top-level module and the modules it may import (besides itself and [`LAYER0`]). Keep in
/// step with docs/ARCHITECTURE.md.
const ALLOWED: &[(&str, &[&str])] = &[
    // 0: vocabulary, no dependencies.
    ("error", &[]),
    ("escape", &[]),
    ("time", &[]),
    ("finding", &["error"]),
    // 1: data and the state folder.
    ("rules", &["error", "finding"]),
    ("repofile", &["error"]),
    ("state", &["finding"]),
    ("tags", &["finding"]),
    // 2: settings.
    (
        "config",
        &[
            "error", "finding", "time", "rules", "repofile", "state", "source",
        ],
    ),
    // 3: the pipeline's stages.
    ("source", &["error", "finding", "config"]),
    ("baseline", &["error", "finding"]),
    ("scan", &["error", "finding", "rules", "source"]),
    // `decide` runs after detection: it reads what `scan` kept beside each finding.
    (
        "decide",
        &["finding", "config", "baseline", "source", "scan"],
    ),
    (
        "coaching",
        // `source`: which finding paths name a commit or tag message.
        &["finding", "rules", "time", "escape", "config", "source"],
    ),
    ("ledger", &["error", "finding", "config", "state", "time"]),
    // 4: output.
    (
        "report",
        &[
            "error", "escape", "finding", "time", "config", "source", "coaching", "rules", "tags",
        ],
    ),
    ("stats", &["escape", "finding", "time", "ledger"]),
    (
        "teamreport",
        &["escape", "finding", "time", "ledger", "stats", "tags"],
    ),
    // 5: the application: may use everything below.
    ("hooks", &["error", "escape"]),
    ("app", &["*"]),
    ("cli", &["*"]),
    ("lib", &["*"]),
    ("main", &["*"]),
];

fn top_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Module names referred to as `crate::name`, including `use crate::{a, b::c}` groups.
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(pos) = text[i..].find("crate::") {
        let start = i + pos + "crate::".len();
        // Skip `$crate::` in macros and longer identifiers ending in `crate`.
        let before = text[..i + pos].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            i = start;
            continue;
        }
        if bytes.get(start) == Some(&b'{') {
            let end = text[start..].find('}').map_or(text.len(), |e| start + e);
            for part in text[start + 1..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
            i = end;
        } else {
            let name: String = text[start..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
            i = start;
        }
    }
    out
}

#[test]
fn no_module_imports_a_module_its_layer_may_not_use() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    for f in &files {
        let module = top_module(&src, f);
        let Some(ok) = allowed.get(module.as_str()) else {
            violations.push(format!(
                "{}: module `{module}` is not in the layering table (tests/it/architecture.rs)",
                f.display()
            ));
            continue;
        };
        if ok.contains(&"*") {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        for dep in imports(&text) {
            if dep != module && !ok.contains(&dep.as_str()) && !LAYER0.contains(&dep.as_str()) {
                violations.push(format!("{}: `{module}` imports `{dep}`", f.display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layering violations:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_import_reader_sees_groups_and_paths() {
    let got =
        imports("use crate::{error::Error, finding};\nlet x = crate::time::now();\n$crate::x");
    let want: BTreeSet<String> = ["error", "finding", "time"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(got, want);
}

#[test]
fn only_the_command_line_layer_knows_clap() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !matches!(top_module(&src, f).as_str(), "cli" | "app" | "main"))
        .filter(|f| std::fs::read_to_string(f).unwrap().contains("clap::"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "clap outside cli/app: {offenders:?}");
}
