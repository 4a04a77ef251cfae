//! One file per subcommand.
pub mod purge;
pub mod rules;
