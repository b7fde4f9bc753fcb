//! The original spec page, end to end: the checked-in crate generated from
//! `specs/aws/connect/integration_associations/index.md`, its statements
//! re-read by a real SQL parser, its policy checked against the page.

mod common;

use stackql_bindings::aws::connect::integration_associations as ia;
use stackql_bindings::runtime::policy::PolicyDocument;
use stackql_bindings::runtime::{quote_literal, RequiresActions, Statement};
use std::collections::BTreeSet;

const TABLE: &str = "aws.connect.integration_associations";

fn id() -> ia::Identifier {
    ia::Identifier::new("inst-1", "LEX_BOT", "arn:aws:lex:us-east-1:1:bot/x")
}

#[test]
fn create_renders_the_documented_insert() {
    let props = ia::CreateProperties::new("inst-1", "arn:aws:lex:us-east-1:1:bot/x", "LEX_BOT");
    let sql = ia::create_resource(&props, "us-east-1").to_sql();
    let p = common::parse(&sql);
    assert_eq!(p.kind, "INSERT");
    assert_eq!(p.table, TABLE);
    assert_eq!(
        p.columns,
        ["InstanceId", "IntegrationArn", "IntegrationType", "region"]
    );
    assert_eq!(
        p.values,
        [
            "inst-1",
            "arn:aws:lex:us-east-1:1:bot/x",
            "LEX_BOT",
            "us-east-1"
        ]
    );
}

#[test]
fn get_and_list_render_the_documented_selects() {
    let get = ia::get_resource(&id(), "us-east-1");
    let p = common::parse(&get.to_sql());
    assert_eq!(p.kind, "SELECT");
    assert_eq!(p.table, TABLE);
    assert_eq!(
        p.columns,
        [
            "region",
            "integration_association_id",
            "instance_id",
            "integration_arn",
            "integration_type"
        ]
    );
    assert_eq!(
        p.predicates,
        [
            ("region".to_string(), "us-east-1".to_string()),
            (
                "data__Identifier".into(),
                "inst-1|LEX_BOT|arn:aws:lex:us-east-1:1:bot/x".into()
            )
        ]
    );
    let list = ia::list_resource("eu-west-1");
    let p = common::parse(&list.to_sql());
    assert_eq!(
        p.predicates,
        [("region".to_string(), "eu-west-1".to_string())]
    );
    assert_eq!(list.to_string(), list.to_sql(), "Display and to_sql agree");
}

#[test]
fn delete_renders_the_documented_delete() {
    let p = common::parse(&ia::delete_resource(&id(), "us-east-1").to_sql());
    assert_eq!(p.kind, "DELETE");
    assert_eq!(p.table, TABLE);
    assert_eq!(
        p.predicates,
        [
            (
                "data__Identifier".to_string(),
                "inst-1|LEX_BOT|arn:aws:lex:us-east-1:1:bot/x".to_string()
            ),
            ("region".into(), "us-east-1".into())
        ]
    );
}

const HOSTILE: &[&str] = &[
    "'",
    "' OR '1'='1",
    "x'; DROP TABLE t; --",
    "\\",
    "\\'",
    "a\\' OR 1=1 -- ",
    "''''",
    "line\nbreak",
    "tab\tand \u{2019}quote\u{2018}",
    "/* c */",
    "|<>|",
];

#[test]
fn hostile_values_never_leave_their_literal() {
    for h in HOSTILE {
        // Every part of the identifier and the region carry the hostile text.
        let ident = ia::Identifier::new(*h, *h, *h);
        let p = common::parse(&ia::get_resource(&ident, h).to_sql());
        assert_eq!(p.predicates.len(), 2, "{h:?}");
        assert_eq!(p.predicates[0].1, *h);
        assert_eq!(p.predicates[1].1, format!("{h}|{h}|{h}"));
        let props = ia::CreateProperties::new(*h, *h, *h);
        let p = common::parse(&ia::create_resource(&props, h).to_sql());
        assert_eq!(p.values, [*h, *h, *h, *h]);
        let p = common::parse(&ia::delete_resource(&ident, h).to_sql());
        assert_eq!(p.predicates[1].1, *h);
        // The quoting function alone: parse it back as the only value.
        let p = common::parse(&format!("SELECT {} FROM t;", quote_literal(h)));
        assert_eq!(p.columns.len(), 1);
    }
}

