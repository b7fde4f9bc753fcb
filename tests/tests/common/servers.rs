//! Shared by the client tests and the decoding benchmark: the emulated
//! resources (the seed page's and `aws.s3.buckets`) on a throwaway
//! PostgreSQL server.
#![allow(dead_code)]

use stackql_bindings::aws::connect::integration_associations as ia;
use stackql_runtime::Statement;
use stackql_tests::current::aws::s3::buckets;
use stackql_tests::emulate::{Resource, PROVIDER_SQL};
use stackql_tests::postgres::Postgres;

/// Every column `statements` name, as the generated statements spell them.
pub fn columns(statements: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for sql in statements {
        let parsed = crate::common::parse(sql);
        out.extend(
            parsed
                .columns
                .iter()
                .map(|c| c.trim_matches('`').to_string()),
        );
        out.extend(parsed.predicates.into_iter().map(|(c, _)| c));
    }
    out
}

pub const ARN: &str = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABC/DEF";

/// The emulated resources of this file: the seed page's and aws.s3.buckets.
pub fn resources() -> Vec<Resource> {
    let props = ia::CreateProperties::new("i", ARN, "LEX_BOT");
    let id = ia::Identifier::new("i", "LEX_BOT", ARN);
    let bucket_id = buckets::Identifier::new("b");
    vec![
        Resource {
            id: ia::ID.into(),
            columns: columns(&[
                ia::create_resource(&props, "r").to_sql(),
                ia::get_resource(&id, "r").to_sql(),
                ia::list_resource("r").to_sql(),
                ia::delete_resource(&id, "r").to_sql(),
            ]),
            identifier: ["instance_id", "integration_type", "integration_arn"]
                .map(String::from)
                .to_vec(),
        },
        Resource {
            id: buckets::ID.into(),
            columns: columns(&[
                buckets::list_resources("r").to_sql(),
                buckets::get_resource(&bucket_id, "r").to_sql(),
                buckets::delete_resource(&bucket_id, "r").to_sql(),
            ]),
            identifier: vec!["bucket_name".into()],
        },
    ]
}

/// Creates database `aws` with the emulated resources on `pg`.
pub fn prepare(pg: &Postgres) {
    pg.create_database("aws").unwrap();
    let mut sql = PROVIDER_SQL.to_string();
    for r in resources() {
        sql.push_str(&r.sql());
    }
    sql.push_str("INSERT INTO stackql_regions VALUES ('denied-1'), ('noisy-1');");
    let params = pg.params("aws");
    // On a thread of its own: callers may be inside an async runtime.
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&params, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            client.batch_execute(&sql).await.unwrap();
        });
    })
    .join()
    .unwrap();
}

/// The client's connection string: StackQL ignores user and database,
/// PostgreSQL needs them.
pub fn params(pg: &Postgres) -> String {
    format!("host=127.0.0.1 port={} user=postgres dbname=aws", pg.port())
}

/// A direct connection to the emulation, for setup and checks.
pub async fn admin(pg: &Postgres) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(&pg.params("aws"), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}
