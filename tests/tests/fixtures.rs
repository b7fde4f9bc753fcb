//! The parser on the project's own pages (`tests/fixtures/`, see its
//! README): one or more pages per format the parser reads, each read into
//! the model a user sees (the `model` subcommand's JSON), with exactly the
//! diagnostics its format calls for. These run in any clone; `corpus.rs`
//! checks the same families over every page of the real corpus.

use serde_json::{json, Value};
use stackql_codegen::parse::Page;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every fixture page by path (relative to `tests/fixtures/`).
fn pages() -> &'static BTreeMap<String, Page> {
    static PAGES: OnceLock<BTreeMap<String, Page>> = OnceLock::new();
    PAGES.get_or_init(|| {
        stackql_codegen::Config::new()
            .specs(fixtures())
            .parse()
            .expect("the fixtures are readable")
            .into_iter()
            .map(|p| (p.source.clone(), p))
            .collect()
    })
}

/// The model JSON of the resource on `page` (`<generation>/.../<resource>`).
fn model(page: &str) -> Value {
    let source = format!("{page}/index.md");
    let p = pages()
        .get(&source)
        .unwrap_or_else(|| panic!("no fixture page {source}"));
    let r = p.resource.as_ref().unwrap_or_else(|| {
        panic!(
            "{source} was not read into a resource: {:#?}",
            p.diagnostics
        )
    });
    serde_json::to_value(r).unwrap()
}

/// `(name, datatype)` of each field.
fn fields(m: &Value) -> Vec<(String, String)> {
    m["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (s(&f["name"]), s(&f["datatype"])))
        .collect()
}

/// `(name, verb, required params)` of each method.
fn methods(m: &Value) -> Vec<(String, String, Vec<String>)> {
    m["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (s(&x["name"]), s(&x["verb"]), strings(&x["required_params"])))
        .collect()
}

/// `(verb, tab, lang)` of each example.
fn examples(m: &Value) -> Vec<(Value, Value, String)> {
    m["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["verb"].clone(), e["tab"].clone(), s(&e["lang"])))
        .collect()
}

/// The shape of a manifest property, by path of property names (`[]` for an
/// array's items).
fn shape<'a>(m: &'a Value, path: &[&str]) -> &'a Value {
    let mut props = &m["insert"]["properties"];
    let mut shape = &Value::Null;
    for step in path {
        if *step == "[]" {
            assert_eq!(shape["kind"], "array", "{path:?}: {shape}");
            shape = &shape["items"];
            props = &shape["properties"];
            continue;
        }
        let prop = props
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == *step))
            .unwrap_or_else(|| panic!("{path:?}: no property {step} in {props}"));
        shape = &prop["shape"];
        props = &shape["properties"];
    }
    shape
}

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string, found {v}"))
        .to_string()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(s).collect()
}

fn method(name: &str, verb: &str, params: &[&str]) -> (String, String, Vec<String>) {
    (
        name.into(),
        verb.into(),
        params.iter().map(|p| p.to_string()).collect(),
    )
}

