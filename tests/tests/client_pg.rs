//! The runtime's client against a real PostgreSQL server, on which the
//! generated statements run unchanged (see `stackql_tests::emulate`):
//! database `aws`, `standard_conforming_strings = off` (backslash escapes,
//! as StackQL's parser reads them).

mod common;
#[path = "common/servers.rs"]
mod servers;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use servers::{admin, params, prepare, ARN};
use stackql_bindings::aws::connect::integration_associations as ia;
use stackql_runtime::blocking;
use stackql_runtime::client::{Client, ConnectOptions, Error, TlsOptions};
use stackql_tests::current::aws::s3::buckets;
use stackql_tests::postgres::{Options, Postgres};

/// The server most tests share (each test works in its own region). The
/// process's exit stops it.
fn server() -> &'static Postgres {
    static SERVER: OnceLock<Postgres> = OnceLock::new();
    SERVER.get_or_init(|| {
        let pg = Postgres::start().unwrap_or_else(|e| panic!("{e}"));
        prepare(&pg);
        pg
    })
}

#[tokio::test]
async fn the_seed_pages_four_statements_run_unchanged() {
    let mut client = Client::connect(&params(server())).await.unwrap();
    let region = "us-east-1";
    assert!(client
        .query(&ia::list_resource(region))
        .await
        .unwrap()
        .is_empty());
    let props = ia::CreateProperties::new("my-instance-id", ARN, "LEX_BOT");
    let created = client
        .execute(&ia::create_resource(&props, region))
        .await
        .unwrap();
    assert!(created.notices.is_empty(), "{created:?}");
    let listed = client.query(&ia::list_resource(region)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0],
        // list_resource does not select integration_association_id.
        ia::IntegrationAssociation::new()
            .with_instance_id("my-instance-id")
            .with_integration_arn(ARN)
            .with_integration_type("LEX_BOT")
            .with_region(region)
    );
    let id = ia::Identifier::new("my-instance-id", "LEX_BOT", ARN);
    let got = client.query(&ia::get_resource(&id, region)).await.unwrap();
    assert_eq!(got, listed);
    assert!(client
        .query(&ia::get_resource(
            &ia::Identifier::new("other", "LEX_BOT", ARN),
            region
        ))
        .await
        .unwrap()
        .is_empty());
    client
        .execute(&ia::delete_resource(&id, region))
        .await
        .unwrap();
    assert!(client
        .query(&ia::list_resource(region))
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_nested_resource_round_trips_through_json_columns() {
    let mut client = Client::connect(&params(server())).await.unwrap();
    let region = "eu-central-1";
    let props = buckets::CreateProperties::new("my-bucket")
        .with_tags([
            buckets::Tag::new()
                .with_key("team")
                .with_value("data \"eng\" \\ ü"),
            buckets::Tag::new().with_key("empty"),
        ])
        .with_versioning_configuration(
            buckets::VersioningConfiguration::new().with_status("Enabled"),
        )
        .with_object_lock_enabled(true);
    client
        .execute(&buckets::create_resource(&props, region))
        .await
        .unwrap();
    let listed = client
        .query(&buckets::list_resources(region))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].bucket_name.as_deref(), Some("my-bucket"));
    let id = buckets::Identifier::new("my-bucket");
    let rows = client
        .query(&buckets::get_resource(&id, region))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let b = &rows[0];
    assert_eq!(b.bucket_name.as_deref(), Some("my-bucket"));
    assert_eq!(b.tags, props.tags);
    assert_eq!(b.versioning_configuration, props.versioning_configuration);
    assert_eq!(b.object_lock_enabled, Some(true));
    assert_eq!((b.arn.as_ref(), b.website_url.as_ref()), (None, None));
    client
        .execute(&buckets::delete_resource(&id, region))
        .await
        .unwrap();
    assert!(client
        .query(&buckets::list_resources(region))
        .await
        .unwrap()
        .is_empty());
}

