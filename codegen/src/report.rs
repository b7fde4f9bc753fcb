//! The corpus report: what a set of parsed pages adds up to, per provider
//! directory and in total.
//!
//! A [`Report`] counts pages by kind, resources parsed and left out, fields, views,
//! methods by verb, permissions and diagnostics (by kind, with the first
//! examples). It is built from the [`Page`]s that [`crate::Config::parse`]
//! returns, is `Serialize` with stable field names (maps are `BTreeMap`s, so
//! the JSON is deterministic) and renders as a plain-text table with
//! [`Report::render_text`].
//!
//! # Grouping
//!
//! Pages are grouped by their *provider directory*: the directory that the
//! page's `<service>/<resource>/` path hangs off. It is read from the path
//! and the page kind alone:
//!
//! | page kind | path | group |
//! | --- | --- | --- |
//! | resource | `P/<service>/<resource>/index.md` | `P` |
//! | service index | `P/<service>/index.md` | `P` |
//! | provider index, other | `P/index.md` | `P` |
//!
//! So a report over a tree of providers (`current/`) has one group per
//! provider (`aws`, `google`, ...), and a report over a tree of generations
//! (`corpus/`) has one group per generation folder (`aws-2024-06`,
//! `current/aws`, ...): two generations of one provider stay apart. When `P`
//! is empty (the specs directory is itself a provider directory), the group
//! is named after the provider the resource ids of those pages name, if they
//! all name one; otherwise it is `.`.
//!
//! Each group also lists the providers its resource ids name
//! ([`Counts::providers`]), so the provider is always reported from the ids,
//! whatever the directory is called.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{PageKind, Permissions};
use crate::parse::Page;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// How many examples each diagnostic kind keeps.
pub const EXAMPLES_PER_KIND: usize = 3;

/// The group name used for pages at the root whose provider is not known.
pub const ROOT_GROUP: &str = ".";

/// Counts for a set of pages and their diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Everything together.
    pub total: Counts,
    /// Per provider directory (see the module docs), by group name.
    pub groups: BTreeMap<String, Counts>,
}

/// The counts of one group of pages (or of all of them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Resources parsed, by the provider their id names.
    pub providers: BTreeMap<String, usize>,
    /// Pages read.
    pub pages: usize,
    /// Pages by kind: `resource`, `service_index`, `provider_index`, `other`
    /// (every key always present).
    pub pages_by_kind: BTreeMap<String, usize>,
    /// Resource pages read into a model.
    pub resources: usize,
    /// Resource pages left out because of an error diagnostic.
    pub left_out: usize,
    /// Fields (Fields table rows) of the resources parsed.
    pub fields: usize,
    /// Views documented beside the resources parsed (a tab of their own in
    /// `## Fields`, e.g. `vw_disks` beside `disks`).
    pub views: usize,
    /// Methods of the resources parsed, by verb (`SELECT`, `INSERT`, ...;
    /// unknown verbs as written).
    pub methods: BTreeMap<String, usize>,
    /// What the Permissions sections of the resources parsed state.
    pub permissions: PermissionCounts,
    /// Diagnostics by severity (`note`, `warning`, `error`; every key always present).
    pub by_severity: BTreeMap<String, usize>,
    /// Diagnostics by kind.
    pub diagnostics: BTreeMap<String, DiagnosticCounts>,
}

/// Permission counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PermissionCounts {
    /// Resources that list actions per operation.
    pub listed: usize,
    /// Resources whose Permissions section links to another resource's.
    pub see_also: usize,
    /// Resources without a Permissions section.
    pub none: usize,
    /// Actions listed in total (as written, not deduplicated).
    pub actions: usize,
}

/// The diagnostics of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiagnosticCounts {
    /// The highest severity seen for this kind.
    pub severity: Severity,
    /// How many.
    pub count: usize,
    /// The first [`EXAMPLES_PER_KIND`] as `file:line: message`, in page order.
    pub examples: Vec<String>,
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Note => "note",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

const KINDS: [PageKind; 4] = [
    PageKind::Resource,
    PageKind::ServiceIndex,
    PageKind::ProviderIndex,
    PageKind::Other,
];

impl Counts {
    fn empty() -> Self {
        Counts {
            pages_by_kind: KINDS.iter().map(|k| (k.as_str().to_string(), 0)).collect(),
            by_severity: [Severity::Note, Severity::Warning, Severity::Error]
                .iter()
                .map(|s| (severity_name(*s).to_string(), 0))
                .collect(),
            ..Counts::default()
        }
    }

    fn add_page(&mut self, page: &Page) {
        self.pages += 1;
        *self
            .pages_by_kind
            .entry(page.kind.as_str().to_string())
            .or_default() += 1;
        match &page.resource {
            Some(r) => {
                self.resources += 1;
                *self.providers.entry(r.id.provider.clone()).or_default() += 1;
                self.fields += r.fields.len();
                self.views += r.views.len();
                for m in &r.methods {
                    *self.methods.entry(m.verb.as_str().to_string()).or_default() += 1;
                }
                match &r.permissions {
                    Permissions::None => self.permissions.none += 1,
                    Permissions::Listed { operations } => {
                        self.permissions.listed += 1;
                        self.permissions.actions +=
                            operations.iter().map(|o| o.actions.len()).sum::<usize>();
                    }
                    Permissions::SeeAlso { .. } => self.permissions.see_also += 1,
                }
            }
            None if page.kind == PageKind::Resource => self.left_out += 1,
            None => {}
        }
        for d in &page.diagnostics {
            self.add_diagnostic(d);
        }
    }

