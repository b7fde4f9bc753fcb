//! The schema diff on two real generations of the AWS provider:
//! `aws-2024-06` (2024-06-13) against `current/aws` (2025-01-11).
//!
//! The counts below were checked by hand against the pages (e.g.
//! `connect/hours_of_operations` gains the `hours_of_operation_overrides`
//! field, its `HoursOfOperationOverrides` property and four override
//! actions; `iam/policies`, `sagemaker/model_cards`,
//! `transfer/user_public_keys` and the four `nimblestudio` resources are gone;
//! almost every Cloud Control resource renames `list_resource` to
//! `list_resources`). A parser or diff change that moves them is either a fix
//! (update the numbers, saying why) or a regression. `logs/account_policies`
//! lists a malformed action (`s3:REST.PUT.OBJECT`) in both trees: it keeps its
//! bindings (so it is on both sides, with its `list_resource` rename) and
//! loses its policy.
//!
//! The diff judges by the generated API (both trees are resolved): nested
//! manifest shapes (`connect/rules` gains `Actions.SubmitAutoEvaluationActions`),
//! Rust paths that move (`quicksight` nested types renumbered by the
//! de-duplication suffix), and `CreateProperties` required-ness as the
//! Methods table makes it (`iam/oidc_providers` lists every property in its
//! "required" tab but requires none: only `ThumbprintList` changes, it
//! becomes optional).

mod common;

use common::{corpus, resources};
use stackql_codegen::diff::{diff, Bump, Change, ChangeKind, Impact, ReleaseKind, SchemaDiff};
use stackql_codegen::model::Verb;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Parsed once for every test in this file (both trees in parallel).
fn aws() -> &'static SchemaDiff {
    static DIFF: OnceLock<SchemaDiff> = OnceLock::new();
    DIFF.get_or_init(|| {
        let root = corpus();
        let (old, new) = std::thread::scope(|s| {
            let old = s.spawn(|| resources(&root.join("aws-2024-06")));
            let new = resources(&root.join("current/aws"));
            (old.join().expect("parsing the old tree"), new)
        });
        diff(&old, &new)
    })
}

#[test]
fn counts_between_the_two_generations() {
    require_corpus!();
    let d = aws();
    let s = &d.summary;
    assert_eq!((d.old_resources, d.new_resources), (1013, 2870));
    assert_eq!(s.resources_added, 1864);
    assert_eq!(s.resources_removed, 7);
    // 7 resources more than the page-level comparison found: their only
    // changes are nested shapes, Rust renames or descriptions.
    assert_eq!(s.resources_changed, 944);
    assert_eq!(s.methods_renamed, 930);
    // The page-level 1107, plus 117 changed Rust types and 210 renamed
    // nested types, minus 47 required INSERT params that are body
    // properties (no argument changes: `CreateProperties` does, reported
    // as required-ness), plus 2 more required-ness changes, minus 41 new
    // properties the generated `CreateProperties` keeps optional. 5 of the
    // changed Rust types are `PatchProperties` fields whose type changes with
    // their property (a Rust item of its own beside `CreateProperties`').
    assert_eq!(s.breaking, 1348);
    // The page-level 2285, plus 240 nested properties and those 41.
    assert_eq!(s.additive, 2566);
    assert_eq!(s.policy, 1421);
    assert_eq!(s.docs, 422);
    let kind = |k: &str| s.by_kind.get(k).copied().unwrap_or(0);
    assert_eq!(kind("nested_property_added"), 240);
    assert_eq!(kind("nested_property_removed"), 0);
    assert_eq!(kind("type_changed"), 117);
    assert_eq!(kind("rust_renamed"), 210);
    assert_eq!(kind("signature_changed"), 0);
    assert_eq!(
        kind("required_param_added") + kind("required_param_removed"),
        0
    );
    assert_eq!(
        s.by_kind.get("field_type_changed"),
        Some(&1),
        "transfer.servers certificate: object → string"
    );
    assert_eq!(d.semver.kind, ReleaseKind::Breaking);
    assert_eq!(
        (d.semver.bump, d.semver.bump_0x),
        (Bump::Major, Bump::Minor)
    );

    let removed: Vec<&str> = d
        .resources
        .iter()
        .filter(|(_, r)| {
            r.changes
                .iter()
                .any(|c| c.kind == ChangeKind::ResourceRemoved)
        })
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(
        removed,
        [
            "aws.iam.policies",
            "aws.nimblestudio.launch_profiles",
            "aws.nimblestudio.streaming_images",
            "aws.nimblestudio.studio_components",
            "aws.nimblestudio.studios",
            "aws.sagemaker.model_cards",
            "aws.transfer.user_public_keys",
        ]
    );
}