/// Values that break naive quoting reach the server and come back as data,
/// byte for byte (through the blocking client). A value holding a `;` is
/// refused before sending, since StackQL would cut the statement there; the
/// same value written by someone else still reads back intact.
#[test]
fn hostile_values_round_trip_byte_for_byte() {
    let pg = server();
    let mut client = blocking::Client::connect(&params(pg)).unwrap();
    let region = "sa-east-1";
    let hostile = [
        "it's",
        "''",
        "\\",
        "\\'",
        "\\' OR '1'='1",
        "back\\\\slash\\0zero",
        "' OR 1=1 --",
        "\"double\" and `back` ticks",
        "a\"b;c\"",
        "\u{1F600} \u{2019} \u{200B}",
        "tab\tnew\nline\r",
        "%_*",
    ];
    for value in hostile {
        let props = ia::CreateProperties::new(value, ARN, "LEX_BOT");
        client
            .execute(&ia::create_resource(&props, region))
            .unwrap();
        let id = ia::Identifier::new(value, "LEX_BOT", ARN);
        let got = client.query(&ia::get_resource(&id, region)).unwrap();
        assert_eq!(got.len(), 1, "{value:?}");
        assert_eq!(got[0].instance_id.as_deref(), Some(value));
        client.execute(&ia::delete_resource(&id, region)).unwrap();
        assert!(client
            .query(&ia::get_resource(&id, region))
            .unwrap()
            .is_empty());
    }
    // PostgreSQL text cannot hold NUL (StackQL's parser reads `\0` as NUL):
    // the server refuses it, the client reports that.
    let props = ia::CreateProperties::new("a\0b", ARN, "LEX_BOT");
    match client.execute(&ia::create_resource(&props, region)) {
        Err(Error::Server { code, .. }) => assert_eq!(code, "22021"),
        other => panic!("{other:?}"),
    }
    for value in ["';--", "x'; DROP TABLE t; --", "a;b"] {
        let props = ia::CreateProperties::new(value, ARN, "LEX_BOT");
        match client.execute(&ia::create_resource(&props, region)) {
            Err(Error::UnsafeStatement { value: v, .. }) => assert_eq!(v, value),
            other => panic!("{value:?}: {other:?}"),
        }
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let admin = admin(pg).await;
        admin
            .execute(
                "INSERT INTO connect.integration_associations__rows (region, instance_id) \
                 VALUES ($1, $2), ($1, $3)",
                &[&region, &"';--", &"\\'; DROP TABLE x; --"],
            )
            .await
            .unwrap();
        admin
            .execute(
                "INSERT INTO stackql_regions VALUES ($1) ON CONFLICT DO NOTHING",
                &[&region],
            )
            .await
            .unwrap();
    });
    let mut read: Vec<String> = client
        .query(&ia::list_resource(region))
        .unwrap()
        .into_iter()
        .filter_map(|r| r.instance_id)
        .collect();
    read.sort();
    assert_eq!(read, ["';--", "\\'; DROP TABLE x; --"]);
}