    fn add_diagnostic(&mut self, d: &Diagnostic) {
        *self
            .by_severity
            .entry(severity_name(d.severity).to_string())
            .or_default() += 1;
        let e = self
            .diagnostics
            .entry(d.kind.to_string())
            .or_insert(DiagnosticCounts {
                severity: d.severity,
                count: 0,
                examples: Vec::new(),
            });
        e.severity = e.severity.max(d.severity);
        e.count += 1;
        if e.examples.len() < EXAMPLES_PER_KIND {
            e.examples
                .push(format!("{}:{}: {}", d.file, d.line, d.message));
        }
    }

    /// Diagnostics of `kind` (0 when none).
    pub fn diagnostic_count(&self, kind: &str) -> usize {
        self.diagnostics.get(kind).map_or(0, |d| d.count)
    }

    /// Pages of `kind`.
    pub fn pages_of(&self, kind: PageKind) -> usize {
        self.pages_by_kind.get(kind.as_str()).copied().unwrap_or(0)
    }

    /// Methods in total.
    pub fn method_count(&self) -> usize {
        self.methods.values().sum()
    }
}

/// The provider directory of a page (see the module docs); empty at the root.
pub fn provider_dir(page: &Page) -> String {
    let mut dirs: Vec<&str> = page.source.split('/').collect();
    dirs.pop(); // the file
    let up = match page.kind {
        PageKind::Resource => 2,
        PageKind::ServiceIndex => 1,
        PageKind::ProviderIndex | PageKind::Other => 0,
    };
    dirs.truncate(dirs.len().saturating_sub(up));
    dirs.join("/")
}

impl Report {
    /// Builds the report from parsed pages and the diagnostics of the whole
    /// set (e.g. [`crate::Generation::diagnostics`]; pass `&[]` when there
    /// are none). A set-wide diagnostic counts in the group of the page it
    /// names, and always in the total.
    pub fn new(pages: &[Page], set_diagnostics: &[Diagnostic]) -> Report {
        let dirs: Vec<String> = pages.iter().map(provider_dir).collect();
        // Name the root group after the one provider its ids name, if any.
        let root_providers: BTreeSet<&str> = pages
            .iter()
            .zip(&dirs)
            .filter(|(_, d)| d.is_empty())
            .filter_map(|(p, _)| p.resource.as_ref().map(|r| r.id.provider.as_str()))
            .collect();
        let root = match root_providers.len() {
            1 => root_providers.into_iter().next().unwrap_or(ROOT_GROUP),
            _ => ROOT_GROUP,
        }
        .to_string();
        let group_of = |dir: &String| {
            if dir.is_empty() {
                root.clone()
            } else {
                dir.clone()
            }
        };

        let mut report = Report {
            total: Counts::empty(),
            groups: BTreeMap::new(),
        };
        let mut by_source: BTreeMap<&str, String> = BTreeMap::new();
        for (page, dir) in pages.iter().zip(&dirs) {
            let group = group_of(dir);
            report.total.add_page(page);
            report
                .groups
                .entry(group.clone())
                .or_insert_with(Counts::empty)
                .add_page(page);
            by_source.insert(&page.source, group);
        }
        for d in set_diagnostics {
            report.total.add_diagnostic(d);
            if let Some(g) = by_source.get(d.file.as_str()) {
                if let Some(c) = report.groups.get_mut(g) {
                    c.add_diagnostic(d);
                }
            }
        }
        report
    }

    /// A readable plain-text rendering: a table of pages and resources per
    /// group, a table of methods by verb, and the diagnostics by kind with
    /// their examples.
    pub fn render_text(&self) -> String {
        let mut rows: Vec<(&str, &Counts)> =
            self.groups.iter().map(|(k, v)| (k.as_str(), v)).collect();
        rows.push(("TOTAL", &self.total));
        let mut out = String::new();

        // Pages and resources.
        let header = [
            "group",
            "providers",
            "pages",
            "resource",
            "service",
            "provider",
            "other",
            "parsed",
            "left out",
            "fields",
            "views",
            "methods",
            "perms",
            "see-also",
            "actions",
            "errors",
            "warnings",
            "notes",
        ];
        let body: Vec<Vec<String>> = rows
            .iter()
            .map(|(name, c)| {
                let sev = |s: &str| c.by_severity.get(s).copied().unwrap_or(0).to_string();
                vec![
                    name.to_string(),
                    c.providers.keys().cloned().collect::<Vec<_>>().join(","),
                    c.pages.to_string(),
                    c.pages_of(PageKind::Resource).to_string(),
                    c.pages_of(PageKind::ServiceIndex).to_string(),
                    c.pages_of(PageKind::ProviderIndex).to_string(),
                    c.pages_of(PageKind::Other).to_string(),
                    c.resources.to_string(),
                    c.left_out.to_string(),
                    c.fields.to_string(),
                    c.views.to_string(),
                    c.method_count().to_string(),
                    c.permissions.listed.to_string(),
                    c.permissions.see_also.to_string(),
                    c.permissions.actions.to_string(),
                    sev("error"),
                    sev("warning"),
                    sev("note"),
                ]
            })
            .collect();
        table(&mut out, &header, &body);

        // Methods by verb.
        let verbs: BTreeSet<&str> = self.total.methods.keys().map(String::as_str).collect();
        if !verbs.is_empty() {
            out.push_str("\nMethods by verb\n");
            let mut header = vec!["group"];
            header.extend(verbs.iter().copied());
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|(name, c)| {
                    let mut row = vec![name.to_string()];
                    row.extend(
                        verbs
                            .iter()
                            .map(|v| c.methods.get(*v).copied().unwrap_or(0).to_string()),
                    );
                    row
                })
                .collect();
            table(&mut out, &header, &body);
        }

