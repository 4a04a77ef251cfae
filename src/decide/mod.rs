//! Decide: what happens to each detected finding. Suppression first (an inline `coach:allow`, the
//! config allowlist, the baseline), then the verdict (`policy`). Detection (`scan`) only says what
//! is there; everything that depends on settings, allow comments or the baseline is decided here.
pub mod policy;
mod suppress;

pub use suppress::Suppressor;