/// The page's permission lists, read independently of the generator: each
/// `### Op` heading followed by a ```json block of comma-separated actions.
fn page_permissions() -> Vec<(String, Vec<String>)> {
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../specs/aws/connect/integration_associations/index.md"),
    )
    .unwrap();
    let mut out = Vec::new();
    let mut lines = page.lines();
    while let Some(l) = lines.next() {
        if let Some(op) = l.strip_prefix("### ") {
            assert_eq!(lines.next(), Some("```json"));
            let actions = lines
                .by_ref()
                .take_while(|l| *l != "```")
                .map(|l| l.trim().trim_end_matches(',').to_string())
                .collect();
            out.push((op.to_string(), actions));
        }
    }
    out
}

#[test]
fn policy_json_matches_the_page() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../generated/policies/aws/connect/integration_associations.json"),
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["Version"], "2012-10-17");
    let doc: PolicyDocument = serde_json::from_value(json).unwrap();
    doc.validate().unwrap();
    let page = page_permissions();
    assert_eq!(
        page.iter().map(|(op, _)| op.as_str()).collect::<Vec<_>>(),
        ["Create", "Read", "Delete", "List"]
    );
    assert_eq!(doc.statement.len(), page.len());
    for (stmt, (op, actions)) in doc.statement.iter().zip(&page) {
        assert_eq!(&stmt.sid, op);
        assert_eq!(stmt.effect, "Allow");
        assert_eq!(stmt.resource, "*");
        let mut sorted = stmt.action.clone();
        sorted.sort_by_key(|a| a.to_lowercase());
        assert_eq!(stmt.action, sorted, "actions sorted");
        let got: BTreeSet<String> = stmt.action.iter().map(|a| a.to_lowercase()).collect();
        assert_eq!(
            got.len(),
            stmt.action.len(),
            "deduplicated case-insensitively"
        );
        let mut want: BTreeSet<String> = actions.iter().map(|a| a.to_lowercase()).collect();
        // Cloud Control actions StackQL itself calls (on by default).
        want.extend(
            match op.as_str() {
                "Create" => vec![
                    "cloudformation:createresource",
                    "cloudformation:getresourcerequeststatus",
                ],
                "Read" => vec!["cloudformation:getresource"],
                "Delete" => vec![
                    "cloudformation:deleteresource",
                    "cloudformation:getresourcerequeststatus",
                ],
                _ => vec!["cloudformation:listresources"],
            }
            .into_iter()
            .map(String::from),
        );
        assert_eq!(got, want, "{op}");
    }
    // Both spellings are on the page; the upper-case one is kept.
    assert!(doc.statement[0]
        .action
        .contains(&"lambda:AddPermission".to_string()));
    assert!(!doc.statement[0]
        .action
        .contains(&"lambda:addPermission".to_string()));
}

#[test]
fn statements_know_their_actions() {
    let props = ia::CreateProperties::new("i", "a", "t");
    let create = ia::create_resource(&props, "us-east-1");
    let actions = create.required_actions();
    assert!(actions.contains(&"connect:CreateIntegrationAssociation"));
    assert!(actions.contains(&"cloudformation:CreateResource"));
    assert_eq!(create.method().name, "create_resource");
    let list = ia::list_resource("us-east-1").required_actions();
    assert!(list.contains(&"cloudformation:ListResources"));
    assert!(!list.contains(&"cloudformation:CreateResource"));
    assert_eq!(ia::permissions::LIST.len(), 3);
}

#[test]
fn rows_deserialize_from_column_names() {
    let row: ia::IntegrationAssociation =
        serde_json::from_str(r#"{"instance_id": "i-1", "region": null, "extra": 1}"#).unwrap();
    assert_eq!(row.instance_id.as_deref(), Some("i-1"));
    assert_eq!(row.region, None);
}
