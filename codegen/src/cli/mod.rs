//! The command line: one thin file per command (arguments → one library
//! call → printing), and what they share: the progress bar, printing to
//! stdout, and how a failure is reported.

pub mod diff;
pub mod generate;
pub mod model;
pub mod policy;
pub mod report;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stackql_codegen::{Progress, Stage};
use std::fmt::Display;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

/// Why a command failed: the messages to print as `error: ...`, one each
/// (none when the command has said why already).
pub struct Failure(pub Vec<String>);

/// Any error is one message.
impl<E: Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(vec![e.to_string()])
    }
}

impl Failure {
    /// A failure the command has reported itself.
    pub fn reported() -> Self {
        Failure(Vec::new())
    }
}

/// What a command returns.
pub type Result = std::result::Result<(), Failure>;

/// The exit code of a command, printing its failure.
pub fn exit(result: Result) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(messages)) => {
            for m in messages {
                eprintln!("error: {m}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Writes `text` (`what` it is, for the error) to stdout. A closed pipe
/// (`| head`) is not worth an error message.
pub fn print(text: &str, what: &str) -> Result {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("writing {what}: {e}").into()),
    }
}

/// The pages-parsed progress bar of long runs (hidden when stderr is not a
/// terminal), cleared when the run is done.
pub struct Bar(ProgressBar);

impl Bar {
    /// A bar to hand to [`stackql_codegen::Config::progress`].
    pub fn new() -> Arc<Bar> {
        if !std::io::stderr().is_terminal() {
            return Arc::new(Bar(ProgressBar::with_draw_target(
                Some(0),
                ProgressDrawTarget::hidden(),
            )));
        }
        let pb = ProgressBar::new(0);
        pb.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{bar:40}] {pos}/{len} pages ({per_sec})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb.set_message("parsing");
        Arc::new(Bar(pb))
    }
}

impl Progress for Bar {
    fn stage(&self, stage: Stage) {
        if stage == Stage::Done {
            self.0.finish_and_clear();
        }
    }

    fn pages_found(&self, pages: usize) {
        self.0.set_length(pages as u64);
    }

    fn page_parsed(&self) {
        self.0.inc(1);
    }
}
