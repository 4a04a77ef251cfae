//! The compiled rule set: rules parsed from TOML (embedded at build time, or loaded from a folder),
//! validated, and compiled once. Knows nothing about any provider.
mod compile;
mod pack;
pub mod rewrite;
pub mod spec;
pub mod validate;

use crate::error::Error;
use crate::finding::{Category, Confidence, Identity, Lifetime, Severity, Verdict};
use compile::compile_rule;
use globset::{GlobSet, GlobSetBuilder};
use regex::Regex;
use spec::{CoachingSpec, RuleFile};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use toml::Spanned;
use validate::checksum::Checksum;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Largest compiled program a rule's regex may produce: keeps a hostile or careless pattern from
/// costing megabytes per hook run.
const REGEX_SIZE_LIMIT: usize = 1 << 21;

/// Where a rule or coaching table was written, for messages.
#[derive(Debug, Clone)]
pub struct Origin {
    pub path: PathBuf,
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.line)
    }
}

/// Restricts a rule to some paths: gitignore-style globs, `!glob` excludes.
#[derive(Debug, Clone)]
pub struct PathFilter {
    include: GlobSet,
    exclude: GlobSet,
    /// A path that satisfies the filter, used to run the rule's own examples.
    pub sample: String,
}

impl PathFilter {
    pub fn matches(&self, path: &str) -> bool {
        self.include.is_match(path) && !self.exclude.is_match(path)
    }
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub keywords: Vec<String>,
    pub pattern: String,
    /// Compiled on first use: a commit whose text never mentions a rule's keyword never pays for
    /// compiling its regex. Rules from untrusted files are compiled (and validated) at load.
    matcher: OnceLock<Result<Matcher, String>>,
    /// Built on first use, before `matcher`: whether the regex can match at all (#15).
    precheck: OnceLock<Precheck>,
    pub min_entropy: Option<f64>,
    pub checksum: Option<Checksum>,
    pub stop_words: Vec<String>,
    pub paths: Option<PathFilter>,
    pub lifetime: Lifetime,
    pub identity: Identity,
    pub severity: Severity,
    pub category: Category,
    /// `verdict` and `confidence` as written; the rest follows from them (`compile.rs`:
    /// `Rule::verdict`, `Rule::confidence`, `Rule::judge`).
    verdict_set: Option<Verdict>,
    confidence_set: Option<Confidence>,
    /// Derived from the pattern on first use, like `matcher`.
    confidence_derived: OnceLock<Confidence>,
    pub generic: bool,
    pub pair: Option<(String, u32)>,
    pub examples: Vec<String>,
    pub negative_examples: Vec<String>,
    pub weak_examples: Vec<String>,
    pub references: Vec<String>,
    pub origin: Origin,
}

/// A rule's compiled regex and where its groups are.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub regex: Regex,
    pub secret_group: usize,
    /// (group index, name) of the non-secret identifier groups.
    pub identifier_groups: Vec<(usize, String)>,
    /// How far from a keyword a match can reach: what must be searched around each keyword hit.
    pub reach: rewrite::Reach,
}

impl Matcher {
    /// Compiles a pattern and checks its groups: one `secret`, every other group named.
    pub fn new(pattern: &str) -> Result<Self, String> {
        Self::with_reach(pattern, None)
    }

    /// Like [`Matcher::new`], with the pattern's reach when it is already known (saves a parse).
    fn with_reach(pattern: &str, reach: Option<rewrite::Reach>) -> Result<Self, String> {
        let build = |p: &str| {
            regex::RegexBuilder::new(p)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| format!("does not compile: {e}"))
        };
        // The ASCII-boundary form runs; should it not compile, the pattern as written decides
        // (and its error quotes what the author wrote).
        let regex = match rewrite::ascii_word_boundaries(pattern) {
            std::borrow::Cow::Borrowed(p) => build(p)?,
            std::borrow::Cow::Owned(fast) => build(&fast).or_else(|_| build(pattern))?,
        };
        let mut secret_group = 0;
        let mut identifier_groups = Vec::new();
        for (i, name) in regex.capture_names().enumerate().skip(1) {
            match name {
                Some("secret") => secret_group = i,
                Some(n) => identifier_groups.push((i, n.to_owned())),
                None => return Err(format!(
                    "capture group {i} has no name; use (?P<secret>..) for the secret, (?P<name>..) for identifiers, (?:..) otherwise"
                )),
            }
        }
        if secret_group == 0 {
            return Err("no (?P<secret>..) group".into());
        }
        Ok(Matcher {
            regex,
            secret_group,
            identifier_groups,
            reach: reach.unwrap_or_else(|| rewrite::reach(pattern)),
        })
    }
}

