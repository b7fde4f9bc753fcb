//! The IAM policy files generated from every AWS resource page of the real
//! corpus (`current/aws` and `aws-2024-06`) and of the project's fixtures
//! (`tests/fixtures/current/aws`), checked against the pages read
//! independently; and pages with malformed action lists, which must give a
//! `bad-action` diagnostic and no policy. The corpus tests say they were
//! skipped when the corpus is absent; the fixture tests always run.
//!
//! Each corpus folder is generated in-process once (as `generate
//! --allow-partial` would) and the `policies/...json` files of the
//! [`Generation`] are checked: valid JSON of exactly the IAM document shape,
//! [`PolicyDocument::validate`], within the managed-policy quota, and holding
//! exactly (case-insensitively) the actions the page lists per operation plus
//! the Cloud Control API actions of that operation. Views (pages whose
//! Permissions section links to another resource) get their base's List
//! actions, and Read too for `_tags` views.

mod common;

use stackql_bindings::runtime::policy::{PolicyDocument, PolicyKind};
use stackql_codegen::diagnostic::{Kind, Severity};
use stackql_codegen::{Config, Generation};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Operation → lower-cased actions.
type Actions = BTreeMap<String, BTreeSet<String>>;

const OPERATIONS: [&str; 5] = ["Create", "Read", "Update", "Delete", "List"];

/// The Cloud Control API actions StackQL calls per operation (written out
/// here rather than taken from the runtime).
fn cloud_control(op: &str) -> &'static [&'static str] {
    match op {
        "Create" => &[
            "cloudformation:createresource",
            "cloudformation:getresourcerequeststatus",
        ],
        "Read" => &["cloudformation:getresource"],
        "Update" => &[
            "cloudformation:updateresource",
            "cloudformation:getresourcerequeststatus",
        ],
        "Delete" => &[
            "cloudformation:deleteresource",
            "cloudformation:getresourcerequeststatus",
        ],
        "List" => &["cloudformation:listresources"],
        other => panic!("not an operation: {other}"),
    }
}

// ---------------------------------------------------------------------------
// An independent reading of a page's Permissions section: line based, sharing
// no code with the parser.
// ---------------------------------------------------------------------------

/// What a page's Permissions section says.
#[derive(Debug, Clone, PartialEq)]
enum PagePermissions {
    /// `### Op` headings, each followed by a fenced block of comma-separated
    /// actions: (operation, entries as written, trimmed), and the malformed
    /// entries.
    Listed {
        ops: Vec<(String, Vec<String>)>,
        bad: Vec<String>,
    },
    /// A link to another resource's permissions: the linked resource's name.
    Link { base: String },
}

/// `prefix:Name`, prefix `[A-Za-z0-9-]+`, name `[A-Za-z0-9*_-]+`, or `*`.
fn well_formed(action: &str) -> bool {
    if action == "*" {
        return true;
    }
    let Some((prefix, name)) = action.split_once(':') else {
        return false;
    };
    let ok = |s: &str, extra: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
    };
    ok(prefix, "-") && ok(name, "*_-")
}

fn scan(text: &str) -> Option<PagePermissions> {
    let mut lines = text
        .lines()
        .skip_while(|l| l.trim_end() != "## Permissions");
    lines.next()?;
    let section: Vec<&str> = lines
        .take_while(|l| !l.starts_with("## ") && !l.starts_with("# "))
        .collect();
    let mut ops = Vec::new();
    let mut bad = Vec::new();
    let mut i = 0;
    while i < section.len() {
        let Some(op) = section[i].strip_prefix("### ") else {
            i += 1;
            continue;
        };
        let open = i + 1 + section[i + 1..].iter().position(|l| l.starts_with("```"))?;
        let close = open
            + 1
            + section[open + 1..]
                .iter()
                .position(|l| l.starts_with("```"))?;
        let block = section[open + 1..close].join("\n");
        let entries: Vec<String> = if block.trim().is_empty() {
            Vec::new()
        } else {
            block.split(',').map(|e| e.trim().to_string()).collect()
        };
        bad.extend(entries.iter().filter(|e| !well_formed(e)).cloned());
        ops.push((op.trim().to_string(), entries));
        i = close + 1;
    }
    if !ops.is_empty() {
        return Some(PagePermissions::Listed { ops, bad });
    }
    let joined = section.join("\n");
    let end = joined.find("#permissions")?;
    let start = joined[..end].rfind(['"', '('])? + 1;
    let base = joined[start..end]
        .trim_end_matches('/')
        .rsplit('/')
        .next()?;
    Some(PagePermissions::Link {
        base: base.to_string(),
    })
}

