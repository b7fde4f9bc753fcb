//! `stackql-codegen report`.

use std::process::ExitCode;

/// Arguments of `report`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the subcommand.
pub fn run(_args: Args) -> ExitCode {
    eprintln!("`report` is not implemented yet");
    ExitCode::FAILURE
}