/// Every page's kind and its diagnostic kinds (each once, sorted): what a
/// change to the parser must not move without saying why.
#[test]
fn every_page_has_its_kind_and_only_its_diagnostics() {
    let expected: BTreeMap<&str, (&str, &[&str])> = [
        ("README.md", ("other", &["not-a-resource"][..])),
        (
            "aws-2023-11/aws/connect/index.md",
            ("service_index", &["not-a-resource"]),
        ),
        (
            "aws-2023-11/aws/connect/approved_origin/index.md",
            ("resource", &["methods-prose"]),
        ),
        (
            "aws-2023-11/aws/connect/approved_origins/index.md",
            ("resource", &["methods-prose"]),
        ),
        (
            "aws-2023-11/aws/ec2/instance_monitoring/index.md",
            ("resource", &["select-not-supported"]),
        ),
        (
            "aws-2024-06/aws/transfer/ssh_keys/index.md",
            ("resource", &["select-not-supported"]),
        ),
        (
            "current/aws/index.md",
            ("provider_index", &["not-a-resource"]),
        ),
        (
            "current/aws/s3/index.md",
            ("service_index", &["not-a-resource"]),
        ),
        ("current/aws/s3/bucket_tags/index.md", ("resource", &[])),
        ("current/aws/s3/buckets/index.md", ("resource", &[])),
        (
            "current/aws/amplify/webhooks/index.md",
            ("resource", &["manifest"]),
        ),
        ("current/aws/logs/log_groups/index.md", ("resource", &[])),
        (
            "current/aws/s3/buckets_list_only/index.md",
            ("resource", &[]),
        ),
        (
            "current/aws/sqs/queue_policies/index.md",
            ("resource", &["wildcard-action"]),
        ),
        (
            "current/aws/sqs/queues/index.md",
            ("resource", &["bad-action", "permissions-dropped"]),
        ),
        (
            "current/aws/sqs/queues_list_only/index.md",
            ("resource", &[]),
        ),
        (
            "current/awscc/logs/subscription_filters/index.md",
            ("resource", &[]),
        ),
        ("current/azure/compute/disks/index.md", ("resource", &[])),
        (
            "current/azure/compute/vw_disk_sizes/index.md",
            ("resource", &["view-definition"]),
        ),
        (
            "current/azure/network/public_ip_addresses/index.md",
            ("resource", &["view-without-table"]),
        ),
        (
            "current/digitalocean/volumes/snapshots/index.md",
            ("resource", &[]),
        ),
        (
            "current/github/activity/stargazer_times/index.md",
            ("resource", &["view-without-definition"]),
        ),
        (
            "current/github/repos/dispatches/index.md",
            ("resource", &["select-not-supported"]),
        ),
        ("current/github/repos/topics/index.md", ("resource", &[])),
        (
            "current/google/compute/instance_actions/index.md",
            ("resource", &["select-not-supported"]),
        ),
        (
            "current/google/compute/disks/index.md",
            ("resource", &["manifest"]),
        ),
        (
            "current/google/compute/instances/index.md",
            ("resource", &[]),
        ),
        (
            "current/google/iam/service_accounts/index.md",
            ("resource", &[]),
        ),
        (
            "current/pagerduty/incidents/incidents/index.md",
            ("resource", &[]),
        ),
        (
            "current/pagerduty/incidents/incident_workflows/index.md",
            ("resource", &["empty-resource"]),
        ),
    ]
    .into_iter()
    .collect();
    let observed: BTreeMap<&str, (String, Vec<String>)> = pages()
        .iter()
        .map(|(source, p)| {
            let mut kinds: Vec<String> = p.diagnostics.iter().map(|d| d.kind.to_string()).collect();
            kinds.sort();
            kinds.dedup();
            (
                source.as_str(),
                (s(&serde_json::to_value(p.kind).unwrap()), kinds),
            )
        })
        .collect();
    let expected: BTreeMap<&str, (String, Vec<String>)> = expected
        .into_iter()
        .map(|(k, (kind, diags))| {
            (
                k,
                (
                    kind.to_string(),
                    diags.iter().map(|d| d.to_string()).collect(),
                ),
            )
        })
        .collect();
    assert_eq!(observed, expected);
    for p in pages().values() {
        // No page is left out: warnings and notes only.
        assert!(!p.has_errors(), "{}: {:#?}", p.source, p.diagnostics);
        // Every resource is read under the id its path gives.
        if let Some(r) = &p.resource {
            let parts: Vec<&str> = p.source.split('/').collect();
            let n = parts.len();
            assert_eq!(
                r.id.to_string(),
                parts[n - 4..n - 1].join("."),
                "{}",
                p.source
            );
        }
    }
}

