//! The detection ratchet: coach scored on the labelled evaluation corpus (`tests/eval/`, made by
//! `scripts/gen-eval-corpus.py`, scored by `scripts/eval.py`) must not fall below the figures committed
//! in `tests/eval/ratchet.json`. See docs/EVALUATION.md.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const COACH: &str = env!("CARGO_BIN_EXE_coach");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The overall figures the ratchet holds, as named in `ratchet.json` and in `eval.py --json`.
const FIGURES: &[&str] = &["recall", "blocking_recall", "precision"];

/// `$PYTHON`, else `python3` on PATH; a missing interpreter is a clear failure, never a silent pass.
fn python3() -> PathBuf {
    if let Some(p) = std::env::var_os("PYTHON") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("python3"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "the evaluation ratchet needs python3 (stdlib only) to run scripts/eval.py: \
                 install python3 or set PYTHON=/path/to/python3"
            )
        })
}

fn script(args: &[&str]) -> Output {
    let out = Command::new(python3())
        .args(args)
        .current_dir(ROOT)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "python3 {args:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn scored(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["scripts/eval.py", "--json"];
    args.extend_from_slice(extra);
    let out = script(&args);
    serde_json::from_slice(&out.stdout).expect("eval.py --json prints JSON")
}

/// Measured figures below the committed ones, and a hint for each one above.
fn compare(
    measured: &serde_json::Value,
    committed: &serde_json::Value,
) -> (Vec<String>, Vec<String>) {
    let (mut drops, mut raises) = (Vec::new(), Vec::new());
    for name in FIGURES {
        let want = committed[name]
            .as_f64()
            .unwrap_or_else(|| panic!("tests/eval/ratchet.json has no number `{name}`"));
        let got = measured["overall"][name]
            .as_f64()
            .unwrap_or_else(|| panic!("eval.py --json has no overall `{name}`"));
        if got + 1e-9 < want {
            drops.push(format!(
                "{name}: {got:.4} measured, below the committed {want:.4}"
            ));
        } else if got > want + 1e-9 {
            raises.push(format!(
                "{name}: {got:.4} measured, above the committed {want:.4}"
            ));
        }
    }
    (drops, raises)
}

#[test]
#[allow(clippy::print_stderr)] // the raise hint is for the person reading the test output
fn detection_does_not_fall_below_the_committed_figures() {
    let measured = scored(&["--coach", COACH]);
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join("tests/eval/ratchet.json"))
            .expect("tests/eval/ratchet.json"),
    )
    .expect("ratchet.json is JSON");
    let (drops, raises) = compare(&measured, &committed);
    for r in &raises {
        eprintln!("eval ratchet: {r}; raise it in tests/eval/ratchet.json so it holds from now on");
    }
    assert!(
        drops.is_empty(),
        "detection fell below tests/eval/ratchet.json:\n  {}\n\
         see `python3 scripts/eval.py --misses --false-positives` for what changed",
        drops.join("\n  ")
    );
}

#[test]
fn committed_corpus_is_what_the_generator_writes() {
    script(&["scripts/gen-eval-corpus.py", "--check"]);
}

#[test]
fn scorer_counts_misses_and_false_positives() {
    // A hand-made report: one finding on a positive, one on a labelled negative, one on a line no
    // label names. The scorer must see one true positive and two false positives.
    let labels = std::fs::read_to_string(Path::new(ROOT).join("tests/eval/labels.jsonl")).unwrap();
    let labels: Vec<serde_json::Value> = labels
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let pos = labels.iter().find(|l| l["label"] == "positive").unwrap();
    let neg = labels.iter().find(|l| l["label"] == "negative").unwrap();
    let finding = |l: &serde_json::Value, line: u64, verdict: &str| {
        serde_json::json!({"path": l["file"], "line": line, "end_line": line, "verdict": verdict,
                           "kind": l["kind"], "rule_id": "test.rule"})
    };
    let report = serde_json::json!({"findings": [
        finding(pos, pos["line"].as_u64().unwrap(), "block"),
        finding(neg, neg["line"].as_u64().unwrap(), "warn"),
        finding(pos, 10_000, "block"),
    ]});
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("report.json");
    std::fs::write(&path, report.to_string()).unwrap();
    let got = scored(&["--report", path.to_str().unwrap()]);
    let o = &got["overall"];
    assert_eq!(o["detected"], 1, "{o}");
    assert_eq!(o["blocked"], 1, "{o}");
    assert_eq!(o["fp_findings"], 2, "{o}");
    assert_eq!(o["negatives_flagged"], 1, "{o}");
    assert!(
        (o["precision"].as_f64().unwrap() - 0.3333).abs() < 1e-9,
        "{o}"
    );
    // and the ratchet comparison reports a drop against figures it cannot meet
    let (drops, _) = compare(
        &got,
        &serde_json::json!({"recall": 0.5, "blocking_recall": 0.5, "precision": 0.9}),
    );
    assert_eq!(drops.len(), 3, "{drops:?}");
}

/// The fuzzers start from the rule pack's keywords and examples: a rules change must regenerate
/// their dictionaries and seeds (scripts/gen-fuzz-seeds.py), or the fuzzers miss the new shapes.
#[test]
fn fuzz_dictionaries_and_seeds_match_the_rule_pack() {
    script(&["scripts/gen-fuzz-seeds.py", "--check"]);
}
