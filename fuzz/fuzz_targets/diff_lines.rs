//! Diff and line mapping: any two byte strings, as old and new content of a staged file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // First byte picks the split point between old and new.
    let Some((&k, rest)) = data.split_first() else {
        return;
    };
    let cut = (k as usize * rest.len()) / 255;
    let (old, new) = rest.split_at(cut.min(rest.len()));
    if let Ok(Some(regions)) = coach::api::diff_buffers(old, new) {
        let lines = new.iter().filter(|&&b| b == b'\n').count() + 1;
        let mut last = 0u32;
        for r in &regions {
            assert!(r.first_line > last, "regions ascend and do not touch");
            let n = r.text.split('\n').count() as u32;
            last = r.first_line + n - 1;
            // UTF-16 decoding can change the line count, plain text cannot.
            if coach::api::decode_utf16(new).is_none() {
                assert!(last as usize <= lines, "line {last} beyond {lines}");
            }
        }
    }
});
