//! The baseline: a reviewable file of findings a team already knows about, so adopting coach in an
//! old repository does not block everyone on day one. Entries are (rule id, path, keyed hash of the
//! secret): no line numbers, so edits elsewhere in a file never churn it, and no secret.
//!
//! The hash is HMAC-SHA256(salt, rule id + secret) with a random salt stored in the file itself:
//! every clone must compute the same value, which the per-user fingerprint key cannot give. The file
//! is sorted and rewritten byte-for-byte identically when nothing changed. TOML by default; a path
//! ending in `.json` is read and written as JSON.
use crate::error::Error;
use crate::finding::{Finding, FingerprintKey, Secret};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Bumped if the hash or the layout changes; older files are then rejected with a clear message.
pub const VERSION: u32 = 1;

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
    #[serde(default, rename = "finding")]
    findings: Vec<Entry>,
}

/// A loaded (or new) baseline.
#[derive(Debug)]
pub struct Baseline {
    path: PathBuf,
    salt: [u8; 32],
    key: FingerprintKey,
    pub entries: BTreeSet<Entry>,
}

impl Baseline {
    /// An empty baseline with a fresh random salt, to be written at `path`.
    pub fn new(path: PathBuf) -> Self {
        let key = FingerprintKey::random();
        Baseline {
            path,
            salt: *key.as_bytes(),
            key,
            entries: BTreeSet::new(),
        }
    }

    /// Reads `path`; `Ok(None)` when it does not exist. A file that does not parse is an error
    /// (exit 2), never an empty baseline.
    pub fn load(path: &Path) -> Result<Option<Self>, Error> {
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
        Ok(Some(Baseline {
            path: path.to_path_buf(),
            salt,
            key: FingerprintKey::from_bytes(salt),
            entries: file.findings.into_iter().collect(),
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

    /// The keyed hash of one secret for one rule under this baseline's salt.
    pub fn hash(&self, rule_id: &str, secret: &Secret) -> String {
        self.key.fingerprint(rule_id, secret)
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
             # Regenerate with `coach baseline update`. Each hash is HMAC-SHA256(salt, rule + secret):\n\
             # no secret is stored, and no line numbers, so edits elsewhere in a file do not churn it.\n",
        );
        let _ = writeln!(out, "version = {VERSION}");
        let _ = writeln!(out, "salt = \"{}\"", file.salt);
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
        std::fs::write(&path, "version = 1\nsalt = \"abc\"\n").unwrap();
        let err = Baseline::load(&path).unwrap_err().to_string();
        assert!(
            err.ends_with(":2:1: salt must be 64 hex characters"),
            "{err}"
        );
        std::fs::write(&path, "version = 1\nsalty = 1\n").unwrap();
        assert!(Baseline::load(&path).is_err());
        assert!(Baseline::load(&dir.path().join("none.toml"))
            .unwrap()
            .is_none());
    }
}
