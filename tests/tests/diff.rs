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

mod common;

use common::corpus;
use stackql_codegen::diff::{diff, Bump, Change, ChangeKind, Impact, ReleaseKind, SchemaDiff};
use stackql_codegen::model::{Resource, Verb};
use stackql_codegen::Config;
use std::path::Path;
use std::sync::OnceLock;

fn resources(dir: &Path) -> Vec<Resource> {
    Config::new()
        .specs(dir)
        .parse()
        .unwrap_or_else(|e| panic!("parsing {}: {e}", dir.display()))
        .into_iter()
        .filter_map(|p| p.resource)
        .collect()
}

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
    assert_eq!(s.resources_changed, 937);
    assert_eq!(s.methods_renamed, 930);
    assert_eq!(s.breaking, 1107);
    assert_eq!(s.additive, 2285);
    assert_eq!(s.policy, 1421);
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
