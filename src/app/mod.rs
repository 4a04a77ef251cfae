//! The application layer: commands that drive the pipeline and print. Only this layer (and
//! `main`) may depend on everything below it; nothing below depends on it (docs/ARCHITECTURE.md).
pub mod commands;
