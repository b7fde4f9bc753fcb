use stackql_bindings::aws::connect::integration_associations as ia;

fn main() {
    // Generated types are `#[non_exhaustive]`, so that a page adding a
    // property is a minor release: outside the crate they are built with
    // `new` and the `with_*` setters, never with a struct literal.
    let props = ia::CreateProperties {
        instance_id: "instance".into(),
        integration_arn: "arn".into(),
        integration_type: "LEX_BOT".into(),
    };
    // Nor with struct update syntax from a value the crate built.
    let row = ia::IntegrationAssociation {
        region: Some("us-east-1".into()),
        ..ia::IntegrationAssociation::new()
    };
    let _ = (props, row);
}