/// Current AWS: HTML tables, the cloud type, the singular from the summary,
/// a composite-free identifier, required/all/manifest tabs with nested
/// shapes, permission lists as written.
#[test]
fn current_aws_resource_page() {
    let m = model("current/aws/s3/buckets");
    assert_eq!(m["cloud_type"], "AWS::S3::Bucket");
    assert_eq!(m["singular"], "bucket");
    // Entities decoded, `<br />` a space, code marks kept.
    assert_eq!(
        m["description"],
        "A fixture for the `AWS::S3::Bucket` resource type: a storage container for objects. \
         Its name is chosen once; see [the naming rules](https://example.com/bucket-names) \
         before picking one. A bucket must be *empty* to be deleted."
    );
    assert_eq!(
        fields(&m)[..3],
        [
            ("bucket_encryption".into(), "object".into()),
            ("bucket_name".into(), "string".into()),
            ("lifecycle_configuration".into(), "object".into()),
        ]
    );
    assert_eq!(fields(&m).len(), 9);
    assert_eq!(
        methods(&m),
        [
            method("create_resource", "INSERT", &["BucketName", "region"]),
            method("delete_resource", "DELETE", &["data__Identifier", "region"]),
            method(
                "update_resource",
                "UPDATE",
                &["data__Identifier", "data__PatchDocument", "region"]
            ),
            method("list_resources", "SELECT", &["region"]),
            method("get_resource", "SELECT", &["data__Identifier", "region"]),
        ]
    );
    assert_eq!(m["identifier"]["parts"], json!(["BucketName"]));
    assert_eq!(
        examples(&m),
        [
            (json!("SELECT"), Value::Null, "sql".into()),
            (json!("SELECT"), Value::Null, "sql".into()),
            (json!("INSERT"), json!("required"), "sql".into()),
            (json!("INSERT"), json!("all"), "sql".into()),
            (json!("INSERT"), json!("manifest"), "yaml".into()),
            (json!("DELETE"), Value::Null, "sql".into()),
        ]
    );
    assert_eq!(m["insert"]["required"], json!(["BucketName", "region"]));
    assert_eq!(
        m["insert"]["all"],
        json!([
            "BucketEncryption",
            "BucketName",
            "LifecycleConfiguration",
            "ObjectLockEnabled",
            "Tags",
            "VersioningConfiguration",
            "region"
        ])
    );
    let sse = shape(
        &m,
        &[
            "BucketEncryption",
            "ServerSideEncryptionConfiguration",
            "[]",
            "ServerSideEncryptionByDefault",
        ],
    );
    assert_eq!(sse["kind"], "object");
    assert_eq!(
        shape(
            &m,
            &[
                "BucketEncryption",
                "ServerSideEncryptionConfiguration",
                "[]",
                "ServerSideEncryptionByDefault",
                "KMSMasterKeyID"
            ]
        ),
        &json!({"kind": "scalar", "datatype": "string"})
    );
    // `- null` items and `{}` values are of unknown shape.
    assert_eq!(
        shape(
            &m,
            &["LifecycleConfiguration", "Rules", "[]", "Transitions"]
        ),
        &json!({"kind": "array", "items": {"kind": "any"}})
    );
    assert_eq!(
        shape(
            &m,
            &[
                "LifecycleConfiguration",
                "TransitionDefaultMinimumObjectSize"
            ]
        ),
        &json!({"kind": "any"})
    );
    let ops = m["permissions"]["operations"].as_array().unwrap();
    assert_eq!(m["permissions"]["kind"], "listed");
    assert_eq!(
        ops.iter().map(|o| s(&o["operation"])).collect::<Vec<_>>(),
        ["create", "read", "update", "delete", "list"]
    );
    // Actions are kept as written (the policy deduplicates them later).
    assert!(ops[1]["actions"]
        .as_array()
        .unwrap()
        .contains(&json!("S3:GetBucketObjectLockConfiguration")));
    assert_eq!(ops[4]["actions"], json!(["s3:ListAllMyBuckets"]));
}

/// `_list_only` and `_tags` views: one SELECT, permissions by link.
#[test]
fn current_aws_views() {
    for (page, fields_len) in [
        ("current/aws/s3/buckets_list_only", 2),
        ("current/aws/s3/bucket_tags", 5),
    ] {
        let m = model(page);
        assert_eq!(
            methods(&m),
            [method("list_resources", "SELECT", &["region"])]
        );
        assert_eq!(m["permissions"]["kind"], "see_also", "{page}");
        assert_eq!(m["permissions"]["resource"], "buckets", "{page}");
        assert_eq!(
            m["permissions"]["href"],
            "/providers/aws/s3/buckets/#permissions"
        );
        assert_eq!(fields(&m).len(), fields_len, "{page}");
        assert_eq!(m["insert"], Value::Null, "{page}");
    }
    let tags = model("current/aws/s3/bucket_tags");
    assert!(fields(&tags).contains(&("tag_value".into(), "string".into())));
}

