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

/// Prints diagnostics (`file:line: warning[kind]: message`) to stderr, those
/// that say the same thing grouped (see [`group`]).
pub fn print_diagnostics(lines: &[String]) {
    let mut err = std::io::stderr().lock();
    for line in group(lines) {
        let _ = writeln!(err, "{line}");
    }
}

/// How many locations a grouped diagnostic names.
const LOCATIONS: usize = 3;

/// Diagnostics that say the same thing (same severity, kind and message) at
/// several locations become one line, where the first appeared: the
/// message, the count and the first few locations. 99,999 identical
/// warnings are one line, not a screenful.
pub fn group(lines: &[String]) -> Vec<String> {
    let mut order: Vec<&str> = Vec::new();
    let mut at: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
    for line in lines {
        let (location, what) = split_location(line);
        let seen = at.entry(what).or_default();
        if seen.is_empty() {
            order.push(what);
        }
        seen.push(location);
    }
    order
        .into_iter()
        .map(|what| match at[what].as_slice() {
            [""] => what.to_string(),
            [one] => format!("{one}: {what}"),
            many => {
                let shown: Vec<&str> = many.iter().take(LOCATIONS).copied().collect();
                let more = many.len() - shown.len();
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!("{what} ({} times: {}{more})", many.len(), shown.join(", "))
            }
        })
        .collect()
}

/// `file:line` and `severity[kind]: message` of a diagnostic line (an empty
/// location when the line has none).
fn split_location(line: &str) -> (&str, &str) {
    for sev in [": warning[", ": error[", ": note["] {
        if let Some(i) = line.find(sev) {
            return (&line[..i], &line[i + 2..]);
        }
    }
    ("", line)
}

/// The command line this process was run with, minus `drop`, plus each
/// `(option, value)` of `always` it does not give: what to suggest
/// re-running, quoted for a POSIX shell.
pub fn command_line(drop: &str, always: &[(&str, &std::path::Path)]) -> String {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .filter(|a| a != drop)
        .collect();
    let mut out = vec!["stackql-codegen".to_string()];
    out.extend(args.iter().map(|a| shell_quote(a)));
    for (option, value) in always {
        let given = args
            .iter()
            .any(|a| a == option || a.starts_with(&format!("{option}=")));
        if !given {
            out.push(option.to_string());
            out.push(shell_quote(&value.to_string_lossy()));
        }
    }
    out.join(" ")
}

/// `arg` as a POSIX shell reads it back: as it is when plain, else in single
/// quotes.
fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-=+:,@%".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_diagnostics_are_one_line_with_a_count_and_locations() {
        let mut lines: Vec<String> = (1..=99_999)
            .map(|i| format!("p/{i}.md:3: warning[bad-action]: `s3:X*` is not an action"))
            .collect();
        lines.insert(1, "q.md:1: error[bad-id]: no id".into());
        lines.push("q.md:9: warning[bad-action]: another message".into());
        assert_eq!(
            group(&lines),
            [
                "warning[bad-action]: `s3:X*` is not an action (99999 times: p/1.md:3, p/2.md:3, p/3.md:3 and 99996 more)",
                "q.md:1: error[bad-id]: no id",
                "q.md:9: warning[bad-action]: another message",
            ]
        );
        let two = [
            "a.md:1: note[x]: m".to_string(),
            "b.md:2: note[x]: m".to_string(),
        ];
        assert_eq!(group(&two), ["note[x]: m (2 times: a.md:1, b.md:2)"]);
    }

    #[test]
    fn suggested_commands_survive_a_shell() {
        assert_eq!(shell_quote("specs/aws"), "specs/aws");
        assert_eq!(shell_quote("my specs"), "'my specs'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
