//! `[allowlist]`, compiled: path globs, secret and line regexes (bounded: the patterns come from the
//! repository), stop words.
use crate::error::Error;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use regex::{Regex, RegexBuilder};
use std::path::Path;

/// Longest allowlist regex accepted, in bytes, and the compiled size cap: a config is data from the
/// repository, and a pathological pattern must not make every commit slow.
const MAX_REGEX_LEN: usize = 1024;
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// `[allowlist]`, resolved and compiled.
#[derive(Debug, Default)]
pub struct Allowlist {
    pub(super) paths: Vec<String>,
    path_matcher: Option<Gitignore>,
    pub(super) regexes: Vec<Regex>,
    pub(super) line_regexes: Vec<Regex>,
    /// Lower-cased.
    pub(super) stop_words: Vec<String>,
}

impl Allowlist {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
            && self.regexes.is_empty()
            && self.line_regexes.is_empty()
            && self.stop_words.is_empty()
    }

    /// Why a repository-relative path is allowlisted, if it is.
    pub fn path_reason(&self, path: &str) -> Option<String> {
        let m = self.path_matcher.as_ref()?;
        // The matcher panics on paths outside its root; callers pass repository-relative paths.
        if Path::new(path).has_root() {
            return None;
        }
        match m.matched_path_or_any_parents(path, false) {
            ignore::Match::Ignore(g) => Some(format!("allowlist.paths: {}", g.original())),
            _ => None,
        }
    }

    /// Why a secret (or the line it is on) is allowlisted, if it is.
    pub fn secret_reason(&self, secret: &str, line: &str) -> Option<String> {
        if let Some(r) = self.regexes.iter().find(|r| r.is_match(secret)) {
            return Some(format!("allowlist.regexes: {}", r.as_str()));
        }
        if let Some(r) = self.line_regexes.iter().find(|r| r.is_match(line)) {
            return Some(format!("allowlist.line-regexes: {}", r.as_str()));
        }
        let lower = secret.to_lowercase();
        self.stop_words
            .iter()
            .find(|w| lower.contains(w.as_str()))
            .map(|w| format!("allowlist.stop-words: {w}"))
    }

    pub(super) fn compile_paths(&mut self) -> Result<(), Error> {
        if self.paths.is_empty() {
            self.path_matcher = None;
            return Ok(());
        }
        // Patterns were validated one by one when read, so this only fails on I/O-free edge cases.
        let mut b = GitignoreBuilder::new("");
        for p in &self.paths {
            b.add_line(None, p)
                .map_err(|e| Error::Usage(format!("allowlist.paths: {e}")))?;
        }
        self.path_matcher = Some(
            b.build()
                .map_err(|e| Error::Usage(format!("allowlist.paths: {e}")))?,
        );
        Ok(())
    }
}

pub(super) fn allow_regex(pattern: &str) -> Result<Regex, String> {
    if pattern.len() > MAX_REGEX_LEN {
        return Err(format!(
            "regex is {} bytes long; the limit is {MAX_REGEX_LEN}",
            pattern.len()
        ));
    }
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            // The syntax error's last line is the reason; the lines above repeat the pattern.
            regex::Error::Syntax(s) => format!(
                "invalid regex: {}",
                s.lines()
                    .last()
                    .unwrap_or_default()
                    .trim_start_matches("error: ")
            ),
            regex::Error::CompiledTooBig(n) => {
                format!("regex compiles to more than {n} bytes; simplify it")
            }
            other => format!("invalid regex: {other}"),
        })
}
