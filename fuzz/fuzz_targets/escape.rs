//! The terminal escaping function: for any text, no control byte (other than newline where it is
//! kept), no DEL, no C1 control and no bidi control survives, and plain text is left unchanged.
#![no_main]
use coach::api::{quoted, terminal, terminal_lines};
use libfuzzer_sys::fuzz_target;

fn forbidden(c: char, keep_newline: bool) -> bool {
    ((c as u32) < 0x20 && !(keep_newline && c == '\n'))
        || c == '\x7f'
        || ('\u{80}'..='\u{9f}').contains(&c)
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    for (out, keep) in [(terminal(&s), false), (terminal_lines(&s), true)] {
        assert!(!out.chars().any(|c| forbidden(c, keep)), "{out:?}");
        if !s.chars().any(|c| forbidden(c, keep)) {
            assert_eq!(out.as_ref(), s.as_ref());
        }
    }
    let q = quoted(&s);
    assert!(!q.chars().any(|c| forbidden(c, false)), "{q:?}");
});
