//! `stackql-codegen policy`.

use std::process::ExitCode;

/// Arguments of `policy`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the subcommand.
pub fn run(_args: Args) -> ExitCode {
    eprintln!("`policy` is not implemented yet");
    ExitCode::FAILURE
}
