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

