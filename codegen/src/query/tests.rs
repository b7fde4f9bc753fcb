//! The policy query on `specs/` and on the corpus.

use super::*;
use std::path::Path;

fn specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// The corpus's `current/aws`, or `None` (the test is skipped, as the
/// corpus tests are in a clone without it).
fn corpus_aws() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/current/aws");
    if !root.is_dir() {
        eprintln!("skipped: no corpus at {}", root.display());
        return None;
    }
    Some(root)
}

fn policy(specs: PathBuf, ops: &[&str]) -> Result<Policy, Errors> {
    PolicyQuery::new(specs).policy(ops)
}

fn actions(o: &Policy) -> Vec<String> {
    o.docs
        .iter()
        .flat_map(|d| d.actions())
        .map(str::to_string)
        .collect()
}

fn err(specs: PathBuf, ops: &[&str]) -> String {
    policy(specs, ops)
        .expect_err("expected an error")
        .to_string()
}

const IA: &str = "aws.connect.integration_associations";

#[test]
fn operation_and_method_names_give_the_same_policy() {
    let by_op = policy(specs(), &[&format!("{IA}:LIST")]).unwrap();
    let by_method = policy(specs(), &[&format!("{IA}:list_resource")]).unwrap();
    assert_eq!(by_op.docs, by_method.docs);
    assert_eq!(
        actions(&by_op),
        [
            "cloudformation:ListResources",
            "connect:ListBots",
            "connect:ListIntegrationAssociations",
            "connect:ListLambdaFunctions",
        ]
    );
    let sids: Vec<&str> = by_op.docs[0]
        .statement
        .iter()
        .map(|s| s.sid.as_str())
        .collect();
    assert_eq!(sids, ["Cloudformation", "Connect"]);
}

#[test]
fn merges_operations_without_duplicates() {
    let ops = [
        format!("{IA}:create"),
        format!("{IA}:delete"),
        format!("{IA}:read"),
    ];
    let ops: Vec<&str> = ops.iter().map(String::as_str).collect();
    let o = policy(specs(), &ops).unwrap();
    assert_eq!(o.docs.len(), 1);
    o.docs[0].validate().unwrap();
    let all = actions(&o);
    let lower: BTreeSet<String> = all.iter().map(|a| a.to_lowercase()).collect();
    assert_eq!(lower.len(), all.len());
    for a in [
        "cloudformation:CreateResource",
        "cloudformation:DeleteResource",
        "cloudformation:GetResource",
        "cloudformation:GetResourceRequestStatus",
        "lambda:AddPermission",
        "lambda:RemovePermission",
    ] {
        assert!(all.iter().any(|x| x == a), "{a} in {all:?}");
    }
    assert!(!all.iter().any(|x| x == "lambda:addPermission"));
    let o = PolicyQuery::new(specs())
        .cloud_control(false)
        .policy(&ops)
        .unwrap();
    assert!(actions(&o)
        .iter()
        .all(|a| !a.starts_with("cloudformation:")));
}

#[test]
fn unknown_names_are_errors_naming_what_exists() {
    let e = err(specs(), &[&format!("{IA}:update")]);
    assert!(e.contains("documents no permissions for Update"), "{e}");
    assert!(e.contains("Create, Read, Delete, List"), "{e}");
    let e = err(specs(), &[&format!("{IA}:frobnicate")]);
    assert!(e.contains("create_resource"), "{e}");
    assert!(e.contains("list_resource"), "{e}");
    let e = err(specs(), &["aws.connect.integration_association:list"]);
    assert!(
        e.contains("resources of `aws.connect`: integration_associations"),
        "{e}"
    );
    let e = err(specs(), &["aws.s3.buckets:list"]);
    assert!(e.contains("services of `aws`: connect"), "{e}");
    let e = err(specs(), &["gcp.s3.buckets:list"]);
    assert!(e.contains("providers: aws"), "{e}");
    for bad in ["aws.connect:list", "nocolon", "a.b.c:", ".b.c:list"] {
        let e = err(specs(), &[bad]);
        assert!(
            e.contains("expected `provider.service.resource:operation`"),
            "{e}"
        );
    }
    // Every problem is reported, usage errors first.
    let e = policy(specs(), &["x", &format!("{IA}:nope")]).unwrap_err();
    assert_eq!(e.0.len(), 1, "{e:?}");
    let two = [
        format!("{IA}:nope"),
        format!("{IA}:update"),
        format!("{IA}:list"),
    ];
    let two: Vec<&str> = two.iter().map(String::as_str).collect();
    let e = policy(specs(), &two).unwrap_err();
    assert_eq!(e.0.len(), 2, "{e:?}");
}

