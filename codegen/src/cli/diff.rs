//! `stackql-codegen diff`.

use std::process::ExitCode;

/// Arguments of `diff`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the subcommand.
pub fn run(_args: Args) -> ExitCode {
    eprintln!("`diff` is not implemented yet");
    ExitCode::FAILURE
}
