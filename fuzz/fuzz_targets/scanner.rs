//! The scanner on arbitrary bytes, read the way a path scan reads a file.
#![no_main]
use coach::api::{Exposure, FingerprintKey};
use coach::api::RuleSet;
use coach::api::Scanner;
use coach::api::{decode_utf16, looks_binary, text_region, whole_file_region, ScanUnit};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn scanner() -> &'static Scanner<'static> {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    static SCANNER: OnceLock<Scanner<'static>> = OnceLock::new();
    SCANNER.get_or_init(|| {
        let rules = RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules compile"));
        Scanner::new(rules, FingerprintKey::from_bytes([1; 32]))
    })
}

fuzz_target!(|data: &[u8]| {
    let regions = match decode_utf16(data) {
        Some(t) => text_region(t.into()),
        None if looks_binary(data) => return,
        None => whole_file_region(data),
    };
    let unit = ScanUnit {
        keystore: false,
        path: "fuzz.txt".into(),
        exposure: Exposure::Local,
        commit: None,
        regions,
    };
    let out = scanner().scan_unit(&unit);
    for f in &out.findings {
        assert!(f.line >= 1 && f.column >= 1 && f.end_line >= f.line);
    }
});
