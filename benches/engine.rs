//! Engine micro-benchmarks (criterion): prefilter throughput, rule matching, diff line mapping and
//! the scan of a typical staged change. Whole-process timings against peers live in
//! `scripts/bench.sh`; see BENCHMARKS.md.
//!
//! The text is real source: the `regex-syntax` crate from the local cargo registry when present
//! (`COACH_BENCH_CORPUS=<dir>` to choose another tree), else coach's own `src/`.
use coach::api::Prefilter;
use coach::api::RuleSet;
use coach::api::Scanner;
use coach::api::{whole_file_region, ScanUnit};
use coach::api::{Exposure, FingerprintKey};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("COACH_BENCH_CORPUS") {
        return d.into();
    }
    let registry = std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".cargo/registry/src"))
        .and_then(|r| std::fs::read_dir(r).ok())
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|idx| {
            std::fs::read_dir(idx.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("regex-syntax-"))
        });
    registry.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src"))
}

/// Every `.rs` file under `dir`, sorted, as (relative path, text).
fn corpus_files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    let rel = p.strip_prefix(dir).unwrap_or(&p).display().to_string();
                    out.push((rel, t));
                }
            }
        }
    }
    out.sort();
    out
}

fn fake_token(seed: usize) -> String {
    let body: String = format!("{seed:0>6}q8Zr2LmW0xYt5Nv7Kp3Hs9Dj")
        .chars()
        .take(30)
        .collect();
    format!("ghp_{body}{}", coach::api::github_check(&body))
}

fn bench_prefilter_and_rules(c: &mut Criterion) {
    let rules = RuleSet::builtin().expect("built-in rules compile");
    let files = corpus_files(&corpus_dir());
    let text: String = files.iter().map(|(_, t)| t.as_str()).collect();
    let prefilter = Prefilter::new(&rules.rules);
    let scanner = Scanner::new(&rules, FingerprintKey::from_bytes([7; 32]));

    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("prefilter/source-text", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            prefilter.candidates_into(&text, &mut out);
            out.len()
        })
    });
    // Whole-file units, as a path scan sees them: prefilter, candidate regexes, validators.
    let units: Vec<ScanUnit> = files
        .iter()
        .map(|(p, t)| ScanUnit {
            keystore: false,
            path: p.clone(),
            exposure: Exposure::Local,
            commit: None,
            regions: whole_file_region(t.as_bytes()),
        })
        .collect();
    g.bench_function("rules/scan-source-files", |b| {
        b.iter(|| {
            units
                .iter()
                .map(|u| scanner.scan_unit(u).findings.len())
                .sum::<usize>()
        })
    });
    // The same text with a credential-looking line every 200 lines: many candidates, many regexes.
    let noisy: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i % 200 == 0 {
                format!(
                    "let token = \"{}\"; // password secret api_key\n",
                    fake_token(i)
                )
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let noisy_unit = ScanUnit {
        keystore: false,
        path: "noisy.rs".into(),
        exposure: Exposure::Local,
        commit: None,
        regions: whole_file_region(noisy.as_bytes()),
    };
    g.throughput(Throughput::Bytes(noisy.len() as u64));
    g.bench_function("rules/scan-with-many-candidates", |b| {
        b.iter(|| scanner.scan_unit(&noisy_unit).findings.len())
    });
    // Keyword positions of a long text (what the scanner collects to search only near keywords).
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("prefilter/keyword-positions", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            prefilter.hits_into(&text, &mut out);
            out.len()
        })
    });
    let unit = |name: &str, text: &str| ScanUnit {
        path: name.into(),
        exposure: Exposure::Local,
        commit: None,
        regions: whole_file_region(text.as_bytes()),
        keystore: false,
    };
    // No keyword at all: the prefilter alone decides (prose-like text, ~1 MB).
    let plain: String = (0..20_000)
        .map(|i| format!("line {i} of plain text with nothing to find in it\n"))
        .collect();
    let plain_unit = unit("plain.txt", &plain);
    g.throughput(Throughput::Bytes(plain.len() as u64));
    g.bench_function("rules/no-hits", |b| {
        b.iter(|| scanner.scan_unit(&plain_unit).findings.len())
    });
    // Near-misses: every line trips a keyword and looks like a credential, and every one fails a
    // validator (a GitHub token with a wrong checksum, a placeholder, a low-entropy password).
    let near: String = (0..20_000)
        .map(|i| match i % 3 {
            0 => format!("token = \"{}x\"\n", &fake_token(i)[..39]),
            1 => "api_key = \"your-api-key-here\"\n".to_owned(),
            _ => format!("password = \"aaaaaaaa{}\"\n", i % 10),
        })
        .collect();
    let near_unit = unit("near.env", &near);
    g.throughput(Throughput::Bytes(near.len() as u64));
    g.bench_function("rules/near-misses", |b| {
        b.iter(|| scanner.scan_unit(&near_unit).findings.len())
    });
    // Many hits: 5,000 valid tokens one per line, and the same on one line (columns along a line).
    let tokens: Vec<String> = (0..5_000).map(fake_token).collect();
    let lines = unit("many.txt", &(tokens.join("\n") + "\n"));
    let one_line = unit("one-line.txt", &(tokens.join(" ") + "\n"));
    g.throughput(Throughput::Bytes(one_line.regions[0].text.len() as u64));
    g.bench_function("rules/many-hits-one-per-line", |b| {
        b.iter(|| scanner.scan_unit(&lines).findings.len())
    });
    g.bench_function("rules/many-hits-on-one-line", |b| {
        b.iter(|| scanner.scan_unit(&one_line).findings.len())
    });
    g.finish();
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.test")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.test")
        .status()
        .expect("git runs")
        .success();
    assert!(ok, "git {args:?}");
}

