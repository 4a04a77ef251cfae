//! The baseline: a reviewable file of findings a team already knows about, so adopting coach in an
//! old repository does not block everyone on day one. Entries are (rule id, path, hash of the
//! secret): no line numbers, so edits elsewhere in a file never churn it, and no secret.
//!
//! The file is committed and readable by anyone with the repository, salt included, so the hash must
//! resist offline guessing: it is Argon2id (memory-hard, deliberately slow) over rule id + secret,
//! with the salt and the cost parameters stored in the file, so every clone computes the same value
//! and the cost can be raised later (see docs/CONFIG.md, #10). Each distinct secret is derived once
//! per run. The file is sorted and rewritten byte-for-byte identically when nothing changed. TOML by
//! default; a path ending in `.json` is read and written as JSON.
mod kdf;

use crate::error::Error;
use crate::finding::{Finding, Secret};
pub use kdf::KdfParams;
use kdf::{Cache, HASH_BYTES, KDF};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Bumped if the hash or the layout changes. Version 1 (a fast HMAC) is refused by every command
/// but `coach baseline update`, which rewrites it.
pub const VERSION: u32 = 2;

/// One known finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    // Field order is the sort order: path first reads best in review.
    pub path: String,
    pub rule: String,
    pub hash: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    salt: String,
    // Optional only so that a version 1 file parses far enough to be named as such.
    #[serde(default)]
    kdf: Option<String>,
    #[serde(default)]
    kdf_memory_kib: Option<u32>,
    #[serde(default)]
    kdf_iterations: Option<u32>,
    #[serde(default)]
    kdf_parallelism: Option<u32>,
    #[serde(default, rename = "finding")]
    findings: Vec<Entry>,
}

/// A loaded (or new) baseline.
#[derive(Debug)]
pub struct Baseline {
    path: PathBuf,
    salt: [u8; 32],
    params: KdfParams,
    /// Derivations made this run, keyed by SHA-256(rule id, secret): in memory only, so a secret met
    /// a thousand times (history scans) costs one derivation.
    cache: Cache,
    pub entries: BTreeSet<Entry>,
    /// Being written (`coach baseline create|update`): every finding needs its hash. Otherwise
    /// only a finding that an entry could match (same path and rule) is hashed: each hash costs
    /// what the file's `kdf-*` settings say (20-500 ms), and hashing every finding made a commit
    /// of 200 tokens take 3.5 s under an empty baseline (#15).
    recording: bool,
}

impl Baseline {
    /// An empty baseline with a fresh random salt and the default cost, to be written at `path`.
    pub fn new(path: PathBuf) -> Self {
        let mut salt = [0u8; 32];
        getrandom::getrandom(&mut salt).expect("operating system random source");
        Baseline {
            path,
            salt,
            params: KdfParams::DEFAULT,
            cache: Cache::default(),
            entries: BTreeSet::new(),
            recording: true,
        }
    }

    /// Reads `path`; `Ok(None)` when it does not exist. A file that does not parse is an error
    /// (exit 2), never an empty baseline; so is a version 1 file.
    pub fn load(path: &Path) -> Result<Option<Self>, Error> {
        Self::load_inner(path, false)
    }

    /// As [`Baseline::load`], but a version 1 file becomes an empty baseline at the same path (new
    /// salt, default cost): its fast hashes cannot be converted, and `coach baseline update`
    /// rescans and rewrites every entry anyway.
    pub fn load_for_update(path: &Path) -> Result<Option<Self>, Error> {
        Self::load_inner(path, true)
    }