/// `<service>/<resource>` → what its page says, for every resource page of a folder.
fn pages(folder: &Path) -> BTreeMap<String, PagePermissions> {
    let mut out = BTreeMap::new();
    let dirs = |d: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        v.sort();
        v
    };
    for service in dirs(folder) {
        for resource in dirs(&service) {
            let Ok(bytes) = std::fs::read(resource.join("index.md")) else {
                continue;
            };
            if let Some(p) = scan(&String::from_utf8_lossy(&bytes)) {
                let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
                out.insert(format!("{}/{}", name(&service), name(&resource)), p);
            }
        }
    }
    out
}

/// What each policy must hold, per `<service>/<resource>`: listed pages
/// without malformed entries, and views whose base is such a page.
fn expected(pages: &BTreeMap<String, PagePermissions>) -> BTreeMap<String, Actions> {
    let listed = |key: &str| -> Option<Actions> {
        let PagePermissions::Listed { ops, bad } = pages.get(key)? else {
            return None;
        };
        if !bad.is_empty() {
            return None;
        }
        let mut actions = Actions::new();
        for (op, entries) in ops {
            let set = actions.entry(op.clone()).or_default();
            set.extend(entries.iter().map(|a| a.to_lowercase()));
            set.extend(cloud_control(op).iter().map(|a| a.to_string()));
        }
        Some(actions)
    };
    let mut out = BTreeMap::new();
    for (key, p) in pages {
        let actions = match p {
            PagePermissions::Listed { .. } => listed(key),
            PagePermissions::Link { base } => {
                let (service, name) = key.split_once('/').unwrap();
                let view_ops: &[&str] = if name.ends_with("_tags") {
                    &["List", "Read"]
                } else {
                    &["List"]
                };
                listed(&format!("{service}/{base}")).map(|mut a| {
                    a.retain(|op, _| view_ops.contains(&op.as_str()));
                    a
                })
            }
        };
        if let Some(a) = actions.filter(|a| !a.is_empty()) {
            out.insert(key.clone(), a);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Checking the generated files
// ---------------------------------------------------------------------------

/// Checks one policy file on its own and returns its document.
fn check_file(path: &str, contents: &str) -> PolicyDocument {
    let json: serde_json::Value =
        serde_json::from_str(contents).unwrap_or_else(|e| panic!("{path}: not JSON: {e}"));
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let obj = v
            .as_object()
            .unwrap_or_else(|| panic!("{path}: not an object: {v}"));
        obj.keys().cloned().collect()
    };
    assert_eq!(keys(&json), ["Version", "Statement"], "{path}");
    assert_eq!(json["Version"], "2012-10-17", "{path}");
    let statements = json["Statement"].as_array().expect("Statement is a list");
    assert!(!statements.is_empty(), "{path}: no statements");
    for s in statements {
        assert_eq!(keys(s), ["Sid", "Effect", "Action", "Resource"], "{path}");
        assert_eq!(s["Effect"], "Allow", "{path}");
        assert_eq!(s["Resource"], "*", "{path}");
        let actions = s["Action"].as_array().expect("Action is a list");
        assert!(!actions.is_empty(), "{path}: a statement without actions");
        for a in actions {
            let a = a.as_str().expect("actions are strings");
            assert!(well_formed(a), "{path}: malformed action {a:?}");
        }
    }
    let doc: PolicyDocument = serde_json::from_value(json).unwrap();
    doc.validate()
        .unwrap_or_else(|e| panic!("{path}: invalid document: {e}"));
    // IAM counts characters except whitespace; no action or Sid holds any.
    let size = contents.chars().filter(|c| !c.is_whitespace()).count();
    assert_eq!(size, doc.size(), "{path}");
    assert!(
        size <= PolicyKind::Managed.quota(),
        "{path}: {size} characters, over the managed-policy quota"
    );
    doc
}

/// `policies/aws/<service>/<resource>[.partN].json` → (`<service>/<resource>`, N).
fn policy_key(path: &str) -> (String, usize) {
    let rest = path
        .strip_prefix("policies/aws/")
        .and_then(|p| p.strip_suffix(".json"))
        .unwrap_or_else(|| panic!("unexpected policy path {path}"));
    let (key, part) = match rest.rsplit_once(".part") {
        Some((key, n)) => (key, n.parse().expect("part number")),
        None => (rest, 1),
    };
    assert_eq!(key.matches('/').count(), 1, "{path}");
    assert!(!key.contains('.'), "{path}");
    (key.to_string(), part)
}

/// The policy files of a generation, checked one by one and merged per
/// resource (parts together, statement Sids without their `PartN`).
fn generated_policies(g: &Generation) -> BTreeMap<String, Actions> {
    let mut parts: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut out: BTreeMap<String, Actions> = BTreeMap::new();
    for f in g.files.iter().filter(|f| f.path.starts_with("policies/")) {
        let doc = check_file(&f.path, &f.contents);
        let (key, part) = policy_key(&f.path);
        parts.entry(key.clone()).or_default().push(part);
        let merged = out.entry(key).or_default();
        for s in &doc.statement {
            let op = match s.sid.rfind("Part") {
                Some(i) if s.sid[i + 4..].parse::<usize>().is_ok_and(|n| n >= 2) => &s.sid[..i],
                _ => s.sid.as_str(),
            };
            assert!(OPERATIONS.contains(&op), "{}: Sid {}", f.path, s.sid);
            merged
                .entry(op.to_string())
                .or_default()
                .extend(s.action.iter().map(|a| a.to_lowercase()));
        }
        for s in &doc.statement {
            let lower: BTreeSet<String> = s.action.iter().map(|a| a.to_lowercase()).collect();
            assert_eq!(lower.len(), s.action.len(), "{}: {} repeats", f.path, s.sid);
        }
    }
    for (key, mut numbers) in parts {
        numbers.sort();
        let want: Vec<usize> = (1..=numbers.len()).collect();
        assert_eq!(numbers, want, "{key}: policy parts are not 1, 2, ...");
    }
    out
}

/// Counts found for one corpus folder.
#[derive(Debug, PartialEq)]
struct Counts {
    policy_files: usize,
    resources_with_policy: usize,
    split: usize,
    listed_pages: usize,
    views: usize,
    tags_views: usize,
    malformed: Vec<String>,
    views_without_policy: Vec<String>,
}

/// Generates `dir` (a folder of AWS pages) and checks its policies.
fn check_folder(dir: &Path) -> Counts {
    let folder = dir.display();
    let g = Config::new()
        .specs(dir)
        .allow_partial(true)
        .generate()
        .expect("the corpus generates");
    let pages = pages(dir);
    let want = expected(&pages);
    let got = generated_policies(&g);

    let missing: Vec<&String> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    assert!(missing.is_empty(), "{folder}: no policy for {missing:?}");
    assert!(
        extra.is_empty(),
        "{folder}: policies no page asks for: {extra:?}"
    );
    let mut mismatches = Vec::new();
    for (key, want) in &want {
        let got = &got[key];
        if got != want {
            let ops: BTreeSet<&String> = want.keys().chain(got.keys()).collect();
            for op in ops {
                let (w, g) = (want.get(op), got.get(op));
                if w != g {
                    let w = w.cloned().unwrap_or_default();
                    let g = g.cloned().unwrap_or_default();
                    mismatches.push(format!(
                        "{key} {op}: missing {:?}, unexpected {:?}",
                        w.difference(&g).collect::<Vec<_>>(),
                        g.difference(&w).collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{folder}: policies differ from the pages:\n{}",
        mismatches.join("\n")
    );

    // Views: their base's List actions (and Read for tags views), checked
    // directly against the base's policy too.
    let mut views_without_policy = Vec::new();
    let (mut views, mut tags_views) = (0, 0);
    for (key, p) in &pages {
        let PagePermissions::Link { base } = p else {
            continue;
        };
        views += 1;
        let (service, name) = key.split_once('/').unwrap();
        let view_ops: &[&str] = if name.ends_with("_tags") {
            &["List", "Read"]
        } else {
            &["List"]
        };
        let Some(view) = got.get(key) else {
            views_without_policy.push(key.clone());
            let base = got.get(&format!("{service}/{base}"));
            let none = base.is_none_or(|b| view_ops.iter().all(|op| !b.contains_key(*op)));
            assert!(none, "{key}: no policy, but its base has one");
            continue;
        };
        let base = &got[&format!("{service}/{base}")];
        assert_eq!(view.get("List"), base.get("List"), "{key}");
        assert!(view.contains_key("List"), "{key}: a view without List");
        if name.ends_with("_tags") {
            tags_views += 1;
            assert_eq!(view.get("Read"), base.get("Read"), "{key}");
        } else {
            assert_eq!(view.len(), 1, "{key}: a list-only view gets only List");
        }
    }

    let policy_files = g
        .files
        .iter()
        .filter(|f| f.path.starts_with("policies/"))
        .count();
    let listed_pages = pages
        .values()
        .filter(|p| matches!(p, PagePermissions::Listed { .. }))
        .count();
    // Pages whose action lists the scanner finds malformed get no policy
    // (checked above) and a `bad-action` diagnostic; no other page is left
    // out of the generation.
    let malformed: Vec<String> = pages
        .iter()
        .filter(|(_, p)| matches!(p, PagePermissions::Listed { bad, .. } if !bad.is_empty()))
        .map(|(k, _)| format!("{k}/index.md"))
        .collect();
    for m in &malformed {
        let d = g
            .all_diagnostics()
            .find(|d| &d.file == m && d.kind == Kind::BadAction);
        assert!(d.is_some(), "{folder}/{m}: no bad-action diagnostic");
    }
    let others: Vec<&String> = g
        .left_out
        .iter()
        .filter(|l| !malformed.contains(l))
        .collect();
    assert!(others.is_empty(), "{folder}: pages left out: {others:?}");
    Counts {
        policy_files,
        resources_with_policy: got.len(),
        split: policy_files - got.len(),
        listed_pages,
        views,
        tags_views,
        malformed,
        views_without_policy,
    }
}

#[test]
fn current_aws_policies_match_the_pages() {
    require_corpus!();
    let counts = check_folder(&common::corpus().join("current/aws"));
    assert_eq!(
        counts,
        Counts {
            policy_files: 2855,
            resources_with_policy: 2855,
            split: 0,
            listed_pages: 1115,
            views: 1742,
            tags_views: 696,
            // `s3:REST.PUT.OBJECT` is not an IAM action: the page, and the
            // view linking to it, get no policy.
            malformed: vec!["logs/account_policies/index.md".into()],
            views_without_policy: vec!["logs/account_policies_list_only".into()],
        }
    );
}

#[test]
fn aws_2024_06_policies_match_the_pages() {
    require_corpus!();
    let counts = check_folder(&common::corpus().join("aws-2024-06"));
    assert_eq!(
        counts,
        Counts {
            policy_files: 994,
            resources_with_policy: 994,
            split: 0,
            listed_pages: 995,
            views: 0,
            tags_views: 0,
            malformed: vec!["logs/account_policies/index.md".into()],
            views_without_policy: vec![],
        }
    );
}

/// The project's own AWS pages (`tests/fixtures/current/aws`): listed
/// permissions with an upper-case prefix and with `*`, a list-only and a tags
/// view, and a malformed list whose page and view get no policy.
#[test]
fn fixture_policies_match_the_pages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/current/aws");
    assert_eq!(
        check_folder(&dir),
        Counts {
            policy_files: 4,
            resources_with_policy: 4,
            split: 0,
            listed_pages: 3,
            views: 3,
            tags_views: 1,
            malformed: vec!["sqs/queues/index.md".into()],
            views_without_policy: vec!["sqs/queues_list_only".into()],
        }
    );
}

#[test]
fn scanner_reads_lists_links_and_malformed_entries() {
    let page = "# t\n## Permissions\n\nintro\n\n### Create\n```json\ns3:A,\ns3:b\n```\n\n### List\n```json\n```\n## Next\n### Read\n";
    let want = PagePermissions::Listed {
        ops: vec![
            ("Create".into(), vec!["s3:A".into(), "s3:b".into()]),
            ("List".into(), vec![]),
        ],
        bad: vec![],
    };
    assert_eq!(scan(page), Some(want));
    let bad = "## Permissions\n### Read\n```json\ns3:A,\n,\nB,\ns3:x y,\n```\n";
    let Some(PagePermissions::Listed { bad, .. }) = scan(bad) else {
        panic!()
    };
    assert_eq!(bad, ["", "B", "s3:x y", ""]);
    let link = "## Permissions\n\nsee <a href=\"/providers/aws/s3/buckets/#permissions\"><code>buckets</code></a>\n";
    let want = PagePermissions::Link {
        base: "buckets".into(),
    };
    assert_eq!(scan(link), Some(want));
    assert_eq!(scan("## Fields\n"), None);
    assert!(well_formed("app-integrations:Get*") && well_formed("*"));
    assert!(!well_formed("s3:REST.PUT.OBJECT") && !well_formed("s3:"));
}

// ---------------------------------------------------------------------------
// Malformed action lists: a `bad-action` error and no policy
// ---------------------------------------------------------------------------

const SPEC_PAGE: &str = "aws/connect/integration_associations/index.md";
const VIEW_PAGE: &str = "aws/connect/integration_associations_list_only/index.md";

fn spec_page() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../specs")
        .join(SPEC_PAGE);
    std::fs::read_to_string(path).expect("the spec page")
}

/// A list-only view of the spec page, made from the fixture view page.
fn view_page() -> String {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/current/aws/s3/buckets_list_only/index.md");
    let text = std::fs::read_to_string(fixture).expect("the fixture view page");
    assert!(text.contains("/providers/aws/s3/buckets/#permissions"));
    text.replace(
        "aws.s3.buckets_list_only",
        "aws.connect.integration_associations_list_only",
    )
    .replace(
        "/providers/aws/s3/buckets/#permissions",
        "/providers/aws/connect/integration_associations/#permissions",
    )
    .replace("buckets_list_only", "integration_associations_list_only")
}

/// The spec page with its `### List` block replaced by `list`.
fn with_list_block(list: &str) -> String {
    let page = spec_page();
    let head = "### List\n```json\n";
    let start = page.find(head).expect("a List block") + head.len();
    let end = start + page[start..].find("```").unwrap();
    format!("{}{list}{}", &page[..start], &page[end..])
}

/// Generates the spec page (as given) and its view in a temporary specs tree.
fn generate(spec: &str) -> Generation {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [(SPEC_PAGE, spec.to_string()), (VIEW_PAGE, view_page())] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    Config::new()
        .specs(dir.path())
        .allow_partial(true)
        .generate()
        .expect("partial generation succeeds")
}

fn policy_files(g: &Generation) -> Vec<&str> {
    g.files
        .iter()
        .filter(|f| f.path.starts_with("policies/"))
        .map(|f| f.path.as_str())
        .collect()
}

#[test]
fn the_unmodified_page_and_its_view_get_policies() {
    let g = generate(&spec_page());
    assert!(g.left_out.is_empty(), "{:?}", g.left_out);
    assert_eq!(
        policy_files(&g),
        [
            "policies/aws/connect/integration_associations.json",
            "policies/aws/connect/integration_associations_list_only.json",
        ]
    );
    let docs: Vec<PolicyDocument> = g
        .files
        .iter()
        .filter(|f| f.path.starts_with("policies/"))
        .map(|f| check_file(&f.path, &f.contents))
        .collect();
    let base_list = docs[0].statement.iter().find(|s| s.sid == "List").unwrap();
    assert_eq!(docs[1].statement, std::slice::from_ref(base_list));
    assert_eq!(
        base_list.action,
        [
            "cloudformation:ListResources",
            "connect:ListBots",
            "connect:ListIntegrationAssociations",
            "connect:ListLambdaFunctions"
        ]
    );
}

#[test]
fn malformed_action_lines_give_bad_action_and_no_policy() {
    let good =
        "connect:ListBots,\nconnect:ListLambdaFunctions,\nconnect:ListIntegrationAssociations\n";
    let cases = [
        (
            "blank entry",
            "connect:ListBots,\n,\nconnect:ListIntegrationAssociations\n",
            ",",
        ),
        (
            "blank line entry",
            "connect:ListBots,\n   ,\nconnect:ListIntegrationAssociations\n",
            "   ,",
        ),
        (
            "trailing comma",
            "connect:ListBots,\nconnect:ListIntegrationAssociations,\n",
            "connect:ListIntegrationAssociations,",
        ),
        (
            "space inside",
            "connect:ListBots,\nconnect:List Integration Associations\n",
            "connect:List Integration Associations",
        ),
        (
            "missing comma",
            "connect:ListBots connect:ListIntegrationAssociations\n",
            "connect:ListBots connect:ListIntegrationAssociations",
        ),
        (
            "missing prefix",
            "connect:ListBots,\nListIntegrationAssociations\n",
            "ListIntegrationAssociations",
        ),
        (
            "empty prefix",
            "connect:ListBots,\n:ListIntegrationAssociations\n",
            ":ListIntegrationAssociations",
        ),
        (
            "quoted",
            "\"connect:ListBots\",\n\"connect:ListIntegrationAssociations\"\n",
            "\"connect:ListBots\",",
        ),
        (
            "non-ASCII lookalike",
            "connect:ListBots,\nconnect:List\u{0406}ntegrationAssociations\n",
            "connect:List\u{0406}ntegrationAssociations",
        ),
        (
            "two colons",
            "connect:ListBots,\nconnect::ListIntegrationAssociations\n",
            "connect::ListIntegrationAssociations",
        ),
    ];
    assert!(generate(&with_list_block(good)).left_out.is_empty());
    for (what, list, line_text) in cases {
        let spec = with_list_block(list);
        let g = generate(&spec);
        let diags: Vec<_> = g
            .all_diagnostics()
            .filter(|d| d.kind == Kind::BadAction)
            .collect();
        assert!(!diags.is_empty(), "{what}: no bad-action diagnostic");
        for d in &diags {
            assert_eq!(d.file, SPEC_PAGE, "{what}");
            assert!(d.severity >= Severity::Warning, "{what}: {d}");
        }
        // The first diagnostic points at the offending line.
        let line = spec.lines().nth(diags[0].line - 1).unwrap_or_default();
        // (A trailing comma may be reported where the list ends: the fence.)
        let fence = what == "trailing comma" && line == "```";
        assert!(
            line == line_text || fence,
            "{what}: {} at {line:?}",
            diags[0]
        );
        let others: Vec<&String> = g.left_out.iter().filter(|l| *l != SPEC_PAGE).collect();
        assert!(others.is_empty(), "{what}: {others:?}");
        // No policy: neither for the page nor for the view linking to it.
        assert!(
            policy_files(&g).is_empty(),
            "{what}: {:?}",
            policy_files(&g)
        );
        let link = g
            .all_diagnostics()
            .find(|d| d.kind == Kind::PermissionsLink)
            .unwrap_or_else(|| panic!("{what}: the view's link is not reported"));
        assert_eq!(link.file, VIEW_PAGE, "{what}");
        // The independent scanner agrees the list is malformed.
        let Some(PagePermissions::Listed { bad, .. }) = scan(&spec) else {
            panic!("{what}: scanner found no lists")
        };
        assert!(!bad.is_empty(), "{what}");
    }
}
