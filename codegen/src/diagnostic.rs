//! Diagnostics: what the parser did not understand, with `file:line`.

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Informational: the page was understood, with a remark (e.g. a non-resource page skipped).
    Note,
    /// Something unusual was kept as-is; the page is still generated.
    Warning,
    /// The page cannot be generated; it is left out.
    Error,
}

/// One finding on one page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// Page path as given to the parser.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// Severity.
    pub severity: Severity,
    /// A stable kebab-case kind (`missing-id`, `unknown-verb`, ...), used to group reports.
    pub kind: &'static str,
    /// What was expected and what was found.
    pub message: String,
}

impl Diagnostic {
    /// Builds a diagnostic.
    pub fn new(
        file: &str,
        line: usize,
        severity: Severity,
        kind: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            severity,
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{}:{}: {sev}[{}]: {}",
            self.file, self.line, self.kind, self.message
        )
    }
}
