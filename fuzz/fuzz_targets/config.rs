//! The config parser: arbitrary text as a .coach.toml.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = coach::api::parse_config(std::path::Path::new(".coach.toml"), text);
});
