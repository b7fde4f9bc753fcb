//! The parser over every page of the real corpus (`../shared/corpus`, see its
//! README): counts a regression would change, checked against the pages
//! themselves where possible, plus snapshots of the model of one page per
//! format variant.
//!
//! The corpus is parsed once per test binary (about 7,400 pages) and shared
//! by all tests. Without it, each test that needs it says on stderr that it
//! was skipped and returns (`.ci/run` requires the corpus, so CI never
//! skips); `fixtures.rs` covers each page format on the project's own pages.

mod common;

use common::corpus;
use stackql_codegen::diagnostic::{Diagnostic, Kind, Severity};
use stackql_codegen::model::{PageKind, Resource};
use stackql_codegen::parse::Page;
use stackql_codegen::report::Report;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Every page of the corpus, sorted by path; sources are relative to the corpus root.
fn pages() -> &'static [Page] {
    static PAGES: OnceLock<Vec<Page>> = OnceLock::new();
    PAGES.get_or_init(|| {
        stackql_codegen::Config::new()
            .specs(corpus())
            .parse()
            .expect("the corpus is readable")
    })
}

fn page(source: &str) -> &'static Page {
    let pages = pages();
    pages
        .binary_search_by(|p| p.source.as_str().cmp(source))
        .map(|i| &pages[i])
        .unwrap_or_else(|_| panic!("no page {source} in the corpus"))
}

fn resource(source: &str) -> &'static Resource {
    let p = page(source);
    p.resource.as_ref().unwrap_or_else(|| {
        panic!(
            "{source} was not read into a resource: {:#?}",
            p.diagnostics
        )
    })
}

fn text(source: &str) -> String {
    let path = corpus().join(source);
    String::from_utf8_lossy(&std::fs::read(&path).expect("page is readable")).into_owned()
}

// ---------------------------------------------------------------------------
// An independent reading of the pages, for cross-checks. Deliberately naive
// (line and substring based) and sharing no code with the parser.
// ---------------------------------------------------------------------------

/// The text under `## <title>` up to the next level-1 or level-2 heading.
fn section<'a>(page: &'a str, title: &str) -> Option<&'a str> {
    let heading = format!("## {title}");
    let mut start = None;
    let mut offset = 0;
    for line in page.split_inclusive('\n') {
        let bare = line.trim_end();
        match start {
            None if bare == heading => start = Some(offset + line.len()),
            Some(s) if bare.starts_with("## ") || bare.starts_with("# ") => {
                return Some(&page[s..offset]);
            }
            _ => {}
        }
        offset += line.len();
    }
    start.map(|s| &page[s..])
}

/// Data rows of the first table in `section`: `<tr>` elements holding a
/// `<td` for an HTML table, `|` lines minus header and separator for a pipe
/// table.
fn data_rows(section: &str) -> usize {
    let html = section.find("<table");
    let pipe = section
        .split_inclusive('\n')
        .scan(0, |off, l| {
            let here = *off;
            *off += l.len();
            Some((here, l))
        })
        .find(|(_, l)| l.starts_with('|'))
        .map(|(off, _)| off);
    match (html, pipe) {
        (Some(h), p) if p.is_none_or(|p| h < p) => {
            let table = &section[h..];
            let table = &table[..table.find("</table>").unwrap_or(table.len())];
            table
                .split("<tr")
                .skip(1)
                .filter(|row| row.starts_with('>') || row.starts_with(char::is_whitespace))
                .filter(|row| row[..row.find("</tr>").unwrap_or(row.len())].contains("<td"))
                .count()
        }
        (_, Some(p)) => {
            // Up to the blank line that ends the table; a line that does
            // not start with `|` continues the row before (a description
            // holding a newline).
            let lines = section[p..]
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .filter(|l| l.starts_with('|'))
                .count();
            lines.saturating_sub(2)
        }
        _ => 0,
    }
}