        // Diagnostics.
        if !self.total.diagnostics.is_empty() {
            out.push_str("\nDiagnostics by kind\n");
            let mut kinds: Vec<(&String, &DiagnosticCounts)> =
                self.total.diagnostics.iter().collect();
            kinds.sort_by(|a, b| b.1.severity.cmp(&a.1.severity).then(a.0.cmp(b.0)));
            let header = ["kind", "severity", "count", "groups"];
            let body: Vec<Vec<String>> = kinds
                .iter()
                .map(|(kind, d)| {
                    let groups = self
                        .groups
                        .iter()
                        .filter_map(|(g, c)| {
                            c.diagnostics
                                .get(*kind)
                                .map(|gd| format!("{g}: {}", gd.count))
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    vec![
                        kind.to_string(),
                        severity_name(d.severity).to_string(),
                        d.count.to_string(),
                        groups,
                    ]
                })
                .collect();
            table(&mut out, &header, &body);
            for (kind, d) in kinds {
                let _ = writeln!(out, "\n{} [{kind}] x{}", severity_name(d.severity), d.count);
                for e in &d.examples {
                    let _ = writeln!(out, "  {e}");
                }
            }
        }
        out
    }
}

/// Appends an aligned table: first column left-aligned, the others right-aligned
/// (except the last column when it is text, which is left-aligned).
fn table(out: &mut String, header: &[&str], body: &[Vec<String>]) {
    let n = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in body {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let numeric: Vec<bool> = (0..n)
        .map(|i| {
            body.iter()
                .all(|r| r.get(i).is_none_or(|c| c.parse::<u64>().is_ok()))
        })
        .collect();
    let mut line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            let pad = widths[i].saturating_sub(cell.chars().count());
            if numeric[i] && i > 0 {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                if i + 1 < n {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    );
    for row in body {
        line(row.iter().map(String::as_str).collect());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_page;

    const PAGE: &str = "## Overview\n<table><tbody>\n<tr><td><b>Name</b></td><td><code>buckets</code></td></tr>\n<tr><td><b>Type</b></td><td>Resource</td></tr>\n<tr><td><b>Id</b></td><td><CopyableCode code=\"aws.s3.buckets\" /></td></tr>\n</tbody></table>\n\n## Fields\n| Name | Datatype | Description |\n|:-----|:---------|:------------|\n| <CopyableCode code=\"bucket_name\" /> | `string` | The name. |\n\n## Methods\n| Name | Accessible by | Required Params |\n|:-----|:--------------|:----------------|\n| <CopyableCode code=\"get_resource\" /> | `SELECT` | <CopyableCode code=\"data__Identifier, region\" /> |\n";

    #[test]
    fn groups_by_provider_directory() {
        let pages = vec![
            parse_page("current/aws/s3/buckets/index.md", PAGE),
            parse_page("current/aws/s3/index.md", "## Resources\n\nx\n"),
            parse_page("README.md", "# Corpus\n"),
        ];
        let r = Report::new(&pages, &[]);
        assert_eq!(r.groups.keys().collect::<Vec<_>>(), [".", "current/aws"]);
        let aws = &r.groups["current/aws"];
        assert_eq!(aws.pages, 2);
        assert_eq!(aws.pages_of(PageKind::Resource), 1);
        assert_eq!(aws.pages_of(PageKind::ServiceIndex), 1);
        assert_eq!(r.total.pages_of(PageKind::Other), 1);
        assert_eq!(r.total.diagnostic_count("not-a-resource"), 2);
        assert!(r.render_text().contains("TOTAL"));
    }

    #[test]
    fn root_group_is_named_after_the_ids() {
        let pages = vec![
            parse_page("s3/buckets/index.md", PAGE),
            parse_page("s3/index.md", "## Resources\n\nx\n"),
        ];
        let r = Report::new(&pages, &[]);
        assert_eq!(r.groups.keys().collect::<Vec<_>>(), ["aws"]);
        assert_eq!(r.groups["aws"].pages, 2);
        assert_eq!(r.groups["aws"].providers["aws"], 1);
    }
}
