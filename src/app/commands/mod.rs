//! One file per subcommand.
pub mod baseline;
pub mod doctor;
pub mod hook;
pub mod purge;
pub mod report;
pub mod rules;
pub mod scan;
pub mod stats;