/// A malformed action list: the diagnostic names the line, the resource
/// keeps its bindings and loses its permissions; `*` is kept with a warning.
#[test]
fn malformed_and_wildcard_permission_lists() {
    let source = "current/aws/sqs/queues/index.md";
    let p = &pages()[source];
    let bad = p
        .diagnostics
        .iter()
        .find(|d| d.kind.as_str() == "bad-action")
        .unwrap();
    let text = std::fs::read_to_string(fixtures().join(source)).unwrap();
    assert_eq!(
        text.lines().nth(bad.line - 1),
        Some("sqs:TagQueue sqs:SetQueueAttributes")
    );
    let m = model("current/aws/sqs/queues");
    assert_eq!(m["permissions"], json!({"kind": "none"}));
    assert_eq!(methods(&m).len(), 4);

    let m = model("current/aws/sqs/queue_policies");
    let ops = &m["permissions"]["operations"];
    assert_eq!(ops[0]["actions"], json!(["*"]));
    assert_eq!(ops[1]["actions"], json!(["*"]));
    assert_eq!(shape(&m, &["PolicyDocument"]), &json!({"kind": "any"}));
    assert_eq!(
        shape(&m, &["Queues"]),
        &json!({"kind": "array", "items": {"kind": "scalar", "datatype": "string"}})
    );
}

/// Google: pipe tables, every verb, a typed manifest, params before the
/// INSERT body, no permissions.
#[test]
fn google_resource_pages() {
    let m = model("current/google/compute/instances");
    assert_eq!(m["cloud_type"], Value::Null);
    // "a `instances` resource" names no singular of its own.
    assert_eq!(m["singular"], Value::Null);
    assert_eq!(fields(&m).len(), 11);
    assert_eq!(fields(&m)[3], ("canIpForward".into(), "boolean".into()));
    let verbs: Vec<String> = methods(&m).into_iter().map(|(_, v, _)| v).collect();
    assert_eq!(
        verbs,
        [
            "SELECT", "SELECT", "SELECT", "INSERT", "DELETE", "REPLACE", "EXEC", "EXEC", "EXEC",
            "EXEC"
        ]
    );
    assert_eq!(
        methods(&m)[6],
        method(
            "detach_disk",
            "EXEC",
            &["deviceName", "instance", "project", "zone"]
        )
    );
    assert_eq!(
        examples(&m),
        [
            (json!("SELECT"), Value::Null, "sql".into()),
            (json!("INSERT"), json!("all"), "sql".into()),
            (json!("INSERT"), json!("manifest"), "yaml".into()),
            (json!("REPLACE"), Value::Null, "sql".into()),
            (json!("DELETE"), Value::Null, "sql".into()),
        ]
    );
    assert_eq!(m["insert"]["required"], json!([]));
    assert_eq!(strings(&m["insert"]["all"])[..2], ["project", "zone"]);
    assert_eq!(
        shape(&m, &["instanceProperties", "tags", "items"]),
        &json!({"kind": "array", "items": {"kind": "scalar", "datatype": "string"}})
    );
    assert_eq!(
        shape(&m, &["instanceProperties", "disks", "[]", "autoDelete"]),
        &json!({"kind": "scalar", "datatype": "boolean"})
    );
    assert_eq!(
        shape(&m, &["instanceProperties", "labels"]),
        &json!({"kind": "any"})
    );
    assert_eq!(m["permissions"], json!({"kind": "none"}));

    let m = model("current/google/iam/service_accounts");
    let verbs: Vec<Value> = examples(&m).into_iter().map(|(v, _, _)| v).collect();
    assert_eq!(
        verbs,
        [
            json!("SELECT"),
            json!("INSERT"),
            json!("INSERT"),
            json!("UPDATE"),
            json!("REPLACE"),
            json!("DELETE")
        ]
    );
    assert_eq!(shape(&m, &["serviceAccount"])["kind"], "object");
}

/// Pages that say `SELECT` is not supported instead of a Fields table, in
/// each generation's wording: no fields, their methods still read.
#[test]
fn select_not_supported_pages() {
    for (page, expected) in [
        (
            "current/google/compute/instance_actions",
            vec![
                method("reset", "EXEC", &["instance", "project", "zone"]),
                method(
                    "simulate_maintenance_event",
                    "EXEC",
                    &["instance", "project", "zone"],
                ),
            ],
        ),
        (
            "current/github/repos/dispatches",
            vec![method(
                "create_dispatch_event",
                "EXEC",
                &["owner", "repo", "data__event_type"],
            )],
        ),
        (
            "aws-2023-11/aws/ec2/instance_monitoring",
            vec![
                method(
                    "instance_monitoring_Enable",
                    "EXEC",
                    &["InstanceId", "region"],
                ),
                method(
                    "instance_monitoring_Disable",
                    "EXEC",
                    &["InstanceId", "region"],
                ),
            ],
        ),
        (
            "aws-2024-06/aws/transfer/ssh_keys",
            vec![
                method(
                    "import_ssh_key",
                    "INSERT",
                    &[
                        "data__ServerId",
                        "data__SshPublicKeyBody",
                        "data__UserName",
                        "region",
                    ],
                ),
                method(
                    "delete_ssh_key",
                    "DELETE",
                    &[
                        "data__ServerId",
                        "data__SshPublicKeyId",
                        "data__UserName",
                        "region",
                    ],
                ),
            ],
        ),
    ] {
        let m = model(page);
        assert_eq!(m["fields"], json!([]), "{page}");
        assert_eq!(methods(&m), expected, "{page}");
        let d = pages()[&format!("{page}/index.md")]
            .diagnostics
            .iter()
            .find(|d| d.kind.as_str() == "select-not-supported")
            .unwrap();
        // A fact of the page: a note, not a warning.
        assert_eq!(d.severity, stackql_codegen::diagnostic::Severity::Note);
    }
}

