use stackql_bindings::aws::connect::integration_associations as ia;

fn main() {
    // InstanceId, IntegrationArn and IntegrationType are required.
    let props = ia::CreateProperties::new("instance", "arn");
    let _ = ia::create_resource(&props, "us-east-1");
}
