//! Validators a rule names: checksums, entropy and the placeholder filter (and the strength bar a
//! generic finding must clear to block). They belong to the rule
//! data (a rule file says which to apply), so they live here and the scanner calls them.
pub mod checksum;
pub mod entropy;
pub mod placeholder;
pub mod strength;