/// GitHub: two-column Fields tables, empty datatypes read as `undefined`,
/// a view with no methods, no examples.
#[test]
fn github_pages() {
    let m = model("current/github/repos/topics");
    assert_eq!(
        fields(&m),
        [
            ("names".to_string(), "array".to_string()),
            ("updated_at".into(), "string".into()),
            ("count".into(), "integer".into()),
        ]
    );
    assert!(m["fields"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["description"] == ""));
    assert_eq!(m["examples"], json!([]));
    assert_eq!(
        methods(&m)[1],
        method(
            "replace_all_topics",
            "REPLACE",
            &["owner", "repo", "data__names"]
        )
    );

    // A page that says it is a view, without its definition or params:
    // one `view` method selects it.
    let m = model("current/github/activity/stargazer_times");
    assert_eq!(methods(&m), [method("view", "SELECT", &[])]);
    let f = fields(&m);
    assert_eq!(f.len(), 6);
    assert_eq!(f[4], ("starred_at".into(), "text".into()));
    assert_eq!(f[5], ("type".into(), "undefined".into()));
}

/// DigitalOcean: an anonymous column, a SELECT without params, `data__`
/// INSERT columns, the `required` tab after the `all` tab.
#[test]
fn digitalocean_page() {
    let m = model("current/digitalocean/volumes/snapshots");
    assert_eq!(
        fields(&m),
        [("column_anon".to_string(), "undefined".to_string())]
    );
    assert_eq!(
        methods(&m)[1],
        method("volume_snapshots_list_all", "SELECT", &[])
    );
    assert_eq!(
        m["insert"]["all"],
        json!(["data__name", "data__tags", "data__region"])
    );
    assert_eq!(
        m["insert"]["required"],
        json!(["data__name", "data__region"])
    );
    assert_eq!(
        shape(&m, &["tags"]),
        &json!({"kind": "array", "items": {"kind": "scalar", "datatype": "string"}})
    );
}

/// The 2023-11 generation: prose methods become one SELECT whose params
/// are the example's WHERE columns; a plain `## Example` gets its verb from
/// the SQL; the identifier's parts come from the `data__Identifier`
/// predicates, entities decoded.
#[test]
fn older_generation_pages() {
    let m = model("aws-2023-11/aws/connect/approved_origin");
    assert_eq!(m["methods"].as_array().unwrap().len(), 1);
    let (name, verb, params) = methods(&m).remove(0);
    assert_eq!((name.as_str(), verb.as_str()), ("select", "SELECT"));
    assert_eq!(params[0], "region");
    assert!(params.contains(&"data__Identifier".to_string()));
    assert_eq!(examples(&m), [(json!("SELECT"), Value::Null, "sql".into())]);
    assert_eq!(m["identifier"]["parts"], json!(["InstanceId", "Origin"]));
    assert_eq!(m["singular"], Value::Null);

    let m = model("aws-2023-11/aws/connect/approved_origins");
    assert_eq!(
        fields(&m),
        [
            ("instance_id".to_string(), "undefined".to_string()),
            ("origin".into(), "undefined".into()),
            ("region".into(), "string".into()),
        ]
    );
    assert_eq!(methods(&m), [method("select", "SELECT", &["region"])]);
    assert_eq!(m["identifier"], Value::Null);
}

