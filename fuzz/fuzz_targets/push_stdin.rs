//! The pre-push hook's standard input: arbitrary text as Git's `<local ref> <local sha> <remote ref>
//! <remote sha>` lines. Parsing either fails with a message or yields one update per non-blank line.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match coach::api::parse_push(text) {
        Ok(updates) => {
            let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
            assert_eq!(updates.len(), lines);
        }
        Err(msg) => assert!(!msg.is_empty()),
    }
});