/// `(folder, service, resource)` of `<folder>/<service>/<resource>/index.md`,
/// where the folder is one of the corpus folders.
fn split_path(source: &str) -> Option<(&str, &str, &str)> {
    let parts: Vec<&str> = source.split('/').collect();
    let n = parts.len();
    if n < 4 || parts[n - 1] != "index.md" {
        return None;
    }
    let folder_len: usize = parts[..n - 3].iter().map(|p| p.len() + 1).sum::<usize>() - 1;
    Some((&source[..folder_len], parts[n - 3], parts[n - 2]))
}

/// The provider a corpus folder holds (`current/aws` → `aws`, `aws-2024-06` → `aws`).
fn folder_provider(folder: &str) -> &str {
    let last = folder.rsplit('/').next().unwrap_or(folder);
    last.split('-').next().unwrap_or(last)
}

// ---------------------------------------------------------------------------
// Counts
// ---------------------------------------------------------------------------

/// Pages by kind per corpus folder, as observed (facts of the corpus: a
/// page changing kind means the classifier changed).
#[test]
fn pages_by_kind_per_folder() {
    require_corpus!();
    // folder: (pages, resource, service_index, provider_index, other, parsed, left out)
    let expected: BTreeMap<&str, [usize; 7]> = [
        // The corpus README.
        (".", [1, 0, 0, 0, 1, 0, 0]),
        // Five services, no provider index page.
        ("aws-2023-11", [393, 388, 5, 0, 0, 388, 0]),
        ("aws-2024-06", [1232, 1013, 218, 1, 0, 1013, 0]),
        ("current/aws", [3099, 2870, 228, 1, 0, 2870, 0]),
        ("current/digitalocean", [180, 150, 29, 1, 0, 150, 0]),
        ("current/github", [313, 281, 31, 1, 0, 281, 0]),
        ("current/google", [1942, 1773, 168, 1, 0, 1773, 0]),
        ("current/linode", [125, 107, 17, 1, 0, 107, 0]),
        ("current/netlify", [82, 51, 30, 1, 0, 51, 0]),
        ("current/vercel", [60, 40, 19, 1, 0, 40, 0]),
    ]
    .into_iter()
    .collect();
    let report = Report::new(pages(), &[]);
    let observed: BTreeMap<&str, [usize; 7]> = report
        .groups
        .iter()
        .map(|(g, c)| {
            (
                g.as_str(),
                [
                    c.pages,
                    c.pages_of(PageKind::Resource),
                    c.pages_of(PageKind::ServiceIndex),
                    c.pages_of(PageKind::ProviderIndex),
                    c.pages_of(PageKind::Other),
                    c.resources,
                    c.left_out,
                ],
            )
        })
        .collect();
    assert_eq!(observed, expected);
    assert_eq!(report.total.pages, 7427);
    // Every group's resources name the provider of its folder, and only it.
    for (g, c) in &report.groups {
        if g != "." {
            assert_eq!(
                c.providers.keys().collect::<Vec<_>>(),
                [folder_provider(g)],
                "{g}"
            );
        }
    }
}

/// The report's totals (diagnostic examples left out): any change in what
/// the parser reads from the corpus shows up here as a reviewable diff.
#[test]
fn report_snapshot() {
    require_corpus!();
    let mut report = Report::new(pages(), &[]);
    for c in std::iter::once(&mut report.total).chain(report.groups.values_mut()) {
        for d in c.diagnostics.values_mut() {
            d.examples.clear();
        }
    }
    insta::assert_json_snapshot!("corpus_report", report);
}

