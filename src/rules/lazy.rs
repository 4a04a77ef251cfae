//! Rule regexes compiled on first use. Compiling ~200 case-insensitive patterns costs ~200 ms of
//! CPU, far more than a small commit's scan; a rule whose keyword never appears is never compiled.
//! Built-in rules are compiled lazily (the test suite and `coach rules check` compile every one);
//! rule files from `--rules-dir` are compiled eagerly so their errors surface at load, with exit 2.
use regex::{Regex, RegexBuilder};
use regex_syntax::ast::{parse::Parser, Ast, GroupKind};
use std::ops::Deref;
use std::sync::OnceLock;

#[derive(Debug, Clone)]
pub struct LazyRegex {
    pattern: String,
    size_limit: usize,
    cell: OnceLock<Regex>,
}

impl LazyRegex {
    /// An already compiled regex.
    pub fn compiled(re: Regex, size_limit: usize) -> Self {
        let cell = OnceLock::new();
        let pattern = re.as_str().to_owned();
        let _ = cell.set(re);
        LazyRegex {
            pattern,
            size_limit,
            cell,
        }
    }

    /// A pattern whose syntax was checked (see [`capture_names`]) but which compiles on first use.
    pub fn deferred(pattern: &str, size_limit: usize) -> Self {
        LazyRegex {
            pattern: pattern.to_owned(),
            size_limit,
            cell: OnceLock::new(),
        }
    }
}

impl Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.cell.get_or_init(|| {
            RegexBuilder::new(&self.pattern)
                .size_limit(self.size_limit)
                .build()
                // Only built-in patterns are deferred, and the test suite compiles each of them.
                .expect("built-in rule patterns compile")
        })
    }
}

/// The capture groups of `pattern` in index order (index 0, the whole match, excluded), from a
/// syntax-only parse: no Unicode tables, no case folding, no automaton.
pub fn capture_names(pattern: &str) -> Result<Vec<Option<String>>, String> {
    let ast = Parser::new().parse(pattern).map_err(|e| e.to_string())?;
    let mut groups: Vec<(u32, Option<String>)> = Vec::new();
    collect(&ast, &mut groups);
    groups.sort_by_key(|(i, _)| *i);
    Ok(groups.into_iter().map(|(_, n)| n).collect())
}

fn collect(ast: &Ast, out: &mut Vec<(u32, Option<String>)>) {
    match ast {
        Ast::Group(g) => {
            match &g.kind {
                GroupKind::CaptureIndex(i) => out.push((*i, None)),
                GroupKind::CaptureName { name, .. } => {
                    out.push((name.index, Some(name.name.clone())))
                }
                GroupKind::NonCapturing(_) => {}
            }
            collect(&g.ast, out);
        }
        Ast::Repetition(r) => collect(&r.ast, out),
        Ast::Concat(c) => c.asts.iter().for_each(|a| collect(a, out)),
        Ast::Alternation(a) => a.asts.iter().for_each(|a| collect(a, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_names_match_the_compiled_regex() {
        for p in [
            r"(?i)\b(?P<id>AKIA[A-Z2-7]{16})(?:x|(y))(?P<secret>[a-z]+)",
            r"((a)|(?P<n>b))*",
            r"plain",
        ] {
            let compiled: Vec<Option<String>> = Regex::new(p)
                .unwrap()
                .capture_names()
                .skip(1)
                .map(|n| n.map(str::to_owned))
                .collect();
            assert_eq!(capture_names(p).unwrap(), compiled, "{p}");
        }
    }

    #[test]
    fn deferred_compiles_on_first_use() {
        let r = LazyRegex::deferred("a+b", 1 << 20);
        assert!(r.cell.get().is_none());
        assert!(r.is_match("aab"));
        assert!(r.cell.get().is_some());
    }
}
