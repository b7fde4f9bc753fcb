//! Lists, creates and deletes `aws.connect.integration_associations` rows
//! on a running StackQL server, with typed rows and typed errors.
//!
//! ```sh
//! stackql srv --pgsrv.port 5466 --pgsrv.debug.enable=true &
//! cargo run --example running_statements -- "host=127.0.0.1 port=5466" us-east-1
//! ```
//!
//! A crate outside the workspace needs
//! `stackql-bindings = { path = "…/generated", features = ["aws-connect", "blocking"] }`.

use stackql_bindings::aws::connect::integration_associations as ia;
use stackql_bindings::runtime::blocking::Client;
use stackql_bindings::runtime::client::Error;

fn run(params: &str, region: &str) -> Result<(), Error> {
    let mut client = Client::connect(params)?;

    let before: Vec<ia::IntegrationAssociation> = client.query(&ia::list_resource(region))?;
    println!("listed {} association(s) in {region}", before.len());

    let arn = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABC/DEF";
    let props = ia::CreateProperties::new("my-instance-id", arn, "LEX_BOT");
    client.execute(&ia::create_resource(&props, region))?;
    for row in client.query(&ia::list_resource(region))? {
        println!(
            "created {} {} {}",
            row.instance_id.unwrap_or_default(),
            row.integration_type.unwrap_or_default(),
            row.integration_arn.unwrap_or_default()
        );
    }

    let id = ia::Identifier::new("my-instance-id", "LEX_BOT", arn);
    client.execute(&ia::delete_resource(&id, region))?;
    let after = client.query(&ia::list_resource(region))?;
    println!("deleted: {} association(s) left", after.len());
    Ok(())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let params = args
        .next()
        .unwrap_or_else(|| "host=127.0.0.1 port=5466".into());
    let region = args.next().unwrap_or_else(|| "us-east-1".into());
    if let Err(e) = run(&params, &region) {
        // A provider's 403 is an error here, not an empty list.
        if let Error::Provider { status, .. } = &e {
            eprintln!("provider status {status}");
        }
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
