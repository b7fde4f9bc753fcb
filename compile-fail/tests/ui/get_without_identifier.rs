use stackql_bindings::aws::connect::integration_associations as ia;

fn main() {
    // `get_resource` needs the identifier and the region.
    let _ = ia::get_resource("us-east-1");
}