/// A page whose Fields and SELECT examples hold one table per tab: the
/// resource keeps its own fields and datatypes, each other tab is a view
/// named by its SELECT's `FROM` (or its label), in any tab order, with or
/// without blank lines around the tab markers; a declared tab without a
/// table is a note.
#[test]
fn tabbed_resource_and_view_pages() {
    let m = model("current/azure/compute/disks");
    assert_eq!(
        fields(&m),
        [
            ("id", "string"),
            ("name", "string"),
            ("location", "string"),
            ("managedBy", "string"),
            ("properties", "object"),
            ("sku", "object"),
            ("tags", "object"),
            ("zones", "array"),
        ]
        .map(|(n, d)| (n.to_string(), d.to_string()))
    );
    let views = m["views"].as_array().unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(
        (
            s(&views[0]["name"]),
            s(&views[0]["tab"]),
            s(&views[0]["reads"])
        ),
        ("vw_disks".into(), "view".into(), "disks".into())
    );
    assert_eq!(
        fields(&views[0])
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        [
            "id",
            "name",
            "location",
            "disk_size_gb",
            "disk_state",
            "sku_name",
            "subscriptionId",
            "resourceGroupName"
        ]
    );
    assert!(fields(&views[0]).iter().all(|(_, d)| d == "text"));
    // Resource tab first, double quotes, no blank line between a tab marker
    // and its table, a third tab without a table.
    let m = model("current/azure/network/public_ip_addresses");
    assert_eq!(
        fields(&m),
        [
            ("id", "string"),
            ("name", "string"),
            ("etag", "string"),
            ("properties", "object"),
            ("idleTimeoutInMinutes", "integer"),
            ("ddosProtected", "boolean"),
        ]
        .map(|(n, d)| (n.to_string(), d.to_string()))
    );
    let views = m["views"].as_array().unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(s(&views[0]["name"]), "vw_public_ip_addresses");
    assert_eq!(fields(&views[0]).len(), 5);
    let note = pages()["current/azure/network/public_ip_addresses/index.md"]
        .diagnostics
        .iter()
        .find(|d| d.kind.as_str() == "view-without-table")
        .unwrap();
    assert!(
        note.message.contains("vw_public_ip_address_history"),
        "{note}"
    );
}

/// Pages that are not quite well-formed: a Methods row broken across lines
/// is one row; a manifest that is not valid YAML (an unquoted `: ` in a
/// description) still gives its properties, with a warning naming the line.
#[test]
fn rows_broken_across_lines_and_manifests_with_unquoted_colons() {
    let m = model("current/azure/compute/disks");
    assert_eq!(
        methods(&m),
        [
            method(
                "get",
                "SELECT",
                &["diskName", "resourceGroupName", "subscriptionId"]
            ),
            method(
                "list_by_resource_group",
                "SELECT",
                &["resourceGroupName", "subscriptionId"]
            ),
            method(
                "create_or_update",
                "INSERT",
                &["diskName", "resourceGroupName", "subscriptionId"]
            ),
            method(
                "delete",
                "DELETE",
                &["diskName", "resourceGroupName", "subscriptionId"]
            ),
        ]
    );
    assert_eq!(
        s(&m["methods"][1]["description"]),
        "Lists the disks of a resource group: every disk, attached or not."
    );
    let m = model("current/google/compute/disks");
    assert_eq!(
        shape(&m, &["name"]),
        &json!({"kind": "scalar", "datatype": "string"})
    );
    assert_eq!(shape(&m, &["labels"]), &json!({"kind": "any"}));
    assert_eq!(
        shape(&m, &["sizeGb"]),
        &json!({"kind": "scalar", "datatype": "string"})
    );
    // Each mended line said at its page line: the two unquoted colons, and
    // the description line written less indented than its key.
    let page = &pages()["current/google/compute/disks/index.md"];
    let text = std::fs::read_to_string(fixtures().join(&page.source)).unwrap();
    let mut diags: Vec<_> = page.diagnostics.iter().collect();
    diags.sort_by_key(|d| d.line);
    let said: Vec<(&str, bool)> = diags
        .iter()
        .map(|d| {
            let line = text.lines().nth(d.line - 1).unwrap().trim_start();
            (line, d.message.contains("less indented"))
        })
        .collect();
    assert_eq!(said.len(), 3, "{said:?}");
    assert!(said[0].0.starts_with("description: The disk's name") && !said[0].1);
    assert_eq!(said[1], ("from 10 to 65536.", true));
    assert!(said[2].0.starts_with("description: Labels") && !said[2].1);
}

