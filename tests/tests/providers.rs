//! The typed API generated at build time (tests/build.rs) from the fixture
//! pages (`tests/fixtures/`): nested properties, every verb, each page
//! format, re-read by a SQL parser where it is SQL.

mod common;

use stackql_tests::current::aws::s3::buckets;
use stackql_tests::current::google::compute::instances;
use stackql_tests::current::runtime::{PatchOperation, RequiresActions, Statement};

#[test]
fn bucket_with_nested_encryption() {
    // Generated types are `#[non_exhaustive]`: built with `new` (the
    // required values) and one `with_*` setter per optional field.
    let props = buckets::CreateProperties::new("my-bucket").with_bucket_encryption(
        buckets::BucketEncryption::new().with_server_side_encryption_configuration([
            buckets::ServerSideEncryptionConfiguration::new()
                .with_server_side_encryption_by_default(
                    buckets::ServerSideEncryptionByDefault::new()
                        .with_sse_algorithm("aws:kms")
                        .with_kms_master_key_id("key-'1"),
                ),
        ]),
    );
    let stmt = buckets::create_resource(&props, "us-east-1");
    let p = common::parse(&stmt.to_sql());
    assert_eq!(p.table, "aws.s3.buckets");
    assert_eq!(p.columns, ["BucketEncryption", "BucketName", "region"]);
    let json: serde_json::Value = serde_json::from_str(&p.values[0]).unwrap();
    assert_eq!(
        json["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
            ["KMSMasterKeyID"],
        "key-'1"
    );
    assert_eq!(p.values[1..], ["my-bucket", "us-east-1"]);
    assert!(stmt
        .required_actions()
        .contains(&"cloudformation:CreateResource"));
}

#[test]
fn bucket_update_renders_a_json_patch() {
    let id = buckets::Identifier::new("my-bucket");
    let patch = [PatchOperation::replace(
        "/VersioningConfiguration",
        serde_json::json!({"Status": "Enabled"}),
    )];
    let p = common::parse(&buckets::update_resource(&id, &patch, "us-east-1").to_sql());
    assert_eq!(p.kind, "UPDATE");
    assert_eq!(p.columns, ["data__PatchDocument"]);
    assert_eq!(p.wrappers, [Some("string".to_string())]);
    let doc: serde_json::Value = serde_json::from_str(&p.values[0]).unwrap();
    assert_eq!(doc[0]["op"], "replace");
    assert_eq!(doc[0]["value"]["Status"], "Enabled");
    assert_eq!(
        p.predicates,
        [
            ("data__Identifier".to_string(), "my-bucket".to_string()),
            ("region".into(), "us-east-1".into())
        ]
    );
}

/// The JSON Patch document of a parsed `UPDATE ... SET data__PatchDocument
/// = string('...')`, decoded.
fn patch_document(p: &common::Parsed) -> serde_json::Value {
    assert_eq!(p.kind, "UPDATE");
    assert_eq!(p.columns, ["data__PatchDocument"]);
    assert_eq!(p.wrappers, [Some("string".to_string())]);
    serde_json::from_str(&p.values[0]).expect("the patch document is JSON")
}

#[test]
fn typed_bucket_update_changes_only_versioning() {
    let id = buckets::Identifier::new("my-bucket");
    let change = buckets::PatchProperties::new().with_versioning_configuration(
        buckets::VersioningConfiguration::new().with_status("Suspended"),
    );
    let stmt = buckets::update_resource_typed(&id, &change, "us-east-1");
    assert_eq!(
        stmt.to_sql(),
        r#"UPDATE aws.s3.buckets SET data__PatchDocument = string('[{"op":"replace","path":"/VersioningConfiguration","value":{"Status":"Suspended"}}]') WHERE data__Identifier = 'my-bucket' AND region = 'us-east-1';"#
    );
    let p = common::parse(&stmt.to_sql());
    assert_eq!(p.table, "aws.s3.buckets");
    assert_eq!(
        patch_document(&p),
        serde_json::json!([{
            "op": "replace",
            "path": "/VersioningConfiguration",
            "value": {"Status": "Suspended"}
        }])
    );
    assert_eq!(
        p.predicates,
        [
            ("data__Identifier".to_string(), "my-bucket".to_string()),
            ("region".into(), "us-east-1".into())
        ]
    );
    // The same statement as the raw escape hatch, needing the same actions.
    let raw = [PatchOperation::replace(
        "/VersioningConfiguration",
        serde_json::json!({"Status": "Suspended"}),
    )];
    let raw = buckets::update_resource(&id, &raw, "us-east-1");
    assert_eq!(raw.to_sql(), stmt.to_sql());
    assert_eq!(raw.required_actions(), stmt.required_actions());
    assert!(stmt.required_actions().contains(&"s3:PutBucketVersioning"));
}

#[test]
fn typed_bucket_update_removes_and_follows_page_order() {
    let id = buckets::Identifier::new("my-bucket");
    // Chosen in another order than the page lists the properties.
    let change = buckets::PatchProperties::new()
        .with_versioning_configuration(
            buckets::VersioningConfiguration::new().with_status("Enabled"),
        )
        .remove_tags()
        .with_object_lock_enabled(true);
    let p = common::parse(&buckets::update_resource_typed(&id, &change, "eu-west-1").to_sql());
    let doc = patch_document(&p);
    let ops: Vec<(&str, &str)> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["op"].as_str().unwrap(), o["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ops,
        [
            ("replace", "/ObjectLockEnabled"),
            ("remove", "/Tags"),
            ("replace", "/VersioningConfiguration"),
        ]
    );
    assert_eq!(doc[0]["value"], true);
    assert_eq!(doc[1], serde_json::json!({"op": "remove", "path": "/Tags"}));
    // The last choice for a field wins.
    let again = change
        .clone()
        .with_tags([buckets::Tag::new().with_key("k")]);
    let doc = patch_document(&common::parse(
        &buckets::update_resource_typed(&id, &again, "eu-west-1").to_sql(),
    ));
    assert_eq!(doc[1]["op"], "replace");
    assert_eq!(doc[1]["value"], serde_json::json!([{"Key": "k"}]));
}

#[test]
fn typed_bucket_update_keeps_hostile_values_inside_the_literal() {
    let hostile = r#"x') WHERE 1=1; DROP TABLE t; -- \' " \u0000 ~1/"#;
    let id = buckets::Identifier::new("b'; --");
    let change = buckets::PatchProperties::new()
        .with_tags([buckets::Tag::new().with_key(hostile).with_value("v'")]);
    let p = common::parse(&buckets::update_resource_typed(&id, &change, "us-east-1").to_sql());
    let doc = patch_document(&p);
    assert_eq!(doc[0]["path"], "/Tags");
    assert_eq!(doc[0]["value"][0]["Key"], hostile);
    assert_eq!(doc[0]["value"][0]["Value"], "v'");
    assert_eq!(p.predicates[0].1, "b'; --");
}

#[test]
fn instance_insert_with_nested_properties() {
    let props = instances::CreateProperties::default()
        .with_name_pattern("vm-####")
        .with_instance_properties(
            instances::InstanceProperties::new().with_machine_type("e2-small"),
        );
    let p = common::parse(&instances::insert(&props, "my-project", "us-central1-a").to_sql());
    assert_eq!(p.table, "google.compute.instances");
    assert_eq!(
        p.columns,
        ["project", "zone", "namePattern", "instanceProperties"]
    );
    assert_eq!(p.values[..3], ["my-project", "us-central1-a", "vm-####"]);
    let inner: serde_json::Value = serde_json::from_str(&p.values[3]).unwrap();
    assert_eq!(inner["machineType"], "e2-small");
}

#[test]
fn instance_select_replace_delete_and_exec() {
    let get = instances::get("vm-1", "proj", "zone-a");
    let p = common::parse(&get.to_sql());
    assert_eq!(p.kind, "SELECT");
    assert_eq!(
        p.predicates,
        [
            ("instance".to_string(), "vm-1".to_string()),
            ("project".into(), "proj".into()),
            ("zone".into(), "zone-a".into())
        ]
    );
    let props = instances::ReplaceProperties::new().with_description("it's mine");
    assert_eq!(
        instances::update(&props, "vm-1", "proj", "zone-a").to_sql(),
        "REPLACE google.compute.instances SET description = 'it''s mine' WHERE instance = 'vm-1' AND project = 'proj' AND zone = 'zone-a';"
    );
    let p = common::parse(&instances::delete("vm-1", "proj", "zone-a").to_sql());
    assert_eq!(p.kind, "DELETE");
    let exec = instances::start("vm-1", "proj", "zone-a").body(&serde_json::json!({"k": "v"}));
    assert_eq!(
        exec.to_sql(),
        "EXEC google.compute.instances.start @instance = 'vm-1', @project = 'proj', @zone = 'zone-a', @@json = '{\"k\":\"v\"}';"
    );
    assert!(
        exec.required_actions().is_empty(),
        "Google pages document no IAM actions"
    );
}

#[test]
fn list_only_and_tags_views_inherit_base_permissions() {
    use stackql_tests::current::aws::s3::{bucket_tags, buckets_list_only};
    let list = buckets_list_only::list_resources("us-east-1").required_actions();
    for a in buckets::permissions::LIST {
        assert!(list.contains(a), "{a}");
    }
    assert!(list.contains(&"cloudformation:ListResources"));
    let tags = bucket_tags::list_resources("us-east-1").required_actions();
    for a in buckets::permissions::LIST
        .iter()
        .chain(buckets::permissions::READ)
    {
        assert!(tags.contains(a), "{a}");
    }
    assert!(tags.contains(&"cloudformation:GetResource"));
}

#[test]
fn older_generation_prose_methods_become_select_bindings() {
    use stackql_tests::aws_2023_11::aws::connect::approved_origin;
    // Each generated tree carries its own runtime.
    use stackql_tests::aws_2023_11::runtime::Statement as _;
    let sql = approved_origin::select(
        "us-east-1",
        &approved_origin::Identifier::new("i-1", "https://x"),
    )
    .to_sql();
    let p = common::parse(&sql);
    assert_eq!(p.table, "aws.connect.approved_origin");
    assert_eq!(
        p.predicates[0],
        ("region".to_string(), "us-east-1".to_string())
    );
}

#[test]
fn bucket_rows_and_properties_round_trip_through_serde() {
    // A row as StackQL returns it: snake_case columns, nested objects with
    // the provider's PascalCase property names, unknown columns ignored.
    let row: buckets::Bucket = serde_json::from_str(
        r#"{"bucket_name": "b", "region": "us-east-1", "not_a_column": 1,
            "bucket_encryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}}"#,
    )
    .unwrap();
    assert_eq!(row.bucket_name.as_deref(), Some("b"));
    let by_default = row
        .bucket_encryption
        .as_ref()
        .unwrap()
        .server_side_encryption_configuration
        .as_ref()
        .unwrap()[0]
        .server_side_encryption_by_default
        .as_ref()
        .unwrap();
    assert_eq!(by_default.sse_algorithm.as_deref(), Some("aws:kms"));
    assert_eq!(by_default.kms_master_key_id, None);
    let back: buckets::Bucket =
        serde_json::from_str(&serde_json::to_string(&row).unwrap()).unwrap();
    assert_eq!(back, row);

    // Properties: wire names, unset optional ones left out, a missing
    // required one named in the error.
    let props = buckets::CreateProperties::new("my-bucket");
    assert_eq!(
        serde_json::to_value(&props).unwrap(),
        serde_json::json!({"BucketName": "my-bucket"})
    );
    let err = serde_json::from_str::<buckets::CreateProperties>("{}").unwrap_err();
    assert!(err.to_string().contains("`BucketName`"), "{err}");
}

#[test]
fn update_and_replace_on_one_page() {
    use stackql_tests::current::google::iam::service_accounts as sa;
    let props = sa::UpdateProperties::new()
        .with_service_account(sa::ServiceAccount2::new().with_display_name("Build bot"))
        .with_update_mask("displayName");
    let p = common::parse(&sa::patch(&props, "proj", "bot@proj").to_sql());
    assert_eq!(p.kind, "UPDATE");
    assert_eq!(p.table, "google.iam.service_accounts");
    assert_eq!(p.columns, ["serviceAccount", "updateMask"]);
    let inner: serde_json::Value = serde_json::from_str(&p.values[0]).unwrap();
    assert_eq!(inner, serde_json::json!({"displayName": "Build bot"}));
    assert_eq!(
        p.predicates,
        [
            ("projectsId".to_string(), "proj".to_string()),
            ("serviceAccountsId".into(), "bot@proj".into())
        ]
    );
    let replace = sa::ReplaceProperties::new().with_description("ci");
    assert_eq!(
        sa::update(&replace, "proj", "bot@proj").to_sql(),
        "REPLACE google.iam.service_accounts SET description = 'ci' WHERE projectsId = 'proj' AND serviceAccountsId = 'bot@proj';"
    );
}

#[test]
fn data_prefixed_insert_columns_and_a_select_without_params() {
    use stackql_tests::current::digitalocean::volumes::snapshots;
    // Required `data__` params are required properties, and `data__region`
    // is a property (on AWS pages `region` is a param).
    let props =
        snapshots::CreateProperties::new("snap-1", "nyc1").with_tags(["nightly".to_string()]);
    let p = common::parse(&snapshots::volume_snapshots_create(&props).to_sql());
    assert_eq!(p.table, "digitalocean.volumes.snapshots");
    assert_eq!(p.columns, ["data__name", "data__tags", "data__region"]);
    assert_eq!(p.values[0], "snap-1");
    assert_eq!(p.values[2], "nyc1");
    let tags: serde_json::Value = serde_json::from_str(&p.values[1]).unwrap();
    assert_eq!(tags, serde_json::json!(["nightly"]));
    let p = common::parse(&snapshots::volume_snapshots_list_all().to_sql());
    assert_eq!(p.columns, ["column_anon"]);
    assert!(p.predicates.is_empty());
}

#[test]
fn resources_that_cannot_be_selected_keep_their_methods() {
    use stackql_tests::aws_2023_11::aws::ec2::instance_monitoring;
    use stackql_tests::aws_2024_06::aws::transfer::ssh_keys;
    // Params that are `data__` columns are columns of the INSERT.
    let p = common::parse(
        &ssh_keys::import_ssh_key("s-1", "ssh-ed25519 AAAA", "alice", "us-east-1").to_sql(),
    );
    assert_eq!(p.table, "aws.transfer.ssh_keys");
    assert_eq!(
        p.columns,
        [
            "data__ServerId",
            "data__SshPublicKeyBody",
            "data__UserName",
            "region"
        ]
    );
    assert_eq!(p.values, ["s-1", "ssh-ed25519 AAAA", "alice", "us-east-1"]);
    // The method keeps its name as the page writes it.
    assert_eq!(
        instance_monitoring::instance_monitoring_enable("i-1", "us-east-1").to_sql(),
        "EXEC aws.ec2.instance_monitoring.instance_monitoring_Enable @InstanceId = 'i-1', @region = 'us-east-1';"
    );
}

#[test]
fn a_view_without_methods_still_reads_its_rows() {
    use stackql_tests::current::github::activity::stargazer_times;
    // Its `view` method selects its fields; the params its page does not
    // give are added by name.
    let select = stargazer_times::view()
        .param("owner", "octo")
        .param("repo", "hello");
    let p = common::parse(&select.to_sql());
    assert_eq!(p.table, "github.activity.stargazer_times");
    assert_eq!(p.columns.len(), 6);
    assert_eq!(
        p.predicates,
        [
            ("owner".to_string(), "octo".to_string()),
            ("repo".to_string(), "hello".to_string())
        ]
    );
    let row: stargazer_times::StargazerTime =
        serde_json::from_str(r#"{"login": "octo", "type": "User", "starred_at": "2024-05-01"}"#)
            .unwrap();
    assert_eq!(row.r#type, Some(serde_json::json!("User")));
    assert_eq!(row.login, Some(serde_json::json!("octo")));
    assert_eq!(row.id, None);
}

/// A page documenting a view beside its resource: each table has its own
/// row type and SELECT functions, and each statement names only columns of
/// the table in its FROM.
#[test]
fn views_select_their_own_columns_from_their_own_table() {
    use stackql_tests::current::azure::compute::disks;
    use stackql_tests::current::azure::network::public_ip_addresses as ips;
    // The columns of each table, as the parser reads the fixture page.
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/current");
    let pages = stackql_codegen::Config::new()
        .specs(&specs)
        .only(["azure/compute/disks/"])
        .parse()
        .unwrap();
    let r = pages[0].resource.as_ref().unwrap();
    let names = |f: &[stackql_codegen::model::Field]| -> Vec<String> {
        f.iter().map(|f| f.name.clone()).collect()
    };
    let (own, view) = (names(&r.fields), names(&r.views[0].fields));
    assert!(own.contains(&"managedBy".to_string()) && view.contains(&"sku_name".to_string()));
    let cases: Vec<(String, &str, &[String])> = vec![
        (
            disks::list_by_resource_group("rg", "sub").to_sql(),
            "azure.compute.disks",
            &own,
        ),
        (
            disks::get("d", "rg", "sub").to_sql(),
            "azure.compute.disks",
            &own,
        ),
        (
            disks::vw_disks::list_by_resource_group("rg", "sub").to_sql(),
            disks::vw_disks::TABLE,
            &view,
        ),
        (
            disks::vw_disks::get("d", "rg", "sub").to_sql(),
            "azure.compute.vw_disks",
            &view,
        ),
    ];
    for (sql, table, columns) in cases {
        let p = common::parse(&sql);
        assert_eq!(p.table, table, "{sql}");
        assert!(p.columns.iter().all(|c| columns.contains(c)), "{sql}");
        assert!(
            p.predicates
                .contains(&("subscriptionId".into(), "sub".into())),
            "{sql}"
        );
    }
    // The view's columns are its own, typed as the view's tab says.
    let row = disks::vw_disks::VwDisk::new().with_disk_size_gb("128");
    let resource_row = disks::Disk::new()
        .with_properties(serde_json::json!({"diskSizeGB": 128}))
        .with_zones(vec![serde_json::json!("1")]);
    assert_eq!(serde_json::to_value(&row).unwrap()["disk_size_gb"], "128");
    assert_eq!(
        serde_json::to_value(&resource_row).unwrap()["properties"]["diskSizeGB"],
        128
    );
    // The view reads through the resource's method.
    let v = disks::vw_disks::get("d", "rg", "sub");
    assert_eq!(v.method().resource, disks::ID);
    let p = common::parse(&ips::vw_public_ip_addresses::list_all("sub").to_sql());
    assert_eq!(p.table, "azure.network.vw_public_ip_addresses");
    assert_eq!(
        p.columns,
        ["id", "name", "ip_address", "public_ip_allocation_method"]
    );
    let p = common::parse(&ips::list_all("sub").to_sql());
    assert_eq!(p.table, "azure.network.public_ip_addresses");
    assert_eq!(p.columns, ["id", "name", "etag", "properties"]);
}

#[test]
fn each_select_reads_the_columns_its_own_tab_shows() {
    use stackql_tests::current::aws::amplify::webhooks;
    // `list_webhooks` returns a page (its own row type), `get_webhook` one
    // webhook (the resource's row type): each selects its tab's columns.
    let list: stackql_tests::current::runtime::Select<webhooks::ListWebhooksRow> =
        webhooks::list_webhooks("app-1", "us-east-1");
    let p = common::parse(&list.to_sql());
    assert_eq!(p.table, "aws.amplify.webhooks");
    assert_eq!(p.columns, ["nextToken", "webhooks"]);
    assert_eq!(
        p.predicates,
        [
            ("app_id".to_string(), "app-1".to_string()),
            ("region".to_string(), "us-east-1".to_string())
        ]
    );
    let page = webhooks::ListWebhooksRow::new()
        .with_next_token("t-2")
        .with_webhooks([serde_json::json!({ "webhookId": "w-1" })]);
    let back: webhooks::ListWebhooksRow =
        serde_json::from_value(serde_json::to_value(&page).unwrap()).unwrap();
    assert_eq!(back, page);

    let get: stackql_tests::current::runtime::Select<webhooks::Webhook> =
        webhooks::get_webhook("w-1", "us-east-1");
    let p = common::parse(&get.to_sql());
    assert_eq!(
        p.columns,
        [
            "appId",
            "branchName",
            "createTime",
            "webhookArn",
            "webhookId"
        ]
    );
    // The manifest in an MDX `<CodeBlock>` gives the create properties;
    // the Methods table makes `branchName` required.
    let props = webhooks::CreateProperties::new("main", "app-1").with_description("on push");
    let p = common::parse(&webhooks::create_webhook(&props, "us-east-1").to_sql());
    assert_eq!(p.table, "aws.amplify.webhooks");
    // In the page's INSERT column order.
    assert_eq!(p.columns, ["branchName", "description", "app_id", "region"]);
    assert_eq!(p.values, ["main", "on push", "app-1", "us-east-1"]);
}

#[test]
fn optional_params_are_added_quoted_as_every_value() {
    use stackql_tests::current::aws::amplify::webhooks;
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    for h in [
        "t'2",
        "x'; DROP TABLE t; --",
        "a\\' OR 1=1 -- ",
        "line\nbreak",
        "''",
    ] {
        // A page token on the list, after its required params.
        let list = webhooks::list_webhooks("app", "us-east-1")
            .param("nextToken", h)
            .param("maxResults", "10");
        let p = common::parse(&list.to_sql());
        assert_eq!(
            p.predicates,
            [
                pair("app_id", "app"),
                pair("region", "us-east-1"),
                pair("nextToken", h),
                pair("maxResults", "10")
            ]
        );
        assert_eq!(p.columns, ["nextToken", "webhooks"]);
        // A name that is no plain identifier is quoted as one.
        let delete = webhooks::delete_webhook("w-1", "us-east-1").param("x-amz-expected-owner", h);
        let p = common::parse(&delete.to_sql());
        assert_eq!(p.predicates[2], pair("x-amz-expected-owner", h));
        let update = webhooks::update_webhook(
            &webhooks::UpdateProperties::new().with_description("d"),
            "w-1",
            "us-east-1",
        )
        .param("ifMatch", h);
        let p = common::parse(&update.to_sql());
        assert_eq!(p.predicates.last(), Some(&pair("ifMatch", h)));
        assert_eq!(p.values, ["d"]);
        // On an INSERT, a column of its own.
        let props = webhooks::CreateProperties::new("main", "app");
        let insert = webhooks::create_webhook(&props, "us-east-1").param("createMode", h);
        let p = common::parse(&insert.to_sql());
        assert_eq!(p.columns.last().map(String::as_str), Some("createMode"));
        assert_eq!(p.values.last().map(String::as_str), Some(h));
    }
}

#[test]
fn optional_params_typed_by_their_parameters_table() {
    use stackql_tests::current::aws::amplify::webhooks;
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    // `maxResults` is an integer on the page's `## Parameters` table.
    let options = webhooks::ListWebhooksOptions::new()
        .with_next_token("t'2")
        .with_max_results(10);
    let list = webhooks::list_webhooks("app", "us-east-1").params(&options);
    let p = common::parse(&list.to_sql());
    assert_eq!(
        p.predicates,
        [
            pair("app_id", "app"),
            pair("region", "us-east-1"),
            pair("nextToken", "t'2"),
            pair("maxResults", "10")
        ]
    );
    // The same as the untyped form; unset fields send nothing.
    assert_eq!(
        list.to_sql(),
        webhooks::list_webhooks("app", "us-east-1")
            .param("nextToken", "t'2")
            .param("maxResults", "10")
            .to_sql()
    );
    let first = webhooks::list_webhooks("app", "us-east-1")
        .params(&webhooks::ListWebhooksOptions::new().with_max_results(5));
    assert_eq!(common::parse(&first.to_sql()).predicates.len(), 3);
}

#[test]
fn each_replace_method_sets_the_properties_its_own_example_sets() {
    use stackql_tests::current::aws::logs::log_groups;
    // A struct per method, named by it; two methods setting the same
    // columns share one; one setting nothing takes a raw map.
    let on =
        log_groups::PutDeletionProtectionProperties::new().with_deletion_protection_enabled(true);
    assert_eq!(
        log_groups::put_deletion_protection(&on, "us-east-1", "g-1").to_sql(),
        "REPLACE aws.logs.log_groups SET deletionProtectionEnabled = true WHERE region = 'us-east-1' AND logGroupIdentifier = 'g-1';"
    );
    let week = log_groups::PutRetentionPolicyProperties::new().with_retention_in_days(7);
    assert_eq!(
        log_groups::put_retention_policy(&week, "us-east-1", "g-1").to_sql(),
        "REPLACE aws.logs.log_groups SET retentionInDays = 7 WHERE region = 'us-east-1' AND logGroupName = 'g-1';"
    );
    let days: fn(
        &log_groups::PutRetentionPolicyProperties,
        &str,
        &str,
    ) -> stackql_tests::current::runtime::Update = log_groups::put_retention_days;
    assert_eq!(
        days(&week, "us-east-1", "g-1").to_sql(),
        "REPLACE aws.logs.log_groups SET retentionInDays = 7 WHERE region = 'us-east-1' AND logGroupName = 'g-1';"
    );
    let nothing = serde_json::Map::new();
    assert!(log_groups::untag_log_group(&nothing, "us-east-1", "g-1")
        .incomplete()
        .is_some());
    // Typed from the Fields table: `integer (int64)` and `boolean`.
    let row = log_groups::LogGroup::new()
        .with_creation_time(1_700_000_000_000_i64)
        .with_deletion_protection_enabled(false);
    assert_eq!(row.creation_time, Some(1_700_000_000_000));
    let props = log_groups::CreateProperties::new("g-1").with_deletion_protection_enabled(true);
    let p = common::parse(&log_groups::create_log_group("us-east-1", &props).to_sql());
    assert_eq!(
        p.columns,
        ["logGroupName", "deletionProtectionEnabled", "region"]
    );
    // The EXEC takes the body its example shows.
    let exec = log_groups::delete_retention_policy("us-east-1")
        .body(&serde_json::json!({"logGroupName": "g-1"}));
    assert_eq!(
        exec.to_sql(),
        "EXEC aws.logs.log_groups.delete_retention_policy @region = 'us-east-1', @@json = '{\"logGroupName\":\"g-1\"}';"
    );
}

#[test]
fn awscc_statements_name_the_identifier_and_patch_document_as_its_pages_do() {
    use stackql_tests::current::awscc::logs::subscription_filters as sf;
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    let id = sf::Identifier::new("errors", "/app/web");
    assert_eq!(id.to_string(), "errors|/app/web");
    let p = common::parse(&sf::get_resource(&id, "us-east-1").to_sql());
    assert_eq!(p.table, "awscc.logs.subscription_filters");
    assert_eq!(
        p.predicates,
        [
            pair("region", "us-east-1"),
            pair("Identifier", "errors|/app/web")
        ]
    );
    // The list reads the `_list_only` table the Methods table names, with
    // that table's columns; the resource's module has no list of its own.
    let p =
        common::parse(&sf::subscription_filters_list_only::list_resources("us-east-1").to_sql());
    assert_eq!(p.table, "awscc.logs.subscription_filters_list_only");
    assert_eq!(p.columns, ["region", "filter_name", "log_group_name"]);
    // INSERT columns are the page's (`DestinationArn`), though its manifest
    // snake-cases them; nested objects, whose sent names the page does not
    // give, are JSON values.
    let props =
        sf::CreateProperties::new("arn:aws:lambda:us-east-1:1:function:f", "ERROR", "/app/web")
            .with_delivery_options(serde_json::json!({"BatchSize": 10}))
            .with_apply_on_transformed_logs(true);
    let insert = sf::create_resource(&props, "us-east-1").param("ClientToken", "t'1");
    let p = common::parse(&insert.to_sql());
    assert_eq!(
        p.columns,
        [
            "DestinationArn",
            "FilterPattern",
            "LogGroupName",
            "DeliveryOptions",
            "ApplyOnTransformedLogs",
            "region",
            "ClientToken"
        ]
    );
    assert_eq!(p.values.last().map(String::as_str), Some("t'1"));
    // `SET PatchDocument = string('...')`, paths from the page's UPDATE.
    let change = sf::PatchProperties::new().with_filter_pattern("WARN");
    let p = common::parse(&sf::update_resource_typed(&id, &change, "us-east-1").to_sql());
    assert_eq!(p.kind, "UPDATE");
    assert_eq!(p.columns, ["PatchDocument"]);
    assert_eq!(p.wrappers, [Some("string".to_string())]);
    let doc: serde_json::Value = serde_json::from_str(&p.values[0]).unwrap();
    assert_eq!(
        doc,
        serde_json::json!([{"op": "replace", "path": "/FilterPattern", "value": "WARN"}])
    );
    assert_eq!(
        p.predicates,
        [
            pair("Identifier", "errors|/app/web"),
            pair("region", "us-east-1")
        ]
    );
    // `## Additional Parameters`, typed: one struct for the three methods
    // that take the same.
    let token = sf::CreateResourceOptions::new().with_client_token("t'1");
    let p = common::parse(
        &sf::delete_resource(&id, "us-east-1")
            .params(&token)
            .to_sql(),
    );
    assert_eq!(
        p.predicates,
        [
            pair("Identifier", "errors|/app/web"),
            pair("region", "us-east-1"),
            pair("ClientToken", "t'1")
        ]
    );
    // Policies from the tabbed lists, with the Cloud Control actions.
    let create = sf::create_resource(&props, "us-east-1").required_actions();
    for a in sf::permissions::CREATE {
        assert!(create.contains(a), "{a}");
    }
    assert!(create.contains(&"cloudformation:CreateResource"));
    let list = sf::subscription_filters_list_only::list_resources("us-east-1").required_actions();
    assert!(list.contains(&"logs:DescribeSubscriptionFilters"));
    assert!(list.contains(&"cloudformation:ListResources"));
    let get = sf::get_resource(&id, "us-east-1").required_actions();
    assert!(get.contains(&"cloudformation:GetResource"));
}

#[test]
fn a_view_defined_by_sql_selects_its_columns_with_its_params() {
    use stackql_tests::current::azure::compute::vw_disk_sizes;
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    let p = common::parse(&vw_disk_sizes::view("sub-1", "rg'1").to_sql());
    assert_eq!(p.table, "azure.compute.vw_disk_sizes");
    assert_eq!(
        p.columns,
        [
            "name",
            "location",
            "disk_size_gb",
            "disk_state",
            "subscriptionId",
            "resourceGroupName"
        ]
    );
    assert_eq!(
        p.predicates,
        [
            pair("subscriptionId", "sub-1"),
            pair("resourceGroupName", "rg'1")
        ]
    );
    // Types the page does not give are JSON values.
    let row: vw_disk_sizes::VwDiskSize =
        serde_json::from_value(serde_json::json!({"disk_size_gb": 128, "name": "d1"})).unwrap();
    assert_eq!(row.disk_size_gb, Some(serde_json::json!(128)));
    assert_eq!(row.name, Some(serde_json::json!("d1")));
}

/// The newer docs generation (`pagerduty`-like: HTML tables, per-method
/// tabs, a Lifecycle section): names with dots, unprefixed header columns
/// beside `data__` body columns, arrays of objects shown by example, INSERT
/// methods of different columns and required fields of an EXEC's JSON body.
#[test]
fn newer_generation_columns_headers_arrays_and_json_bodies() {
    use stackql_tests::current::pagerduty::incidents::incidents as inc;
    // A field named `service.summary` is one column, quoted as one.
    assert_eq!(
        inc::get_incident("P1").to_sql(),
        "SELECT id, title, `service.summary` FROM pagerduty.incidents.incidents WHERE id = 'P1';"
    );
    let row: inc::Incident =
        serde_json::from_value(serde_json::json!({"id": "P1", "service.summary": "db"})).unwrap();
    assert_eq!(row.service_summary.as_deref(), Some("db"));
    // A method whose Fields tab lists no columns selects them all, and its
    // rows keep every column the server returns, as JSON.
    let log = inc::list_incident_log("P1");
    assert_eq!(
        log.to_sql(),
        "SELECT * FROM pagerduty.incidents.incidents WHERE id = 'P1';"
    );
    let entry: inc::ListIncidentLogRow = stackql_tests::current::runtime::decode_text_row(
        &["at", "kind", "details"],
        &[Some("2026-11-27"), Some("ack"), Some(r#"{"by":"me"}"#)],
    )
    .unwrap();
    assert_eq!(
        serde_json::Value::Object(entry),
        serde_json::json!({"at": "2026-11-27", "kind": "ack", "details": {"by": "me"}})
    );
    // `From` is a header param, not a `data__` body column; the required
    // `data__title` is a required property, and so is `urgency`, which the
    // manifest marks `value: required`; `responders` is an array of
    // objects, though its items have a `name`; `notes`, written without the
    // prefix but listed by the manifest and no param, is a property too.
    let props = inc::CreateIncidentProperties::new("disk full", "high")
        .with_responders([inc::Responder::new().with_name("ops").with_type("team")])
        .with_notes("db01");
    let p = common::parse(&inc::create_incident("me@x.io", &props).to_sql());
    assert_eq!(
        p.columns,
        [
            "data__title",
            "data__urgency",
            "data__responders",
            "data__notes",
            "`From`"
        ]
    );
    assert_eq!(p.values[..2], ["disk full", "high"]);
    let responders: serde_json::Value = serde_json::from_str(&p.values[2]).unwrap();
    assert_eq!(
        responders,
        serde_json::json!([{"name": "ops", "type": "team"}])
    );
    assert_eq!(p.values[3..], ["db01", "me@x.io"]);
    // Each INSERT method inserts its own example's columns; the path param
    // `template_id` is an argument beside the body's `data__template_id`;
    // `source`, which only the example marks `--required`, and the required
    // `data__priority`, which the example leaves out, are required
    // properties all the same.
    let from_template = inc::CreateIncidentFromTemplateProperties::new("T1", "email", "P2");
    let p = common::parse(
        &inc::create_incident_from_template("me@x.io", "T2", &from_template).to_sql(),
    );
    assert_eq!(
        p.columns,
        [
            "data__template_id",
            "data__source",
            "data__priority",
            "`From`",
            "template_id"
        ]
    );
    assert_eq!(p.values, ["T1", "email", "P2", "me@x.io", "T2"]);
    // An UPDATE's `data__` SET columns are typed properties; the required
    // `status` (a required param) and `urgency` (marked `--required` in the
    // example's WHERE only) are required fields, sent in the `WHERE` too,
    // as the page's example does.
    let change = inc::UpdateProperties::new("resolved", "low");
    assert_eq!(
        inc::update_incident(&change, "P1", "me@x.io").to_sql(),
        "UPDATE pagerduty.incidents.incidents SET data__status = 'resolved', data__urgency = 'low' \
         WHERE id = 'P1' AND `From` = 'me@x.io' AND data__status = 'resolved' AND data__urgency = 'low';"
    );
    // `duration` goes in the JSON body, as the page's example sends it.
    assert_eq!(
        inc::snooze_incident("P1", "me@x.io", 3600).to_sql(),
        "EXEC pagerduty.incidents.incidents.snooze_incident @id = 'P1', @`From` = 'me@x.io', @@json = '{\"duration\":3600}';"
    );
}

/// A resource page with an overview and nothing else: its module holds the
/// id, and no import of the runtime (clippy, `-D warnings` in CI, lints this
/// crate's generated code: an unused import would fail it).
#[test]
fn a_resource_without_columns_or_methods_is_its_id() {
    use stackql_tests::current::pagerduty::incidents::incident_workflows as wf;
    assert_eq!(wf::ID, "pagerduty.incidents.incident_workflows");
    let out = std::path::PathBuf::from(env!("OUT_DIR"));
    let file = out.join("current/src/pagerduty/incidents/incident_workflows.rs");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("stackql_runtime"), "{text}");
}
