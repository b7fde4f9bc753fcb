//! The `stackql-codegen` command line: each command in `cli/` parses its
//! arguments, makes one library call and prints the result.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod cli;

mod alloc;

/// mimalloc: malloc/free were a quarter of the generator's samples (see the
/// README's benchmark section).
#[global_allocator]
static GLOBAL: alloc::Mimalloc = alloc::Mimalloc;

/// Typed Rust bindings and IAM policies from StackQL provider resource docs.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the bindings crate from a specs tree.
    Generate(cli::generate::Args),
    /// Print per-provider counts of pages, resources, methods, permissions and diagnostics.
    Report(cli::report::Args),
    /// Print the merged least-privilege IAM policy for a set of operations.
    Policy(cli::policy::Args),
    /// Compare two spec trees at the model level and classify each change.
    Diff(cli::diff::Args),
    /// Print the parsed model of each resource as one JSON object per line.
    Model(cli::model::Args),
}

fn main() -> ExitCode {
    cli::exit(match Cli::parse().command {
        Command::Generate(args) => cli::generate::run(args),
        Command::Report(args) => cli::report::run(args),
        Command::Policy(args) => cli::policy::run(args),
        Command::Diff(args) => cli::diff::run(args),
        Command::Model(args) => cli::model::run(args),
    })
}