#[tokio::test]
async fn a_403_notice_is_a_provider_error_not_an_empty_list() {
    let mut client = Client::connect(&params(server())).await.unwrap();
    let err = client
        .query(&ia::list_resource("denied-1"))
        .await
        .unwrap_err();
    let Error::Provider {
        resource,
        status,
        message,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!((*resource, *status), (ia::ID, 403));
    assert!(message.contains("AccessDeniedException"), "{message}");
    let props = ia::CreateProperties::new("i", ARN, "LEX_BOT");
    let err = client
        .execute(&ia::create_resource(&props, "denied-1"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Provider { status: 403, .. }),
        "{err:?}"
    );
    // A notice that reports no failure comes back with the rows.
    let rows = client
        .query_with_notices(&ia::list_resource("noisy-1"))
        .await
        .unwrap();
    assert!(rows.rows.is_empty());
    assert_eq!(rows.notices.len(), 1, "{rows:?}");
    assert_eq!(
        rows.notices[0].detail.as_deref(),
        Some("paginating: 2 pages read")
    );
    // The connection is still usable.
    assert!(client
        .query(&ia::list_resource("us-west-1"))
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_value_that_does_not_fit_names_resource_column_row_and_value() {
    let pg = server();
    let region = "ap-south-1";
    let admin = admin(pg).await;
    admin
        .batch_execute(&format!(
            "INSERT INTO stackql_regions VALUES ('{region}');
             INSERT INTO s3.buckets__rows (region, data__identifier, bucket_name, object_lock_enabled, tags) VALUES
               ('{region}', 'b', 'a', 'true', '[]'),
               ('{region}', 'b', 'b', 'maybe', NULL);"
        ))
        .await
        .unwrap();
    let mut client = Client::connect(&params(pg)).await.unwrap();
    // Two rows answer for identifier `b` (a provider may list duplicates).
    let get = buckets::get_resource(&buckets::Identifier::new("b"), region);
    // The server's order of the two rows, read untyped.
    let text = client.execute(&get).await.unwrap();
    let name = text
        .columns
        .iter()
        .position(|c| c == "bucket_name")
        .unwrap();
    let row = 1 + text
        .rows
        .iter()
        .position(|r| r[name].as_deref() == Some("b"))
        .unwrap();
    let err = client.query(&get).await.unwrap_err();
    assert_eq!(
        err,
        Error::Decode {
            resource: buckets::ID,
            column: "object_lock_enabled".into(),
            row,
            value: Some("maybe".into()),
            message: "expected a boolean (true or false)".into(),
        }
    );
    let long = "x".repeat(500);
    admin
        .execute(
            "UPDATE s3.buckets__rows SET object_lock_enabled = NULL, tags = $1 WHERE bucket_name = 'b'",
            &[&format!("[{{\"Key\": {long}}}]")],
        )
        .await
        .unwrap();
    let err = client.query(&get).await.unwrap_err();
    let Error::Decode { column, value, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(column, "tags");
    assert_eq!(
        value.as_ref().map(|v| v.chars().count()),
        Some(81),
        "shortened: {value:?}"
    );
    assert!(err.to_string().contains("regenerate"), "{err}");
}

#[tokio::test]
async fn a_statement_over_its_time_limit_times_out() {
    let options =
        ConnectOptions::new(params(server())).statement_timeout(Some(Duration::from_millis(500)));
    let mut client = Client::connect_with(options).await.unwrap();
    let admin = admin(server()).await;
    admin
        .batch_execute("INSERT INTO stackql_regions VALUES ('slow-2') ON CONFLICT DO NOTHING")
        .await
        .unwrap();
    let started = Instant::now();
    let err = client
        .query(&ia::list_resource("slow-2"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after, .. } if after == Duration::from_millis(500)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// The server stops (immediate shutdown) while a statement runs: the
/// client returns an error, neither panics nor hangs, and later calls fail
/// fast.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_stopped_mid_query_gives_an_error() {
    let mut pg = Postgres::start().unwrap_or_else(|e| panic!("{e}"));
    prepare(&pg);
    admin(&pg)
        .await
        .batch_execute("INSERT INTO stackql_regions VALUES ('slow-1')")
        .await
        .unwrap();
    let mut client = Client::connect(&params(&pg)).await.unwrap();
    let running = tokio::spawn(async move {
        let result = client.query(&ia::list_resource("slow-1")).await;
        (client, result)
    });
    tokio::time::sleep(Duration::from_millis(700)).await;
    let started = Instant::now();
    tokio::task::spawn_blocking(move || {
        pg.stop(true);
        pg
    })
    .await
    .unwrap();
    let (mut client, result) = tokio::time::timeout(Duration::from_secs(20), running)
        .await
        .expect("the client hung after the server stopped")
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(20));
    let err = result.unwrap_err();
    assert!(matches!(err, Error::Disconnected { .. }), "{err:?}");
    let again = tokio::time::timeout(
        Duration::from_secs(5),
        client.query(&ia::list_resource("x")),
    )
    .await
    .expect("a call after the loss hung");
    assert!(
        matches!(again, Err(Error::Disconnected { .. })),
        "{again:?}"
    );
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate for
/// user `postgres` (certificate authentication maps the CN to the user).
struct Pki {
    ca: String,
    server: (String, String),
    client: (String, String),
}

impl Pki {
    fn new() -> Pki {
        use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "stackql test CA");
        let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
        let leaf = |cn: &str, names: Vec<String>| {
            let key = KeyPair::generate().unwrap();
            let mut params = CertificateParams::new(names).unwrap();
            params.distinguished_name.push(DnType::CommonName, cn);
            (
                params.signed_by(&key, &ca).unwrap().pem(),
                key.serialize_pem(),
            )
        };
        Pki {
            server: leaf("localhost", vec!["localhost".into(), "127.0.0.1".into()]),
            client: leaf("postgres", Vec::new()),
            ca: ca.pem(),
        }
    }
}

/// A server that accepts only TLS clients presenting a certificate its CA
/// signed, as StackQL does with client CAs configured.
#[tokio::test]
async fn mutual_tls_with_a_client_certificate() {
    let pki = Pki::new();
    let options = Options {
        settings: [
            ("ssl", "on"),
            ("ssl_cert_file", "server.crt"),
            ("ssl_key_file", "server.key"),
            ("ssl_ca_file", "root.crt"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .to_vec(),
        hba: None,
        files: vec![
            ("server.crt".into(), pki.server.0.clone().into_bytes()),
            ("server.key".into(), pki.server.1.clone().into_bytes()),
            ("root.crt".into(), pki.ca.clone().into_bytes()),
        ],
    };
    let pg = Postgres::start_with(&options).unwrap_or_else(|e| panic!("{e}"));
    prepare(&pg);
    // From now on: certificates only.
    std::fs::write(
        pg.data_dir().join("pg_hba.conf"),
        "hostssl all all 127.0.0.1/32 cert\nhost all all 127.0.0.1/32 reject\n",
    )
    .unwrap();
    admin(&pg)
        .await
        .batch_execute("SELECT pg_reload_conf()")
        .await
        .unwrap();
    let conn = format!("host=127.0.0.1 port={} user=postgres dbname=aws", pg.port());
    let deadline = Instant::now() + Duration::from_secs(10);
    let plain = loop {
        match Client::connect(&conn).await {
            Err(e) => break e,
            Ok(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Ok(_) => panic!("the server still accepts plaintext clients"),
        }
    };
    assert!(matches!(plain, Error::Connect { .. }), "{plain:?}");

    let ca = TlsOptions::new(pki.ca.as_bytes()).unwrap();
    let with_cert = ca
        .clone()
        .client_certificate(pki.client.0.as_bytes(), pki.client.1.as_bytes())
        .unwrap();
    let mut client = Client::connect_with(ConnectOptions::new(&conn).tls(with_cert))
        .await
        .unwrap();
    let props = ia::CreateProperties::new("over-tls", ARN, "LEX_BOT");
    client
        .execute(&ia::create_resource(&props, "us-east-1"))
        .await
        .unwrap();
    let rows = client.query(&ia::list_resource("us-east-1")).await.unwrap();
    assert_eq!(rows[0].instance_id.as_deref(), Some("over-tls"));

    let without_cert = Client::connect_with(ConnectOptions::new(&conn).tls(ca)).await;
    assert!(
        matches!(without_cert, Err(Error::Connect { .. } | Error::Tls { .. })),
        "{without_cert:?}"
    );
    let stranger = TlsOptions::new(Pki::new().ca.as_bytes()).unwrap();
    let untrusted = Client::connect_with(ConnectOptions::new(&conn).tls(stranger)).await;
    assert!(matches!(untrusted, Err(Error::Tls { .. })), "{untrusted:?}");
}
