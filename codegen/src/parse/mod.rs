//! Page → model. One page in, one [`Page`] out: its kind, the resource it
//! describes (if it is a resource page that could be read) and diagnostics.
//!
//! The parse never panics on any input (see the fuzz target); what it does not
//! understand becomes a [`Diagnostic`] with the page's file and line.

pub mod blocks;
pub mod html;
pub mod manifest;
mod resource;
pub mod sql;

use crate::diagnostic::{Diagnostic, Kind, Severity};
use crate::model::{PageKind, Resource};
use blocks::{Block, LineIndex, Section};
use serde::{Deserialize, Serialize};

/// The outcome of parsing one page.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct Page {
    /// The path the page was read from (relative to the specs root).
    pub source: String,
    /// What kind of page it is.
    pub kind: PageKind,
    /// The resource, for a resource page without errors.
    pub resource: Option<Resource>,
    /// Everything worth saying about the page.
    pub diagnostics: Vec<Diagnostic>,
}

impl Page {
    /// Whether any diagnostic is an error (the page is left out of generation).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Parses one page. `source` names it in diagnostics. A UTF-8 byte order
/// mark before the front matter is ignored.
pub fn parse_page(source: &str, text: &str) -> Page {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text);
    let sections = blocks::sections(text, &lines);
    let mut diags = Vec::new();
    let kind = page_kind(&sections);
    let resource = match kind {
        PageKind::Resource => resource::build(source, &sections, &mut diags),
        other => {
            diags.push(Diagnostic::new(
                source,
                1,
                Severity::Note,
                Kind::NotAResource,
                format!(
                    "skipped: a {} page, not a resource page (no Overview table with `Type: Resource`)",
                    other.as_str().replace('_', " ")
                ),
            ));
            None
        }
    };
    let resource = if diags.iter().any(|d| d.severity == Severity::Error) {
        None
    } else {
        resource
    };
    Page {
        source: source.to_string(),
        kind,
        resource,
        diagnostics: diags,
    }
}

/// Lower-cased title for matching.
pub(crate) fn norm(title: &str) -> String {
    title.trim().to_ascii_lowercase()
}

/// A cell's text without code marks.
pub(crate) fn plain(cell: &str) -> String {
    if !cell.contains('`') {
        return cell.trim().to_string();
    }
    // The marks go first (`` ` a` `` is `a`), then the white space: into
    // one string, trimmed in place.
    let mut s = String::with_capacity(cell.len());
    cell.split('`').for_each(|part| s.push_str(part));
    let end = s.trim_end().len();
    s.truncate(end);
    let start = s.len() - s.trim_start().len();
    s.drain(..start);
    s
}

/// The Overview table as (label, value) pairs, labels lower-cased.
pub(crate) fn overview(sections: &[Section]) -> Option<(usize, Vec<(String, String)>)> {
    let s = sections.iter().find(|s| norm(&s.title) == "overview")?;
    let table = s.blocks.iter().find_map(|b| match b {
        Block::Table(t) => Some(t),
        _ => None,
    })?;
    let rows = table
        .rows
        .iter()
        .filter(|r| r.cells.len() >= 2)
        .map(|r| (norm(&plain(&r.cells[0])), r.cells[1].clone()))
        .collect();
    Some((s.line, rows))
}

fn page_kind(sections: &[Section]) -> PageKind {
    if let Some((_, rows)) = overview(sections) {
        let ty = rows
            .iter()
            .find(|(k, _)| k == "type")
            .map(|(_, v)| norm(&plain(v)));
        match ty.as_deref() {
            Some("resource") | Some("view") => return PageKind::Resource,
            Some("service") => return PageKind::ServiceIndex,
            Some("provider") => return PageKind::ProviderIndex,
            _ => {}
        }
    }
    let has = |t: &str| sections.iter().any(|s| s.level == 2 && norm(&s.title) == t);
    let mentions = |needle: &str| {
        sections.iter().any(|s| {
            s.blocks.iter().any(|b| match b {
                Block::Paragraph(p) => p.text.contains(needle),
                _ => false,
            })
        })
    };
    if has("fields") || has("methods") {
        // A resource page whose Overview is missing or malformed: the
        // resource builder says what is wrong with it.
        PageKind::Resource
    } else if has("services") || mentions("Provider Summary") {
        PageKind::ProviderIndex
    } else if has("resources") || mentions("Service Summary") {
        PageKind::ServiceIndex
    } else {
        PageKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_does_not_hide_the_front_matter() {
        let page = include_str!("../../../specs/aws/connect/integration_associations/index.md");
        let plain = parse_page("p.md", page);
        let bom = parse_page("p.md", &format!("\u{feff}{page}"));
        assert!(plain.resource.is_some());
        assert_eq!(
            serde_json::to_string(&bom).unwrap(),
            serde_json::to_string(&plain).unwrap()
        );
    }

    #[test]
    fn plain_drops_code_marks_then_white_space() {
        for cell in [
            "", " a ", "`a`", "` a`", " `a` b ", "``", "` `", "a`b`c", "é `ü` ",
        ] {
            assert_eq!(plain(cell), cell.replace('`', "").trim(), "{cell:?}");
        }
    }

    #[test]
    fn service_and_provider_pages_are_told_apart() {
        let svc = "---\ntitle: s\n---\n:::info Service Summary\n\ntotal\n\n:::\n\n## Resources\n<a href=\"/x\">x</a>\n";
        assert_eq!(parse_page("s.md", svc).kind, PageKind::ServiceIndex);
        let prov = "## Installation\n\n## Services\n";
        assert_eq!(parse_page("p.md", prov).kind, PageKind::ProviderIndex);
        let other = "# Hello\n\nworld\n";
        let p = parse_page("o.md", other);
        assert_eq!(p.kind, PageKind::Other);
        assert!(!p.has_errors());
        assert_eq!(p.diagnostics[0].kind, Kind::NotAResource);
    }
}
