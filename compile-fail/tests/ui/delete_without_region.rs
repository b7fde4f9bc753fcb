use stackql_bindings::aws::connect::integration_associations as ia;

fn main() {
    let id = ia::Identifier::new("i", "t", "a");
    let _ = ia::delete_resource(&id);
}
