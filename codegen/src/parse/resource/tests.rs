use super::methods::prose_verb;
use super::permissions::valid_action;
use super::*;

#[test]
fn singular_and_cloud_type() {
    assert_eq!(
        find_singular(
            "Creates, updates, deletes or gets an `integration_association` resource or lists `x`"
        )
        .as_deref(),
        Some("integration_association")
    );
    assert_eq!(
        find_cloud_type("Resource Type definition for AWS::Connect::IntegrationAssociation")
            .as_deref(),
        Some("AWS::Connect::IntegrationAssociation")
    );
}

#[test]
fn prose_methods_name_their_verb() {
    assert_eq!(
        prose_verb("Currently only `SELECT` is supported for this resource resource."),
        Some(Verb::Select)
    );
    assert_eq!(
        prose_verb("Currently only exec is supported"),
        Some(Verb::Exec)
    );
    assert_eq!(prose_verb("Currently only `SHOW` is supported"), None);
}

#[test]
fn action_grammar() {
    assert!(valid_action("s3:GetObject"));
    assert!(valid_action("app-integrations:Get*"));
    assert!(!valid_action("GetObject"));
    assert!(!valid_action("s3:Get Object"));
    assert!(valid_action("CloudTrail:AddTags"));
    assert!(!valid_action("S3 :x"));
    assert!(!valid_action(":x"));
}

#[test]
fn a_field_listed_twice_is_kept_once_with_a_warning() {
    let page = "## Overview\n<table><tbody>\n<tr><td><b>Name</b></td><td><code>w</code></td></tr>\n<tr><td><b>Id</b></td><td><CopyableCode code=\"p.s.w\" /></td></tr>\n</tbody></table>\n\n## Fields\n| Name | Datatype | Description |\n|:--|:--|:--|\n| `a` | `string` | first |\n| `b` | `integer` | |\n| `a` | `object` | again |\n";
    let parsed = crate::parse::parse_page("w.md", page);
    let r = parsed.resource.expect("a resource");
    let fields: Vec<_> = r
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.datatype.as_str(), f.description.as_str()))
        .collect();
    assert_eq!(fields, [("a", "string", "first"), ("b", "integer", "")]);
    let dup: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::DuplicateField)
        .collect();
    assert_eq!(dup.len(), 1, "{:?}", parsed.diagnostics);
    assert_eq!(dup[0].line, 12);
    assert_eq!(dup[0].severity, Severity::Warning);
    assert!(dup[0].message.contains("`a`") && dup[0].message.contains("line 10"));
}