impl Rule {
    /// The compiled pattern (compiling it now if this is its first use).
    pub fn matcher(&self) -> Result<&Matcher, &str> {
        self.matcher
            .get_or_init(|| {
                Matcher::with_reach(&self.pattern, self.precheck.get().map(|p| p.reach))
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// How far from a keyword a match can reach, without compiling the full regex.
    pub fn reach(&self) -> rewrite::Reach {
        match self.matcher.get() {
            Some(Ok(m)) => m.reach,
            _ => self.precheck().reach,
        }
    }

    /// False only when the pattern matches nowhere in the `windows` of `text` (searched as
    /// [`Rule::matcher`]'s regex is: the text before a window in view). Until a rule first matches,
    /// a forward-only lazy DFA without capture groups answers this: building it costs a fraction
    /// of the full regex (no capture groups, no reverse automaton, no literal prefilter), and a
    /// typical commit's candidate rules (generic rules whose keyword `token` or `key` occurs in
    /// source code) mostly never match (#15). Anything the lazy DFA cannot answer is a "maybe".
    pub fn may_match(&self, text: &str, windows: &[std::ops::Range<usize>]) -> bool {
        if self.matcher.get().is_some() {
            return true;
        }
        let Some(dfa) = &self.precheck().dfa else {
            return true;
        };
        dfa.any(text, windows)
    }

    fn precheck(&self) -> &Precheck {
        self.precheck.get_or_init(|| Precheck::new(&self.pattern))
    }

    pub fn applies_to(&self, path: &str) -> bool {
        self.paths.as_ref().is_none_or(|f| f.matches(path))
    }
}

/// What a rule's pattern is known to need before its regex is compiled: its reach and a matcher
/// that only says whether there is a match. Both from one parse of the pattern (#15).
#[derive(Debug, Clone)]
struct Precheck {
    reach: rewrite::Reach,
    /// `None` when the pattern cannot be searched this way (it is then compiled in full).
    dfa: Option<MatchCheck>,
}

impl Precheck {
    fn new(pattern: &str) -> Self {
        // The form the full regex runs (`Matcher::new`), parsed with the regex crate's defaults.
        let fast = rewrite::ascii_word_boundaries(pattern);
        let Ok(hir) = regex_syntax::parse(&fast) else {
            return Precheck {
                reach: rewrite::reach(pattern),
                dfa: None,
            };
        };
        Precheck {
            reach: rewrite::reach_of(&hir),
            dfa: MatchCheck::new(&hir),
        }
    }
}

/// A forward lazy DFA over a pattern without its groups, with a pool of caches for the threads
/// that search with it.
struct MatchCheck {
    dfa: regex_automata::hybrid::dfa::DFA,
    caches: std::sync::Mutex<Vec<regex_automata::hybrid::dfa::Cache>>,
    /// Bytes searched so far, across threads: past [`PRECHECK_BUDGET`] the answer is "maybe".
    searched: std::sync::atomic::AtomicUsize,
}

/// Bytes a rule's pre-check searches before the rule is compiled in full anyway. The lazy DFA
/// alone has no literal prefilter, so over much text the full regex is faster: a directory scan
/// (workload c) took 1.6 s of CPU with the full regexes and 2.6 s with pre-checks throughout; a
/// commit's candidate rules read far less than this (#15).
const PRECHECK_BUDGET: usize = 256 << 10;

impl Clone for MatchCheck {
    fn clone(&self) -> Self {
        MatchCheck {
            dfa: self.dfa.clone(),
            caches: std::sync::Mutex::new(Vec::new()),
            searched: std::sync::atomic::AtomicUsize::new(0),
        }
    }
}

impl fmt::Debug for MatchCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MatchCheck")
    }
}

impl MatchCheck {
    fn new(hir: &regex_syntax::hir::Hir) -> Option<Self> {
        use regex_automata::{hybrid::dfa::DFA, nfa::thompson};
        thread_local! {
            // One compiler per thread: each new one allocates (and the kernel zeroes) a 400 KB
            // table the first time it compiles a non-ASCII class, which `(?i)` makes of `k`
            // and `s` (K, ſ); that was a third of compiling a generic rule's pattern (#15).
            static COMPILER: thompson::Compiler = {
                let mut c = thompson::Compiler::new();
                c.configure(
                    thompson::Config::new()
                        .which_captures(thompson::WhichCaptures::None)
                        .nfa_size_limit(Some(REGEX_SIZE_LIMIT)),
                );
                c
            };
        }
        let nfa = COMPILER.with(|c| c.build_from_hir(hir).ok())?;
        // A Unicode word boundary (`\B`) stops the search at the first non-ASCII byte: a "maybe".
        let dfa = DFA::builder()
            .configure(DFA::config().unicode_word_boundary(true))
            .build_from_nfa(nfa)
            .ok()?;
        Some(MatchCheck {
            dfa,
            caches: std::sync::Mutex::new(Vec::new()),
            searched: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// Whether any window may hold a match; an error of the lazy DFA (it gave up, or stopped at
    /// a byte it cannot judge) is a "maybe", and so is every answer past the budget.
    fn any(&self, text: &str, windows: &[std::ops::Range<usize>]) -> bool {
        let len: usize = windows.iter().map(|w| w.len()).sum();
        let before = self
            .searched
            .fetch_add(len, std::sync::atomic::Ordering::Relaxed);
        if before.saturating_add(len) > PRECHECK_BUDGET {
            return true;
        }
        let taken = self.caches.lock().ok().and_then(|mut c| c.pop());
        let mut cache = taken.unwrap_or_else(|| self.dfa.create_cache());
        let found = windows.iter().any(|w| {
            let input = regex_automata::Input::new(&text[..w.end])
                .range(w.start..)
                .earliest(true);
            !matches!(self.dfa.try_search_fwd(&mut cache, &input), Ok(None))
        });
        if let Ok(mut c) = self.caches.lock() {
            c.push(cache);
        }
        found
    }
}

/// Coaching for one kind, with where it was defined.
#[derive(Debug, Clone)]
pub struct Coaching {
    /// As read; hollow (no text) when `hollow` names the built-in file it is read from later.
    spec: CoachingSpec,
    pub origin: Origin,
    /// (built-in file, kind) of a table a lean load read hollow (#15).
    hollow: Option<(usize, String)>,
    full: OnceLock<CoachingSpec>,
}

impl Coaching {
    /// The table, read in full the first time a hollow one is asked for.
    pub fn spec(&self) -> &CoachingSpec {
        let Some((file, kind)) = &self.hollow else {
            return &self.spec;
        };
        self.full.get_or_init(|| {
            match pack::builtin_coaching(*file, kind) {
                Some(Ok(spec)) => Some(spec),
                // Not in the table after all: from the text, as a load without it would.
                _ => BUILTIN_RULE_FILES.get(*file).and_then(|(_, text)| {
                    let mut parsed = toml::from_str::<RuleFile>(text).ok()?;
                    parsed.coaching.remove(kind).map(Spanned::into_inner)
                }),
            }
            // The hollow table, if neither could read it: the built-in files are read both ways
            // by the test suite, so this is never reached.
            .unwrap_or_else(|| self.spec.clone())
        })
    }
}

/// Every problem found while loading rules, so `coach rules check` can list them all at once.
#[derive(Debug)]
pub struct RuleErrors(pub Vec<Error>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

/// All rules and coaching, compiled once per process.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub coaching: BTreeMap<String, Coaching>,
}

/// A rules file's name (for messages) and text.
pub struct RuleSource {
    pub path: PathBuf,
    /// Borrowed for a built-in file (no copy per run), which is then read from the table build.rs
    /// made of it rather than parsed (#15).
    pub text: Cow<'static, str>,
    /// Built-in files are proven by the test suite, so their regexes compile lazily; anything else
    /// is compiled and validated when loaded.
    pub trusted: bool,
}

impl RuleSet {
    /// The rules embedded in the binary.
    pub fn builtin() -> Result<Self, RuleErrors> {
        Self::compile(Self::builtin_sources())
    }

    /// The files embedded in the binary, as sources.
    pub fn builtin_sources() -> Vec<RuleSource> {
        BUILTIN_RULE_FILES
            .iter()
            .map(|(name, text)| RuleSource {
                path: Path::new("rules").join(name),
                text: Cow::Borrowed(text),
                trusted: true,
            })
            .collect()
    }

    /// Reads every `*.toml` file of a folder (sorted by name).
    pub fn sources_from_dir(dir: &Path) -> Result<Vec<RuleSource>, Error> {
        let io = |source| Error::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|p| Self::source_from_file(&p))
            .collect()
    }

    pub fn source_from_file(path: &Path) -> Result<RuleSource, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(RuleSource {
            path: path.to_path_buf(),
            text: Cow::Owned(text),
            trusted: false,
        })
    }

    /// Parses, validates and compiles rule files. Rules from later files may use coaching from
    /// earlier ones and vice versa; ids must be unique across all of them.
    pub fn compile(sources: Vec<RuleSource>) -> Result<Self, RuleErrors> {
        Self::strict(Self::compile_from(sources, false))
    }

    /// Like [`RuleSet::compile`], but keeps every rule that did compile next to the errors, so
    /// `coach rules check` can still prove the examples of the healthy rules.
    pub fn compile_lenient(sources: Vec<RuleSource>) -> (Self, Vec<Error>) {
        Self::compile_from(sources, false)
    }

    /// Like [`RuleSet::compile`], for scanning: the built-in rules come without their examples
    /// and references, which only `coach rules` reads (#15). Files other than the built-in ones
    /// are read whole, so their errors are the same.
    pub fn compile_lean(sources: Vec<RuleSource>) -> Result<Self, RuleErrors> {
        Self::strict(Self::compile_from(sources, true))
    }

    /// The set, or every error when there is any.
    fn strict((set, errors): (Self, Vec<Error>)) -> Result<Self, RuleErrors> {
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(RuleErrors(errors))
        }
    }

