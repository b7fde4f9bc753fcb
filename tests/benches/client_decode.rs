//! Figures, not a test: decoding `aws.s3.buckets` rows (100,000 by
//! default, `ROWS=n` to change) from a PostgreSQL server on loopback, the
//! runtime's typed client against tokio-postgres' `simple_query` collected
//! into `HashMap<String, String>` rows (what StackQL's own tools return),
//! in the same run, alternating, median of `ROUNDS` (default 5).
//!
//! ```sh
//! cargo bench -p stackql-tests --bench client_decode
//! ```

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/common/servers.rs"]
mod servers;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use stackql_runtime::client::Client;
use stackql_tests::current::aws::s3::buckets;
use stackql_tests::postgres::Postgres;

const REGION: &str = "us-east-1";

/// Every row answers for identifier `bench`, so that `get_resource`, the
/// statement selecting every column of the page's row type, reads them
/// all. One bucket in ten has no tags and no configuration; the others
/// carry the nested JSON a bucket with tags, versioning, encryption and a
/// lifecycle rule has.
fn fill_sql(rows: usize) -> String {
    format!(
        r#"INSERT INTO stackql_regions VALUES ('{REGION}');
INSERT INTO s3.buckets__rows (region, data__identifier, bucket_name, arn, website_url,
  object_lock_enabled, tags, versioning_configuration, bucket_encryption, lifecycle_configuration)
SELECT '{REGION}', 'bench', 'bucket-' || i, 'arn:aws:s3:::bucket-' || i,
  'http://bucket-' || i || '.s3-website-us-east-1.amazonaws.com', 'false',
  CASE WHEN i % 10 = 0 THEN NULL ELSE '[{{"Key":"team","Value":"data-' || i || '"}},{{"Key":"env","Value":"prod"}}]' END,
  CASE WHEN i % 10 = 0 THEN NULL ELSE '{{"Status":"Enabled"}}' END,
  CASE WHEN i % 10 = 0 THEN NULL ELSE '{{"ServerSideEncryptionConfiguration":[{{"ServerSideEncryptionByDefault":{{"SSEAlgorithm":"aws:kms"}}}}]}}' END,
  CASE WHEN i % 10 = 0 THEN NULL ELSE '{{"Rules":[{{"Id":"expire","Status":"Enabled"}}]}}' END
FROM generate_series(1, {rows}) AS i;"#
    )
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let rows: usize = std::env::var("ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let pg = match Postgres::start() {
        Ok(pg) => pg,
        Err(e) => {
            eprintln!("client_decode: no PostgreSQL server, no figures: {e}");
            return;
        }
    };
    servers::prepare(&pg);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let admin = servers::admin(&pg).await;
        admin.batch_execute(&fill_sql(rows)).await.unwrap();
        let select = buckets::get_resource(&buckets::Identifier::new("bench"), REGION);
        let sql = select.to_string();
        let mut typed = Client::connect(&servers::params(&pg)).await.unwrap();
        let (untyped, connection) = tokio_postgres::connect(
            &format!("user=stackql {}", servers::params(&pg)),
            tokio_postgres::NoTls,
        )
        .await
        .unwrap();
        tokio::spawn(connection);
        let (mut typed_times, mut untyped_times) = (Vec::new(), Vec::new());
        let mut columns = 0;
        for round in 0..=rounds {
            let started = Instant::now();
            let decoded = typed.query(&select).await.unwrap();
            let t = started.elapsed();
            assert_eq!(decoded.len(), rows);
            drop(decoded);

            let started = Instant::now();
            let maps: Vec<HashMap<String, String>> = untyped
                .simple_query(&sql)
                .await
                .unwrap()
                .into_iter()
                .filter_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                        row.columns()
                            .iter()
                            .enumerate()
                            .map(|(i, c)| {
                                (c.name().to_string(), row.get(i).unwrap_or("").to_string())
                            })
                            .collect(),
                    ),
                    _ => None,
                })
                .collect();
            let u = started.elapsed();
            assert_eq!(maps.len(), rows);
            columns = maps[0].len();
            drop(maps);
            // Round 0 warms both up.
            if round > 0 {
                typed_times.push(t);
                untyped_times.push(u);
            }
        }
        let (t, u) = (median(typed_times), median(untyped_times));
        let per_sec = |d: Duration| rows as f64 / d.as_secs_f64();
        println!("aws.s3.buckets, {rows} rows of {columns} columns, median of {rounds} rounds:");
        println!(
            "  typed client (Vec<Bucket>):                       {:>9.1} ms  {:>10.0} rows/s",
            t.as_secs_f64() * 1e3,
            per_sec(t)
        );
        println!(
            "  tokio-postgres simple_query (HashMap<String,String>): {:>6.1} ms  {:>10.0} rows/s",
            u.as_secs_f64() * 1e3,
            per_sec(u)
        );
        println!(
            "  typed / untyped: {:.2}x",
            t.as_secs_f64() / u.as_secs_f64()
        );
    });
}