    fn load_inner(path: &Path, migrate: bool) -> Result<Option<Self>, Error> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(Error::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let file: BaselineFile = if is_json(path) {
            serde_json::from_str(&text).map_err(|e| Error::Data {
                path: path.to_path_buf(),
                line: e.line(),
                col: e.column(),
                msg: e.to_string(),
            })?
        } else {
            toml::from_str(&text).map_err(|e| {
                let offset = e.span().map_or(0, |s| s.start);
                Error::at_offset(path, &text, offset, e.message().trim())
            })?
        };
        let data_error = |needle: &str, msg: String| {
            Error::at_offset(path, &text, text.find(needle).unwrap_or(0), msg)
        };
        if file.version == 1 && migrate {
            return Ok(Some(Baseline::new(path.to_path_buf())));
        }
        if file.version == 1 {
            return Err(data_error(
                "version",
                "baseline version 1 uses a fast hash that anyone with the repository can test guesses against; rewrite it with `coach baseline update` and commit the result".into(),
            ));
        }
        if file.version != VERSION {
            return Err(data_error(
                "version",
                format!(
                    "baseline version {} is not supported (expected {VERSION}); recreate it with `coach baseline create`",
                    file.version
                ),
            ));
        }
        let salt: [u8; 32] = hex::decode(&file.salt)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| data_error("salt", "salt must be 64 hex characters".into()))?;
        if file.kdf.as_deref() != Some(KDF) {
            return Err(data_error("kdf", format!("kdf must be \"{KDF}\"")));
        }
        let (Some(memory_kib), Some(iterations), Some(parallelism)) = (
            file.kdf_memory_kib,
            file.kdf_iterations,
            file.kdf_parallelism,
        ) else {
            return Err(data_error(
                "kdf",
                "kdf-memory-kib, kdf-iterations and kdf-parallelism are required".into(),
            ));
        };
        let params = KdfParams {
            memory_kib,
            iterations,
            parallelism,
        }
        .check()
        .map_err(|msg| data_error("kdf-", msg))?;
        Ok(Some(Baseline {
            path: path.to_path_buf(),
            salt,
            params,
            cache: Cache::default(),
            entries: file.findings.into_iter().collect(),
            recording: migrate,
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file name, for reasons shown to people.
    pub fn display_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    pub fn params(&self) -> KdfParams {
        self.params
    }

    /// The hash of one secret for one rule under this baseline's salt and cost.
    pub fn hash(&self, rule_id: &str, secret: &Secret) -> String {
        let input = [rule_id.as_bytes(), &[0], secret.expose().as_bytes()].concat();
        let key: [u8; 32] = sha2::Sha256::digest(&input).into();
        if let Some(h) = self.cache.0.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return h;
        }
        // Not under the cache lock: parallel scans derive different secrets at the same time, but
        // at most MAX_DERIVATIONS at once, so memory stays bounded on many-core machines.
        let mut out = [0u8; HASH_BYTES];
        {
            let _permit = self.cache.permit();
            self.params
                .argon2()
                .hash_password_into(&input, &self.salt, &mut out)
                .expect("valid parameters, salt and output length");
        }
        let h = hex::encode(out);
        if let Ok(mut c) = self.cache.0.lock() {
            c.insert(key, h.clone());
        }
        h
    }

    /// Whether a finding of `rule` at `path` needs its hash: the baseline is being written, or an
    /// entry has that path and rule (entries sort by path, then rule).
    pub fn wants_hash(&self, rule: &str, path: &str) -> bool {
        self.recording
            || self
                .entries
                .range(
                    Entry {
                        path: path.to_owned(),
                        rule: rule.to_owned(),
                        hash: String::new(),
                    }..,
                )
                .next()
                .is_some_and(|e| e.path == path && e.rule == rule)
    }

    pub fn contains(&self, rule: &str, path: &str, hash: &str) -> bool {
        // BTreeSet lookup needs an owned key; baselines are small next to the scan itself.
        self.entries.contains(&Entry {
            path: path.to_owned(),
            rule: rule.to_owned(),
            hash: hash.to_owned(),
        })
    }

    /// Replaces the entries with `findings` (those with a baseline hash and no inline or config
    /// suppression); returns (added, removed) counts.
    pub fn replace(
        &mut self,
        findings: &[Finding],
        repo_path: impl Fn(&str) -> String,
    ) -> (usize, usize) {
        let new: BTreeSet<Entry> = findings
            .iter()
            .filter(|f| {
                f.suppression
                    .as_ref()
                    .is_none_or(|s| s.kind == crate::finding::SuppressionKind::Baseline)
            })
            .filter_map(|f| {
                Some(Entry {
                    path: repo_path(&f.path),
                    rule: f.rule_id.clone(),
                    hash: f.baseline_hash.clone()?,
                })
            })
            .collect();
        let added = new.difference(&self.entries).count();
        let removed = self.entries.difference(&new).count();
        self.entries = new;
        (added, removed)
    }

    /// The file's text: sorted, stable, reviewable.
    pub fn render(&self) -> String {
        let file = BaselineFile {
            version: VERSION,
            salt: hex::encode(self.salt),
            kdf: Some(KDF.into()),
            kdf_memory_kib: Some(self.params.memory_kib),
            kdf_iterations: Some(self.params.iterations),
            kdf_parallelism: Some(self.params.parallelism),
            findings: self.entries.iter().cloned().collect(),
        };
        if is_json(&self.path) {
            let mut s = serde_json::to_string_pretty(&file).expect("baseline serializes");
            s.push('\n');
            return s;
        }
        let mut out = String::from(
            "# coach baseline: findings that were already here when coach was adopted.\n\
             # They are reported as known and do not block. Review changes to this file like code.\n\
             # Regenerate with `coach baseline update`. Each hash is Argon2id(salt, rule + secret) with\n\
             # the kdf-* cost below (raise it, then update; see docs/CONFIG.md): no secret is stored,\n\
             # and no line numbers, so edits elsewhere in a file do not churn it.\n",
        );
        let _ = writeln!(out, "version = {VERSION}");
        let _ = writeln!(out, "salt = \"{}\"", file.salt);
        let _ = writeln!(out, "kdf = \"{KDF}\"");
        let _ = writeln!(out, "kdf-memory-kib = {}", self.params.memory_kib);
        let _ = writeln!(out, "kdf-iterations = {}", self.params.iterations);
        let _ = writeln!(out, "kdf-parallelism = {}", self.params.parallelism);
        for e in &file.findings {
            let _ = write!(
                out,
                "\n[[finding]]\npath = {}\nrule = {}\nhash = {}\n",
                quote(&e.path),
                quote(&e.rule),
                quote(&e.hash)
            );
        }
        out
    }

    pub fn write(&self) -> Result<(), Error> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&self.path, self.render()).map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })
    }
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