    fn compile_from(sources: Vec<RuleSource>, lean: bool) -> (Self, Vec<Error>) {
        let mut errors = Vec::new();
        let mut rules = Vec::new();
        let mut coaching = BTreeMap::new();
        // (kind, its offset, index of its source): no copy of a file's text per rule (#15).
        let mut kinds_used: Vec<(String, usize, usize)> = Vec::new();
        let mut added = 0usize;
        for (si, src) in sources.iter().enumerate() {
            let lines = LineCounter::new(&src.text);
            let line_of = |offset: usize| lines.line_of(offset);
            let builtin = match &src.text {
                // The embedded text itself (not a copy, not a user's file of the same name).
                Cow::Borrowed(text) => BUILTIN_RULE_FILES
                    .iter()
                    .position(|(_, t)| std::ptr::eq(*t, *text)),
                Cow::Owned(_) => None,
            };
            let packed = builtin.and_then(|i| pack::builtin_file(i, &src.text, lean));
            // A lean read from the table leaves the coaching tables hollow, read when needed.
            let hollow_from = builtin.filter(|_| lean && matches!(packed, Some(Ok(_))));
            // Anything the table cannot give is parsed from the text, whose errors say where.
            let parsed = match packed {
                Some(Ok(file)) => Ok(file),
                _ => toml::from_str(&src.text),
            };
            let file: RuleFile = match parsed {
                Ok(f) => f,
                Err(e) => {
                    let offset = e.span().map_or(0, |s| s.start);
                    errors.push(Error::at_offset(
                        &src.path,
                        &src.text,
                        offset,
                        e.message().trim(),
                    ));
                    continue;
                }
            };
            for (kind, spec) in file.coaching {
                let origin = Origin {
                    path: src.path.clone(),
                    line: line_of(spec.span().start),
                };
                if let Some(prev) = coaching.get(&kind) {
                    let prev: &Coaching = prev;
                    errors.push(Error::at_offset(
                        &src.path,
                        &src.text,
                        spec.span().start,
                        format!("coaching.{kind}: defined twice (also at {})", prev.origin),
                    ));
                    continue;
                }
                if let Some(v) = &spec.get_ref().verified {
                    if !is_year_month(v.get_ref()) {
                        errors.push(Error::at_offset(
                            &src.path,
                            &src.text,
                            v.span().start,
                            format!(
                                "coaching.{kind}.verified: {:?} is not a year and month (YYYY-MM)",
                                v.get_ref()
                            ),
                        ));
                    }
                }
                let hollow = hollow_from.map(|i| (i, kind.clone()));
                coaching.insert(
                    kind,
                    Coaching {
                        spec: spec.into_inner(),
                        origin,
                        hollow,
                        full: OnceLock::new(),
                    },
                );
            }
            for spec in file.rule {
                let kind_off = spec.kind.span().start;
                if !src.trusted {
                    added += 1;
                    if added > MAX_ADDED_RULES {
                        // Each loaded rule holds tens of KB: a repository's 4 MiB of small rules
                        // would otherwise hold gigabytes (#15).
                        errors.push(Error::at_offset(
                            &src.path,
                            &src.text,
                            kind_off,
                            format!(
                                "rule: more than {MAX_ADDED_RULES} rules besides the built-in ones"
                            ),
                        ));
                        break;
                    }
                }
                match compile_rule(spec, src, &line_of) {
                    Ok(rule) => {
                        kinds_used.push((rule.kind.clone(), kind_off, si));
                        rules.push(rule);
                    }
                    Err(mut e) => errors.append(&mut e),
                }
            }
        }
        let mut seen = HashSet::new();
        for r in &rules {
            if !seen.insert(r.id.as_str()) {
                errors.push(Error::Data {
                    path: r.origin.path.clone(),
                    line: r.origin.line,
                    col: 1,
                    msg: format!("id: duplicate rule id {:?}", r.id),
                });
            }
        }
        for (kind, off, si) in &kinds_used {
            if !coaching.contains_key(kind) {
                errors.push(Error::at_offset(
                    &sources[*si].path,
                    &sources[*si].text,
                    *off,
                    format!("kind: no [coaching.{kind}] table in any rules file"),
                ));
            }
        }
        for r in &rules {
            if let Some((other, _)) = &r.pair {
                if !rules.iter().any(|o| &o.id == other) {
                    errors.push(Error::Data {
                        path: r.origin.path.clone(),
                        line: r.origin.line,
                        col: 1,
                        msg: format!("pair.rule: unknown rule id {other:?}"),
                    });
                }
            }
        }
        (RuleSet { rules, coaching }, errors)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn coaching(&self, kind: &str) -> Option<&CoachingSpec> {
        self.coaching.get(kind).map(Coaching::spec)
    }

    /// Drops rules by id (config `disabled-rules`); unknown ids are reported to the caller.
    pub fn disable(&mut self, ids: &[String]) -> Vec<String> {
        let unknown = ids
            .iter()
            .filter(|id| !self.rules.iter().any(|r| &&r.id == id))
            .cloned()
            .collect();
        self.rules.retain(|r| !ids.contains(&r.id));
        unknown
    }
}

/// Line numbers of offsets asked mostly in increasing order (a file's rules, in turn): each
/// counts the newlines since the last, so a file is read about once, with nothing allocated. A
/// table of every newline's offset was a sixth of loading the built-in rules (#15).
struct LineCounter<'t> {
    text: &'t str,
    /// (offset, line number there) of the last answer.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        LineCounter {
            text,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// The 1-based line of byte `offset` (past the end: the last line).
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let (from, line) = match self.last.get() {
            (at, line) if at <= offset => (at, line),
            _ => (0, 1),
        };
        let line = line + memchr::memchr_iter(b'\n', &self.text.as_bytes()[from..offset]).count();
        self.last.set((offset, line));
        line
    }
}