/// Every resource page is read, under the id its path gives, with at least
/// one method (but for one GitHub view that says it has none); no page is
/// left out (`logs/account_policies`, with a malformed action, keeps its
/// bindings and loses its policy: see `only_expected_diagnostics`).
#[test]
fn ids_match_paths_and_every_resource_has_methods() {
    require_corpus!();
    let left_out: Vec<&str> = pages()
        .iter()
        .filter(|p| p.kind == PageKind::Resource && p.resource.is_none())
        .map(|p| p.source.as_str())
        .collect();
    assert!(left_out.is_empty(), "{left_out:?}");
    let mut checked = BTreeMap::<&str, usize>::new();
    let mut no_methods = Vec::new();
    for r in pages().iter().filter_map(|p| p.resource.as_ref()) {
        let (folder, service, name) =
            split_path(&r.source).unwrap_or_else(|| panic!("{}: unexpected path", r.source));
        let expected = format!("{}.{service}.{name}", folder_provider(folder));
        assert_eq!(r.id.to_string(), expected, "{}", r.source);
        // A view whose page says so and whose Methods section says it has
        // none of its own: one `view` method, SELECT on the view itself.
        let said_view =
            matches!(r.methods.as_slice(), [m] if m.name == "view" && m.required_params.is_empty());
        assert!(!r.methods.is_empty(), "{}: no methods", r.source);
        if said_view {
            no_methods.push(r.source.as_str());
            let page = text(&r.source);
            let methods = section(&page, "Methods").unwrap_or_default();
            assert!(
                methods.trim().starts_with("No additional methods"),
                "{}: no methods, and the page does not say there are none",
                r.source
            );
        }
        assert_eq!(r.name, name, "{}: Overview Name", r.source);
        *checked.entry(folder).or_default() += 1;
    }
    assert_eq!(checked["current/aws"], 2870);
    assert_eq!(
        no_methods,
        ["current/github/activity/repo_stargazers_with_timestamps/index.md"]
    );
}

/// Model fields == data rows of the page's Fields table, and model methods
/// == rows of its Methods table (one assumed method where the Methods
/// section is prose), for every resource read.
#[test]
fn fields_and_methods_match_the_tables() {
    require_corpus!();
    let mut fields = 0;
    let mut methods = 0;
    for (p, r) in pages()
        .iter()
        .filter_map(|p| p.resource.as_ref().map(|r| (p, r)))
    {
        let page = text(&r.source);
        let field_rows = section(&page, "Fields").map_or(0, data_rows);
        // A row is a field, or a name listed again and said so.
        let repeated = p
            .diagnostics
            .iter()
            .filter(|d| d.kind == Kind::DuplicateField)
            .count();
        assert_eq!(
            r.fields.len() + repeated,
            field_rows,
            "{}: fields",
            r.source
        );
        let methods_section = section(&page, "Methods").unwrap_or("");
        let method_rows = match data_rows(methods_section) {
            0 if methods_section.trim_start().starts_with("Currently only") => 1,
            // A view that has none but itself: its `view` method.
            0 if methods_section
                .trim_start()
                .starts_with("No additional methods") =>
            {
                1
            }
            n => n,
        };
        assert_eq!(r.methods.len(), method_rows, "{}: methods", r.source);
        fields += field_rows - repeated;
        methods += method_rows;
    }
    let report = Report::new(pages(), &[]);
    assert_eq!(report.total.fields, fields);
    assert_eq!(report.total.method_count(), methods);
}

// ---------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------

/// Why each diagnostic kind is expected on this corpus. A kind not listed
/// here is a regression (or a new construct worth a look).
const EXPECTED_KINDS: &[(Kind, &str)] = &[
    (
        Kind::NotAResource,
        "service and provider index pages, and the corpus README, are not resource pages",
    ),
    (
        Kind::FieldsWithoutTable,
        "pages whose Fields section is empty (github/linode methods without a response schema)",
    ),
    (
        Kind::SelectNotSupported,
        "pages whose Fields section says SELECT is not supported (EXEC-only resources)",
    ),
    (
        Kind::ViewWithoutDefinition,
        "github's repo_stargazers_with_timestamps says it is a view and points to the registry spec",
    ),
    (
        Kind::MethodsProse,
        "aws-2023-11 singular pages say `Currently only SELECT is supported` instead of a table",
    ),
    (
        Kind::BadAction,
        "logs/account_policies lists `s3:REST.PUT.OBJECT` (an S3 log-delivery operation name, \
         not an IAM action) in aws-2024-06 and current/aws",
    ),
    (
        Kind::PermissionsDropped,
        "the same two pages: a malformed action list gives no policy at all",
    ),
    (
        Kind::DuplicateField,
        "a few AWS pages (groundstation/mission_profiles, transfer/server_tags, ...) list `region` \
         twice in their Fields table",
    ),
    (
        Kind::WildcardAction,
        "a few AWS resources (e.g. applicationinsights/applications) list `*` as their permissions",
    ),
];