/// A repository of the corpus, committed, then 20 files modified with ~2,000 added lines in total
/// and 3 secrets: the "typical staged change" of BENCHMARKS.md workload (a).
fn typical_staged_repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let files = corpus_files(&corpus_dir());
    for (p, t) in &files {
        let dest = dir.join(p);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(dest, t).unwrap();
    }
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    let step = (files.len() / 20).max(1);
    for (n, (p, t)) in files.iter().step_by(step).take(20).enumerate() {
        let mut lines: Vec<String> = t.lines().map(str::to_owned).collect();
        let at = lines.len() / 2;
        let added: Vec<String> = (0..100)
            .map(|i| {
                if i == 50 && n % 7 == 0 {
                    format!("    let token = \"{}\";", fake_token(n))
                } else {
                    format!("    let added_{n}_{i} = compute({i}, \"value {i}\");")
                }
            })
            .collect();
        lines.splice(at..at, added);
        std::fs::write(dir.join(p), lines.join("\n") + "\n").unwrap();
    }
    git(dir, &["add", "-A"]);
    tmp
}

fn bench_staged(c: &mut Criterion) {
    let rules = RuleSet::builtin().expect("built-in rules compile");
    let scanner = Scanner::new(&rules, FingerprintKey::from_bytes([7; 32]));
    let tmp = typical_staged_repo();
    let repo = git2::Repository::open(tmp.path()).unwrap();
    let limits = coach::api::Limits::default();
    let mut g = c.benchmark_group("staged");
    // Diff line mapping alone: HEAD→index diff, patches, added lines grouped into regions.
    g.bench_function("diff-line-mapping/20-files-2000-lines", |b| {
        b.iter(|| {
            coach::api::staged_collect(&repo, limits)
                .unwrap()
                .units
                .len()
        })
    });
    g.bench_function("scan/20-files-2000-lines-3-secrets", |b| {
        b.iter_batched(
            || (),
            |()| {
                let (_, outcome) =
                    coach::api::staged_scan(&repo, limits, &|u| scanner.scan_unit(u)).unwrap();
                assert_eq!(outcome.findings.len(), 3);
                outcome.findings.len()
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench_prefilter_and_rules, bench_staged);
criterion_main!(benches);