#[test]
fn integration_associations_renames_list_resource() {
    require_corpus!();
    let r = &aws().resources["aws.connect.integration_associations"];
    // The page only renames the method (the SELECT examples change, the
    // fields, params, properties and permissions do not).
    assert_eq!(
        r.changes,
        [Change {
            impact: Impact::Breaking,
            kind: ChangeKind::MethodRenamed {
                old: "list_resource".into(),
                new: "list_resources".into(),
                verb: Verb::Select,
                required_params: vec!["region".into()],
            },
        }]
    );
    insta::assert_json_snapshot!("integration_associations_json", r);
}

#[test]
fn transfer_servers_move_to_cloud_control() {
    require_corpus!();
    // The native-API methods go; the two with a Cloud Control counterpart of
    // the same verb and params are paired as renames.
    let r = &aws().resources["aws.transfer.servers"];
    let renames: Vec<(&str, &str)> = r
        .changes
        .iter()
        .filter_map(|c| match &c.kind {
            ChangeKind::MethodRenamed { old, new, .. } => Some((old.as_str(), new.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        renames,
        [
            ("create_server", "create_resource"),
            ("list_servers", "list_resources")
        ]
    );
}

#[test]
fn connect_changelog() {
    require_corpus!();
    let connect = aws().filter_service("aws", "connect");
    assert_eq!((connect.old_resources, connect.new_resources), (22, 65));
    assert_eq!(connect.summary.methods_renamed, 21);
    insta::assert_snapshot!("connect_markdown", connect.to_markdown());
}

#[test]
fn connect_rules_reports_the_nested_property() {
    require_corpus!();
    // cargo-semver-checks flags `Actions.submit_auto_evaluation_actions`;
    // with `#[non_exhaustive]` generated types it is a minor change.
    let r = &aws().resources["aws.connect.rules"];
    let nested: Vec<&Change> = r
        .changes
        .iter()
        .filter(|c| c.kind.name() == "nested_property_added")
        .collect();
    assert_eq!(
        nested,
        [&Change {
            impact: Impact::Additive,
            kind: ChangeKind::NestedPropertyAdded {
                path: "Actions.SubmitAutoEvaluationActions".into(),
                rust: "aws::connect::rules::Actions::submit_auto_evaluation_actions".into(),
            },
        }]
    );
}

#[test]
fn quicksight_nested_types_renumbered_are_renames() {
    require_corpus!();
    let d = aws();
    let renames: BTreeMap<&str, usize> = d
        .resources
        .iter()
        .map(|(id, r)| {
            let n = r
                .changes
                .iter()
                .filter(|c| c.kind.name() == "rust_renamed")
                .count();
            (id.as_str(), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(
        renames,
        BTreeMap::from([
            ("aws.quicksight.analyses", 69),
            ("aws.quicksight.dashboards", 69),
            ("aws.quicksight.data_sets", 2),
            ("aws.quicksight.templates", 69),
            ("aws.sagemaker.model_packages", 1),
        ])
    );
    // A new `AdditionalInferenceSpecifications.Containers.ModelDataSource`
    // with an `S3DataSource` of another shape is named first: the existing
    // one (under `ValidationSpecification`) becomes `S3DataSource2`.
    let r = &d.resources["aws.sagemaker.model_packages"];
    assert!(r.changes.contains(&Change {
        impact: Impact::Breaking,
        kind: ChangeKind::RustRenamed {
            item: stackql_codegen::diff::RustItem::Type,
            path: "ValidationSpecification.ValidationProfiles.TransformJobDefinition.TransformInput.DataSource.S3DataSource".into(),
            old: "aws::sagemaker::model_packages::S3DataSource".into(),
            new: "aws::sagemaker::model_packages::S3DataSource2".into(),
        },
    }));
}

/// The API changes of one service: every change but new resources, method
/// renames, permissions and descriptions, as `impact resource: change`.
fn api_changes(service: &str) -> Vec<String> {
    let d = aws().filter_service("aws", service);
    d.resources
        .values()
        .flat_map(|r| {
            r.changes
                .iter()
                .filter(|c| {
                    !matches!(
                        c.kind,
                        ChangeKind::ResourceAdded
                            | ChangeKind::MethodRenamed { .. }
                            | ChangeKind::PermissionAdded { .. }
                            | ChangeKind::PermissionRemoved { .. }
                            | ChangeKind::DocsChanged { .. }
                    )
                })
                .map(move |c| {
                    format!(
                        "{} {}: {}",
                        c.impact.as_str(),
                        r.resource,
                        c.kind.describe()
                    )
                })
        })
        .collect()
}

#[test]
fn connect_s3_lambda_iam_api_changes() {
    require_corpus!();
    // The slices cargo-semver-checks was run on. Fields and properties
    // added are minor; what it reports as `constructible_struct_adds_field`
    // is here as `field_added`/`property_added`/`nested_property_added`.
    assert_eq!(
        api_changes("connect"),
        [
            "additive hours_of_operations: new field `hours_of_operation_overrides` (`array`)",
            "additive hours_of_operations: new optional property `HoursOfOperationOverrides`",
            "additive queues: new field `outbound_email_config` (`object`)",
            "additive queues: new optional property `OutboundEmailConfig`",
            "additive rules: new property `Actions.SubmitAutoEvaluationActions` \
             (`aws::connect::rules::Actions::submit_auto_evaluation_actions`)",
            "additive task_templates: new field `self_assign_contact_flow_arn` (`string`)",
            "additive task_templates: new optional property `SelfAssignContactFlowArn`",
        ]
    );
    assert_eq!(
        api_changes("s3"),
        ["additive buckets: new property `LifecycleConfiguration.TransitionDefaultMinimumObjectSize` \
          (`aws::s3::buckets::LifecycleConfiguration::transition_default_minimum_object_size`)"]
    );
    let lambda = api_changes("lambda");
    assert_eq!(lambda.len(), 16, "{lambda:#?}");
    assert!(lambda.contains(
        &"additive functions: new property `Code.SourceKMSKeyArn` \
          (`aws::lambda::functions::Code::source_kms_key_arn`)"
            .to_string()
    ));
    assert_eq!(
        lambda
            .iter()
            .filter(|c| c.starts_with("breaking"))
            .collect::<Vec<_>>(),
        [
            "breaking versions: field `policy` (`object`) removed",
            "breaking versions: optional property `Policy` removed",
        ]
    );
    assert_eq!(
        api_changes("iam"),
        [
            "breaking group_policies: method `get` (SELECT) removed",
            "breaking oidc_providers: property `ThumbprintList` is now optional",
            "breaking policies: resource removed",
            "breaking role_policies: method `get` (SELECT) removed",
            "breaking user_policies: method `get` (SELECT) removed",
        ]
    );
    for service in ["connect", "s3", "lambda", "iam"] {
        let d = aws().filter_service("aws", service);
        // Every service renames `list_resource`: a major release.
        assert_eq!(d.semver.bump, Bump::Major, "{service}");
        assert!(d.summary.methods_renamed > 0, "{service}");
    }
}
