//! Subcommands other than `generate` and `model`, one file each.

pub mod diff;
pub mod policy;
pub mod report;