fn line_of(d: &Diagnostic) -> String {
    text(&d.file)
        .lines()
        .nth(d.line - 1)
        .unwrap_or_default()
        .to_string()
}

#[test]
fn only_expected_diagnostics() {
    require_corpus!();
    let all: Vec<&Diagnostic> = pages().iter().flat_map(|p| &p.diagnostics).collect();
    let internal: Vec<String> = all
        .iter()
        .filter(|d| d.kind == Kind::InternalError)
        .map(|d| d.to_string())
        .collect();
    assert!(internal.is_empty(), "the parser panicked on: {internal:#?}");

    let allowed: BTreeSet<Kind> = EXPECTED_KINDS.iter().map(|(k, _)| *k).collect();
    let unexpected: Vec<String> = all
        .iter()
        .filter(|d| !allowed.contains(&d.kind))
        .map(|d| d.to_string())
        .collect();
    assert!(
        unexpected.is_empty(),
        "diagnostics of kinds not in EXPECTED_KINDS: {unexpected:#?}"
    );

    let mut counts = BTreeMap::<Kind, usize>::new();
    for d in &all {
        *counts.entry(d.kind).or_default() += 1;
        let p = page(&d.file);
        match d.kind {
            Kind::NotAResource => {
                assert_ne!(p.kind, PageKind::Resource, "{d}");
                assert_eq!(d.severity, Severity::Note, "{d}");
            }
            Kind::FieldsWithoutTable => {
                let page_text = text(&d.file);
                let s = section(&page_text, "Fields").unwrap_or_default();
                assert!(s.trim().is_empty(), "{d}: the Fields section says: {s}");
                assert_eq!(d.severity, Severity::Warning, "{d}");
            }
            Kind::SelectNotSupported => {
                assert!(line_of(d).contains("not supported"), "{d}");
                assert_eq!(d.severity, Severity::Note, "{d}");
            }
            Kind::ViewWithoutDefinition => {
                assert!(line_of(d).contains("This resource is a view"), "{d}");
                assert_eq!(d.severity, Severity::Note, "{d}");
                let r = p.resource.as_ref().expect("a resource");
                assert!(r.methods.iter().any(|m| m.name == "view"), "{d}");
            }
            Kind::MethodsProse => {
                assert!(d.file.starts_with("aws-2023-11/"), "{d}");
                assert!(line_of(d).starts_with("Currently only"), "{d}");
            }
            Kind::BadAction => {
                assert!(d.file.ends_with("logs/account_policies/index.md"), "{d}");
                assert_eq!(line_of(d).trim(), "s3:REST.PUT.OBJECT,", "{d}");
                assert_eq!(d.severity, Severity::Warning, "{d}");
            }
            Kind::PermissionsDropped => {
                assert!(d.file.ends_with("logs/account_policies/index.md"), "{d}");
                assert_eq!(line_of(d).trim(), "## Permissions", "{d}");
                let r = p.resource.as_ref().expect("the resource is kept");
                assert_eq!(r.permissions, stackql_codegen::model::Permissions::None);
            }
            Kind::DuplicateField => {
                // The row names the field an earlier row of the table named.
                let name = d.message.split('`').nth(1).expect("the field is named");
                let first: usize = d
                    .message
                    .split("(first at line ")
                    .nth(1)
                    .and_then(|t| t.split(')').next()?.parse().ok())
                    .expect("the first line is named");
                assert!(first < d.line, "{d}");
                let page_text = text(&d.file);
                let earlier = page_text.lines().nth(first - 1).unwrap_or_default();
                assert!(line_of(d).contains(name) && earlier.contains(name), "{d}");
                assert_eq!(d.severity, Severity::Warning, "{d}");
            }
            Kind::WildcardAction => {
                assert_eq!(line_of(d).trim().trim_end_matches(','), "*", "{d}");
                assert_eq!(d.severity, Severity::Warning, "{d}");
            }
            _ => unreachable!(),
        }
    }
    // Every page that is not a resource page says so, once.
    let non_resource = pages()
        .iter()
        .filter(|p| p.kind != PageKind::Resource)
        .count();
    assert_eq!(counts.get(&Kind::NotAResource), Some(&non_resource));
    assert_eq!(counts.get(&Kind::BadAction), Some(&4));
    assert_eq!(counts.get(&Kind::PermissionsDropped), Some(&2));
    assert_eq!(counts.get(&Kind::MethodsProse), Some(&46));
}