fn quote(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_then_load_round_trips_and_is_stable() {
        let dir = tempfile::tempdir().unwrap();
        for name in [".coach-baseline.toml", "baseline.json"] {
            let path = dir.path().join(name);
            let mut b = Baseline::new(path.clone());
            b.entries.insert(Entry {
                path: "b.txt".into(),
                rule: "github.pat-classic".into(),
                hash: "00ff".into(),
            });
            b.entries.insert(Entry {
                path: "a \"q\".txt".into(),
                rule: "aws.access-key-id".into(),
                hash: "11ee".into(),
            });
            b.write().unwrap();
            let loaded = Baseline::load(&path).unwrap().unwrap();
            assert_eq!(loaded.entries, b.entries);
            assert_eq!(loaded.render(), b.render(), "{name}");
            let s = Secret::new("hunter2hunter2");
            assert_eq!(loaded.hash("r", &s), b.hash("r", &s));
        }
    }

    #[test]
    fn a_broken_baseline_is_an_error_not_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".coach-baseline.toml");
        std::fs::write(&path, "version = 2\nsalt = \"abc\"\n").unwrap();
        let err = Baseline::load(&path).unwrap_err().to_string();
        assert!(
            err.ends_with(":2:1: salt must be 64 hex characters"),
            "{err}"
        );
        std::fs::write(&path, "version = 2\nsalty = 1\n").unwrap();
        assert!(Baseline::load(&path).is_err());
        assert!(Baseline::load(&dir.path().join("none.toml"))
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_version_1_baseline_is_refused_except_by_update() {
        // See: #10.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".coach-baseline.toml");
        let salt = "ab".repeat(32);
        std::fs::write(
            &path,
            format!("version = 1\nsalt = \"{salt}\"\n\n[[finding]]\npath = \"a\"\nrule = \"r\"\nhash = \"00\"\n"),
        )
        .unwrap();
        let err = Baseline::load(&path).unwrap_err().to_string();
        assert!(err.contains(":1:1: baseline version 1"), "{err}");
        assert!(err.contains("`coach baseline update`"), "{err}");
        let migrated = Baseline::load_for_update(&path).unwrap().unwrap();
        assert!(migrated.entries.is_empty());
        assert_ne!(hex::encode(migrated.salt), salt);
        assert_eq!(migrated.params(), KdfParams::DEFAULT);
    }

    #[test]
    fn cost_parameters_come_from_the_file_within_bounds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".coach-baseline.toml");
        let b = Baseline::new(path.clone());
        let raised = b
            .render()
            .replace("kdf-iterations = 2", "kdf-iterations = 3");
        std::fs::write(&path, &raised).unwrap();
        let loaded = Baseline::load(&path).unwrap().unwrap();
        assert_eq!(loaded.params().iterations, 3);
        let s = Secret::new("hunter2hunter2");
        assert_ne!(
            loaded.hash("r", &s),
            b.hash("r", &s),
            "the cost is an input"
        );
        for (from, to) in [
            ("kdf-iterations = 2", "kdf-iterations = 1"),
            ("kdf-memory-kib = 19456", "kdf-memory-kib = 4000000"),
            ("kdf = \"argon2id\"", "kdf = \"md5\""),
        ] {
            std::fs::write(&path, b.render().replace(from, to)).unwrap();
            let err = Baseline::load(&path).unwrap_err().to_string();
            assert!(err.contains("kdf"), "{to}: {err}");
        }
    }

    /// A loaded baseline hashes only findings an entry could match; one being written hashes all.
    #[test]
    fn only_findings_an_entry_could_match_are_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".coach-baseline.toml");
        let mut b = Baseline::new(path.clone());
        assert!(
            b.wants_hash("any.rule", "any/path"),
            "a new baseline records every finding"
        );
        for (path, rule) in [("a.txt", "r1"), ("a.txt", "r3"), ("b/a.txt", "r1")] {
            b.entries.insert(Entry {
                path: path.into(),
                rule: rule.into(),
                hash: "00ff".into(),
            });
        }
        b.write().unwrap();
        let loaded = Baseline::load(&path).unwrap().unwrap();
        assert!(loaded.wants_hash("r1", "a.txt"));
        assert!(loaded.wants_hash("r3", "a.txt"));
        assert!(loaded.wants_hash("r1", "b/a.txt"));
        for (rule, path) in [
            ("r2", "a.txt"),
            ("r1", "a.tx"),
            ("r1", "a.txt2"),
            ("r", "a.txt"),
        ] {
            assert!(!loaded.wants_hash(rule, path), "{rule} {path}");
        }
        assert!(Baseline::load_for_update(&path)
            .unwrap()
            .unwrap()
            .wants_hash("r2", "c.txt"));
    }

    #[test]
    fn the_hash_is_argon2id_not_the_salted_hmac_and_is_cached() {
        let b = Baseline::new(PathBuf::from("b.toml"));
        let s = Secret::new("hunter2hunter2");
        let h = b.hash("r", &s);
        let hmac = crate::finding::FingerprintKey::from_bytes(b.salt).fingerprint("r", &s);
        assert_ne!(h, hmac);
        let mut out = [0u8; HASH_BYTES];
        KdfParams::DEFAULT
            .argon2()
            .hash_password_into(b"r\0hunter2hunter2", &b.salt, &mut out)
            .unwrap();
        assert_eq!(h, hex::encode(out));
        assert_eq!(b.cache.0.lock().unwrap().len(), 1);
        assert_eq!(b.hash("r", &s), h);
        assert_eq!(b.cache.0.lock().unwrap().len(), 1);
    }
}
