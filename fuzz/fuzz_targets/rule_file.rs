//! The rule-file parser and compiler: arbitrary text as a rules/*.toml file.
#![no_main]
use coach::api::{RuleSet, RuleSource};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = || RuleSource {
        path: "fuzz.toml".into(),
        text: text.to_owned().into(),
        // Untrusted, like a user's rule file: patterns compile (and are validated) at load.
        trusted: false,
    };
    let strict = RuleSet::compile(vec![source()]);
    let (_rules, errors) = RuleSet::compile_lenient(vec![source()]);
    // The strict and lenient compilers agree on whether the file has a problem.
    assert_eq!(strict.is_err(), !errors.is_empty());
});