// ---------------------------------------------------------------------------
// One model snapshot per format variant
// ---------------------------------------------------------------------------

/// The generation of the original spec page: HTML tables, `list_resource`,
/// Permissions lists.
#[test]
fn snapshot_aws_2024_06_connect_integration_associations() {
    require_corpus!();
    insta::assert_json_snapshot!(resource(
        "aws-2024-06/connect/integration_associations/index.md"
    ));
}

/// HTML tables, required/all/manifest INSERT tabs with nested manifest
/// shapes, an UPDATE method, long permission lists.
#[test]
fn snapshot_current_aws_s3_buckets() {
    require_corpus!();
    insta::assert_json_snapshot!(resource("current/aws/s3/buckets/index.md"));
}

/// A `_list_only` view: one SELECT method, permissions by link.
#[test]
fn snapshot_current_aws_list_only_view() {
    require_corpus!();
    insta::assert_json_snapshot!(resource("current/aws/s3/buckets_list_only/index.md"));
}

/// A `_tags` view: tag key/value fields, permissions by link.
#[test]
fn snapshot_current_aws_tags_view() {
    require_corpus!();
    insta::assert_json_snapshot!(resource("current/aws/s3/storage_lens_tags/index.md"));
}

/// Google: pipe tables, UPDATE and REPLACE examples, EXEC methods, a
/// manifest with an object property.
#[test]
fn snapshot_current_google_iam_service_accounts() {
    require_corpus!();
    insta::assert_json_snapshot!(resource("current/google/iam/service_accounts/index.md"));
}

/// GitHub: a two-column Fields table, no examples.
#[test]
fn snapshot_current_github_repos_tag_protection() {
    require_corpus!();
    insta::assert_json_snapshot!(resource("current/github/repos/tag_protection/index.md"));
}

/// aws-2023-11: a singular page with prose methods and an `## Example`.
#[test]
fn snapshot_aws_2023_11_connect_contact_flow() {
    require_corpus!();
    insta::assert_json_snapshot!(resource("aws-2023-11/connect/contact_flow/index.md"));
}

/// DigitalOcean: `data__` insert columns, a required tab after the all tab.
#[test]
fn snapshot_current_digitalocean_cdn_endpoints() {
    require_corpus!();
    insta::assert_json_snapshot!(resource("current/digitalocean/cdn/endpoints/index.md"));
}

// ---------------------------------------------------------------------------
// The independent reader itself
// ---------------------------------------------------------------------------

#[test]
fn independent_row_counter() {
    let html = "<table><tbody><tr><th>Name</th></tr><tr><td>a</td></tr>\n<tr>\n <td>b</td>\n</tr>\n</tbody></table>\n";
    assert_eq!(data_rows(html), 2);
    let pipe = "\n| Name | Datatype |\n|:--|:--|\n| a | `string` |\n| b | `string` |\n";
    assert_eq!(data_rows(pipe), 2);
    assert_eq!(data_rows("`SELECT` not supported\n"), 0);
    let page = "## Fields\n| a |\n|---|\n| x |\n## Methods\nprose\n";
    assert_eq!(section(page, "Fields"), Some("| a |\n|---|\n| x |\n"));
    assert_eq!(section(page, "Methods"), Some("prose\n"));
    assert_eq!(
        split_path("current/aws/s3/buckets/index.md"),
        Some(("current/aws", "s3", "buckets"))
    );
    assert_eq!(folder_provider("aws-2024-06"), "aws");
}