#[test]
fn method_tabbed_page_with_optional_params_and_an_mdx_manifest() {
    let m = model("current/aws/amplify/webhooks");
    // The widest tab is the resource's fields; `list_webhooks` returns its own.
    assert_eq!(
        fields(&m),
        [
            ("appId", "string"),
            ("branchName", "string"),
            ("createTime", "string (date-time)"),
            ("webhookArn", "string"),
            ("webhookId", "string"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!(m.get("views").is_none(), "no views: {}", m["views"]);
    assert_eq!(
        methods(&m),
        [
            method("list_webhooks", "SELECT", &["app_id", "region"]),
            method("get_webhook", "SELECT", &["webhook_id", "region"]),
            method(
                "create_webhook",
                "INSERT",
                &["app_id", "region", "branchName"]
            ),
            method("update_webhook", "UPDATE", &["webhook_id", "region"]),
            method("delete_webhook", "DELETE", &["webhook_id", "region"]),
        ]
    );
    let list = &m["methods"][0];
    assert_eq!(
        strings(&list["optional_params"]),
        ["nextToken", "maxResults"]
    );
    let returns: Vec<String> = list["returns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| s(&f["name"]))
        .collect();
    assert_eq!(returns, ["nextToken", "webhooks"]);
    // Absent, not empty, where the page has none (the model JSON of other pages is unchanged).
    assert!(m["methods"][1].get("returns").is_none());
    assert!(m["methods"][1].get("optional_params").is_none());
    // Each example sits in its method's tab; the manifest in `<CodeBlock language="yaml">`.
    assert_eq!(
        examples(&m),
        [
            (json!("SELECT"), json!("list_webhooks"), "sql".to_string()),
            (json!("SELECT"), json!("get_webhook"), "sql".to_string()),
            (json!("INSERT"), json!("create_webhook"), "sql".to_string()),
            (json!("INSERT"), json!("manifest"), "yaml".to_string()),
            (json!("UPDATE"), json!("update_webhook"), "sql".to_string()),
            (json!("DELETE"), json!("delete_webhook"), "sql".to_string()),
        ]
    );
    let props: Vec<String> = m["insert"]["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| s(&p["name"]))
        .collect();
    assert_eq!(props, ["app_id", "region", "branchName", "description"]);
    // The `## Parameters` table.
    let params: Vec<(String, String)> = m["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (s(&p["name"]), s(&p["datatype"])))
        .collect();
    assert_eq!(
        params,
        [
            ("app_id", "string"),
            ("region", "string"),
            ("webhook_id", "string"),
            ("maxResults", "integer"),
            ("nextToken", "string"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(
        m["params"][1]["description"],
        "AWS region (default: us-east-1)"
    );
    // Its description holds an unquoted `: ` and is written twice: read
    // quoted and once, each said at its page line (the code starts on the
    // element's own line).
    let p = &pages()["current/aws/amplify/webhooks/index.md"];
    let said: Vec<(usize, bool)> = p
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.contains("repeating")))
        .collect();
    assert_eq!(said, [(287, false), (288, true)]);
}

#[test]
fn method_tabbed_updates_lifecycle_methods_and_unquoted_placeholders() {
    let m = model("current/aws/logs/log_groups");
    // A datatype with a format in parentheses is kept as written.
    assert_eq!(m["fields"][1]["datatype"], "integer (int64)");
    // `## Lifecycle Methods` holds EXEC examples, each in its method's tab.
    let ex = examples(&m);
    assert_eq!(
        ex.last(),
        Some(&(
            json!("EXEC"),
            json!("delete_retention_policy"),
            "sql".to_string()
        ))
    );
    let replaces: Vec<Value> = ex
        .iter()
        .filter(|(v, _, _)| *v == "REPLACE")
        .map(|(_, t, _)| t.clone())
        .collect();
    assert_eq!(
        replaces,
        [
            "put_deletion_protection",
            "put_retention_policy",
            "put_retention_days",
            "untag_log_group"
        ]
        .map(Value::from)
    );
    // `value: {{ deletionProtectionEnabled }}`, unquoted: a scalar whose type
    // the manifest does not say (the Fields table does).
    assert_eq!(
        *shape(&m, &["deletionProtectionEnabled"]),
        json!({"kind": "scalar", "datatype": "undefined"})
    );
}

#[test]
fn awscc_page_schema_tables_tabbed_permissions_and_a_plain_identifier() {
    let m = model("current/awscc/logs/subscription_filters");
    // The description names another type first; the page's "For more
    // information" line names its own.
    assert_eq!(m["cloud_type"], "AWS::Logs::SubscriptionFilter");
    // `<SchemaTable fields={[...]} />`: its top-level fields, each at the
    // line of its object; children are no columns.
    assert_eq!(
        fields(&m),
        [
            ("filter_name", "string"),
            ("destination_arn", "string"),
            ("filter_pattern", "string"),
            ("log_group_name", "string"),
            ("distribution", "string"),
            ("delivery_options", "object"),
            ("apply_on_transformed_logs", "boolean"),
            ("region", "string"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let text = std::fs::read_to_string(
        fixtures().join("current/awscc/logs/subscription_filters/index.md"),
    )
    .unwrap();
    for f in m["fields"].as_array().unwrap() {
        let line = f["line"].as_u64().unwrap() as usize;
        let object = text.lines().nth(line - 1).unwrap();
        let name = text.lines().nth(line).unwrap();
        assert_eq!(object.trim(), "{", "line {line}");
        assert!(name.contains(&format!("\"{}\"", s(&f["name"]))), "{name}");
    }
    // Escapes in the JSON are read as JSON.
    assert_eq!(
        m["fields"][2]["description"],
        "Which events match, e.g. `{ $.level = \"ERROR\" }`"
    );
    // The `list` tab is the `_list_only` table its SELECT example reads.
    assert_eq!(m["views"][0]["name"], "subscription_filters_list_only");
    let view: Vec<String> = m["views"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| s(&f["name"]))
        .collect();
    assert_eq!(view, ["filter_name", "log_group_name", "region"]);
    // The Methods table's `Resource` column: kept where it is not the page's.
    let resources: Vec<(String, Value)> = m["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                s(&x["name"]),
                x.get("resource").cloned().unwrap_or(Value::Null),
            )
        })
        .collect();
    assert_eq!(
        resources,
        [
            ("create_resource".to_string(), Value::Null),
            ("delete_resource".to_string(), Value::Null),
            ("update_resource".to_string(), Value::Null),
            (
                "list_resources".to_string(),
                json!("subscription_filters_list_only")
            ),
            ("get_resource".to_string(), Value::Null),
        ]
    );
    // `Identifier = '{{ filter_name }}|{{ log_group_name }}'`.
    assert_eq!(
        m["identifier"],
        json!({"parts": ["filter_name", "log_group_name"], "line": 182, "wire": "Identifier"})
    );
    // Permissions in tabs, one code block each.
    let ops: Vec<(String, usize)> = m["permissions"]["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (s(&o["operation"]), o["actions"].as_array().unwrap().len()))
        .collect();
    assert_eq!(
        ops,
        [
            ("create", 3),
            ("read", 1),
            ("update", 3),
            ("delete", 1),
            ("list", 1)
        ]
        .map(|(o, n)| (o.to_string(), n))
    );
    // `## Additional Parameters`: optional params of the mutating methods.
    for (i, optional) in [(0, true), (1, true), (2, true), (3, false), (4, false)] {
        let got = m["methods"][i].get("optional_params").map(strings);
        let want = optional.then(|| vec!["ClientToken".to_string(), "RoleArn".to_string()]);
        assert_eq!(got, want, "{}", m["methods"][i]["name"]);
    }
    assert_eq!(
        m["params"][0]["description"],
        "Makes a request idempotent. A retry with the same token is not run twice."
    );
}

#[test]
fn a_view_page_is_read_from_its_sql_definition() {
    let m = model("current/azure/compute/vw_disk_sizes");
    // The definition's output names (aliases, else the column), in order,
    // each at its line; the first definition (SQLite) is read.
    let names: Vec<String> = fields(&m).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "name",
            "location",
            "disk_size_gb",
            "disk_state",
            "subscriptionId",
            "resourceGroupName"
        ]
    );
    let text =
        std::fs::read_to_string(fixtures().join("current/azure/compute/vw_disk_sizes/index.md"))
            .unwrap();
    for f in m["fields"].as_array().unwrap() {
        let line = text
            .lines()
            .nth(f["line"].as_u64().unwrap() as usize - 1)
            .unwrap();
        assert!(line.contains(&s(&f["name"])), "{line}");
        assert!(!line.contains("json_extract_path_text"), "{line}");
    }
    // One SELECT method taking the params its WHERE binds.
    assert_eq!(
        methods(&m),
        [method(
            "view",
            "SELECT",
            &["subscriptionId", "resourceGroupName"]
        )]
    );
}