/// Rules loaded from files other than the built-in ones (a repository's, or a user's own), at most.
pub const MAX_ADDED_RULES: usize = 2000;

/// `YYYY-MM`, month 01-12: the form of a coaching table's `verified` date.
fn is_year_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit)
        && matches!(s[5..].parse::<u8>(), Ok(1..=12))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scanning's lean load coaches every kind exactly as the full load does, reading each
    /// hollow table only when asked.
    #[test]
    fn a_lean_load_coaches_every_kind_as_the_full_load() {
        let full = RuleSet::compile(RuleSet::builtin_sources()).unwrap();
        let lean = RuleSet::compile_lean(RuleSet::builtin_sources()).unwrap();
        assert_eq!(full.coaching.len(), lean.coaching.len());
        for (kind, c) in &lean.coaching {
            assert!(c.hollow.is_some() && c.spec.title.is_empty(), "{kind}");
            assert!(
                c.full.get().is_none(),
                "{kind}: read before it was asked for"
            );
            let want = full.coaching(kind).unwrap();
            assert_eq!(
                format!("{:?}", lean.coaching(kind).unwrap()),
                format!("{want:?}")
            );
            assert_eq!(c.origin.to_string(), full.coaching[kind].origin.to_string());
        }
        assert!(full.coaching.values().all(|c| c.hollow.is_none()));
    }

    #[test]
    fn line_numbers_agree_with_counting_from_the_start() {
        let text = "a\nbb\n\nccc\nd";
        let lines = LineCounter::new(text);
        // In order, backwards, repeated, at newlines and past the end.
        for offset in [0, 1, 2, 5, 6, 7, 11, 12, 3, 0, 9, 9, 100, 4] {
            let want = text[..offset.min(text.len())].matches('\n').count() + 1;
            assert_eq!(lines.line_of(offset), want, "offset {offset}");
        }
    }

    /// The pre-check's reach (from the ASCII form) is the reach of the pattern as written, or
    /// shorter in bytes, and it never rules out text the full regex matches: every example of every
    /// built-in rule, whole and cut into windows at each line, with the text before in view.
    #[test]
    fn the_precheck_keeps_reach_and_never_misses_a_match() {
        let set = RuleSet::builtin().unwrap();
        let mut checked = 0;
        for r in &set.rules {
            // ASCII folding can only shorten the longest match (`k` for a three-byte `K`).
            let (fast, written) = (r.precheck().reach, rewrite::reach(&r.pattern));
            let within = match (fast, written) {
                (rewrite::Reach::Bytes(f), rewrite::Reach::Bytes(w)) => f <= w,
                (f, w) => f == w,
            };
            assert!(within, "{}: {fast:?} against {written:?}", r.id);
            let regex = &r.matcher().unwrap().regex;
            let window = |from: usize, to: usize| std::iter::once(from..to).collect::<Vec<_>>();
            // A fresh copy each time: `may_match` answers from the full regex once it is
            // compiled, and "maybe" once its budget is spent.
            let fresh = || Rule {
                matcher: OnceLock::new(),
                precheck: OnceLock::new(),
                ..r.clone()
            };
            for ex in r.examples.iter().chain(&r.negative_examples) {
                let text = format!("x\n{ex}\n");
                if regex.is_match(&text) {
                    let rule = fresh();
                    assert!(rule.precheck().dfa.is_some(), "{}", r.id);
                    assert!(
                        rule.may_match(&text, &window(0, text.len())),
                        "{}: {ex}",
                        r.id
                    );
                    checked += 1;
                }
                let rule = fresh();
                for at in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                    if regex.find_at(&text, at).is_some() {
                        assert!(
                            rule.may_match(&text, &window(at, text.len())),
                            "{}: {ex} from {at}",
                            r.id
                        );
                    }
                }
                assert!(
                    rule.matcher.get().is_none(),
                    "{}: compiled by the pre-check",
                    r.id
                );
            }
            // A text the rule does not match: the answer is a firm no.
            assert!(
                !fresh().may_match("x", &window(0, 1)) || regex.is_match("x"),
                "{}",
                r.id
            );
        }
        assert!(checked > 500, "{checked}");
    }

    #[test]
    fn verified_dates_are_year_and_month() {
        assert!(is_year_month("2026-12"));
        assert!(is_year_month("2025-01"));
        for bad in [
            "2026-13",
            "2026-00",
            "2026-1",
            "26-12",
            "2026/12",
            "2026-12-01",
            "abcd-ef",
        ] {
            assert!(!is_year_month(bad), "{bad}");
        }
    }

    #[test]
    fn a_malformed_verified_date_names_file_line_and_field() {
        let text = "[coaching.demo]\ntitle = \"t\"\nwhy = \"w\"\nrevoke-console = \"c\"\n\
                    revoke-cli = []\naudit = \"a\"\nstore = \"s\"\nreplace = \"r\"\ndocs = []\n\
                    verified = \"Dec 2026\"\n";
        let (_, errors) = RuleSet::compile_lenient(vec![RuleSource {
            path: PathBuf::from("demo.toml"),
            text: text.into(),
            trusted: false,
        }]);
        let msg = errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(msg.contains("demo.toml:10:"), "{msg}");
        assert!(msg.contains("coaching.demo.verified"), "{msg}");
    }
}