#[test]
fn empty_policies_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let page =
        std::fs::read_to_string(specs().join("aws/connect/integration_associations/index.md"))
            .unwrap();
    // An empty Read list: with Cloud Control off nothing is left to allow.
    let start = page.find("### Read\n```json\n").unwrap() + "### Read\n```json\n".len();
    let end = start + page[start..].find("```").unwrap();
    let edited = format!("{}{}", &page[..start], &page[end..]);
    let target = dir.path().join("aws/connect/integration_associations");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("index.md"), edited).unwrap();
    let read = [format!("{IA}:read")];
    let mut q = PolicyQuery::new(dir.path());
    let e = q.cloud_control(false).policy(&read).unwrap_err();
    assert!(
        e.to_string().contains("not printing an empty policy"),
        "{e}"
    );
    let o = q.cloud_control(true).policy(&read).unwrap();
    assert_eq!(actions(&o), ["cloudformation:GetResource"]);
    assert!(
        o.warnings
            .iter()
            .any(|w| w.to_string().contains("lists no actions for Read")),
        "{:?}",
        o.warnings
    );
}

#[test]
fn views_get_their_base_resources_permissions() {
    let Some(aws) = corpus_aws() else {
        return;
    };
    let list = policy(aws.clone(), &["aws.s3.buckets:list"]).unwrap();
    let view = policy(aws.clone(), &["aws.s3.buckets_list_only:list"]).unwrap();
    assert_eq!(list.docs, view.docs);
    let by_method = policy(aws.clone(), &["aws.s3.buckets_list_only:list_resources"]).unwrap();
    assert_eq!(by_method.docs, view.docs);
    // A tags view's SELECT lists and reads.
    let tags = policy(aws.clone(), &["aws.s3.bucket_tags:list_resources"]).unwrap();
    let both = policy(aws.clone(), &["aws.s3.buckets:list", "aws.s3.buckets:read"]).unwrap();
    assert_eq!(tags.docs, both.docs);
    let e = err(aws.clone(), &["aws.s3.buckets_list_only:create"]);
    assert!(
        e.contains("documents no permissions for Create; it documents: List"),
        "{e}"
    );
}

#[test]
fn broken_pages_and_links_are_explained() {
    let Some(aws) = corpus_aws() else {
        return;
    };
    // `s3:REST.PUT.OBJECT` is not an IAM action: the page has no policy.
    let e = err(aws.clone(), &["aws.logs.account_policies:list"]);
    assert!(e.contains("bad-action"), "{e}");
    let e = err(aws.clone(), &["aws.logs.account_policies_list_only:list"]);
    assert!(
        e.contains("documents no IAM permissions") && e.contains("permissions-link"),
        "{e}"
    );
    let e = err(aws.clone(), &["aws.s3.bucketz:list"]);
    assert!(
        e.contains("resources of `aws.s3`") && e.contains("buckets"),
        "{e}"
    );
    let e = err(aws.clone(), &["aws.s4.buckets:list"]);
    assert!(e.contains("services of `aws`: s3,"), "{e}");
}

#[test]
fn large_policies_are_split_within_the_quota() {
    let Some(aws) = corpus_aws() else {
        return;
    };
    let resources = [
        "ec2.verified_access_endpoints",
        "proton.service_templates",
        "proton.environment_templates",
        "ssmquicksetup.configuration_managers",
        "controltower.landing_zones",
        "ec2.instances",
        "iam.roles",
    ];
    let ops: Vec<String> = resources
        .iter()
        .flat_map(|r| {
            ["create", "read", "update", "delete", "list"]
                .iter()
                .map(move |op| format!("aws.{r}:{op}"))
        })
        .collect();
    let ops: Vec<&str> = ops.iter().map(String::as_str).collect();
    let managed = policy(aws.clone(), &ops).unwrap();
    assert!(
        managed.size > PolicyKind::Managed.quota(),
        "{}",
        managed.size
    );
    assert!(managed.docs.len() > 1);
    for d in &managed.docs {
        assert!(d.size() <= PolicyKind::Managed.quota());
        d.validate().unwrap();
    }
    let inline = PolicyQuery::new(aws.clone())
        .kind(PolicyKind::InlineRole)
        .policy(&ops)
        .unwrap();
    assert!(inline.size <= PolicyKind::InlineRole.quota());
    assert_eq!(inline.docs, [inline_doc_of(&managed)]);
    let mut all = actions(&managed);
    let mut all_inline = actions(&inline);
    all.sort();
    all_inline.sort();
    assert_eq!(all, all_inline);
}

/// The one document the parts of `o` come from.
fn inline_doc_of(o: &Policy) -> PolicyDocument {
    let mut b = PolicyBuilder::new();
    b.allow(o.docs.iter().flat_map(|d| d.actions()));
    b.build()
}
