//! The client against a server that answers as StackQL does
//! (`stackql_tests::stackql_server`: `OK` tags, EmptyQueryResponse after
//! RowDescription, text columns, provider messages in a notice's Detail,
//! `XXUUU` errors, queries split at `;`), and a crate outside the workspace
//! running the README's program against it.

mod common;
#[path = "common/servers.rs"]
mod servers;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use servers::{prepare, ARN};
use stackql_bindings::aws::connect::integration_associations as ia;
use stackql_runtime::client::{Client, Error};
use stackql_runtime::{Method, Select, Update, Verb};
use stackql_tests::postgres::Postgres;
use stackql_tests::stackql_server::{split_compound_query, StackqlServer};

struct Servers {
    _pg: Postgres,
    stackql: StackqlServer,
}

/// PostgreSQL behind a StackQL-faithful front; the process's exit stops
/// PostgreSQL.
fn stackql() -> &'static StackqlServer {
    static SERVERS: OnceLock<Servers> = OnceLock::new();
    &SERVERS
        .get_or_init(|| {
            let pg = Postgres::start().unwrap_or_else(|e| panic!("{e}"));
            prepare(&pg);
            let stackql = StackqlServer::start(&pg.params("aws")).unwrap();
            Servers { _pg: pg, stackql }
        })
        .stackql
}

fn params() -> String {
    format!("host=127.0.0.1 port={}", stackql().port())
}

/// The backend messages answering `query` on a fresh connection, as
/// (type byte, body), up to and including ReadyForQuery.
fn raw_exchange(query: &str) -> Vec<(u8, Vec<u8>)> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", stackql().port())).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut startup = 196608u32.to_be_bytes().to_vec();
    startup.extend_from_slice(b"user\0stackql\0\0");
    let mut msg = ((startup.len() + 4) as u32).to_be_bytes().to_vec();
    msg.extend(startup);
    s.write_all(&msg).unwrap();
    let read_until_ready = |s: &mut std::net::TcpStream| {
        let mut out = Vec::new();
        loop {
            let mut head = [0u8; 5];
            s.read_exact(&mut head).unwrap();
            let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
            let mut body = vec![0u8; len - 4];
            s.read_exact(&mut body).unwrap();
            out.push((head[0], body));
            if head[0] == b'Z' {
                return out;
            }
        }
    };
    read_until_ready(&mut s);
    let mut q = vec![b'Q'];
    q.extend(((query.len() + 5) as u32).to_be_bytes());
    q.extend(query.as_bytes());
    q.push(0);
    s.write_all(&q).unwrap();
    read_until_ready(&mut s)
}

fn types(messages: &[(u8, Vec<u8>)]) -> String {
    messages.iter().map(|(t, _)| *t as char).collect()
}

/// The fields of an ErrorResponse or NoticeResponse body.
fn fields(body: &[u8]) -> Vec<(char, String)> {
    body.split(|b| *b == 0)
        .filter(|f| !f.is_empty())
        .map(|f| (f[0] as char, String::from_utf8_lossy(&f[1..]).into_owned()))
        .collect()
}

#[test]
fn the_test_server_sends_stackqls_message_sequences() {
    // No rows: RowDescription, EmptyQueryResponse, CommandComplete "OK".
    let empty = raw_exchange(&ia::list_resource("ca-central-1").to_string());
    assert_eq!(types(&empty), "TICZ");
    assert_eq!(empty[2].1, b"OK\0");
    // A provider failure: the same, with the notice before an empty tag.
    let denied = raw_exchange(&ia::list_resource("denied-1").to_string());
    assert_eq!(types(&denied), "TINCZ");
    let notice = fields(&denied[2].1);
    assert!(notice.contains(&('C', "01000".into())), "{notice:?}");
    assert!(notice.contains(&('M', "a notice level event has occurred".into())));
    assert!(notice
        .iter()
        .any(|(k, v)| *k == 'D' && v.starts_with("http response status code: 403")));
    assert_eq!(denied[3].1, b"\0");
    // A planning error.
    let error = raw_exchange("SELECT x FROM aws.connect.nope");
    assert_eq!(types(&error), "EZ");
    let error = fields(&error[0].1);
    assert!(error.contains(&('C', "XXUUU".into())), "{error:?}");
    assert!(error
        .iter()
        .any(|(k, v)| *k == 'M' && v.starts_with("query returns error: ")));
    // Only the text before the first `;` outside double quotes runs.
    assert_eq!(
        split_compound_query("a 'x;y' \"p;q\";"),
        ["a 'x", "y' \"p;q\"", ""]
    );
}

#[tokio::test]
async fn rows_and_outcomes_decode_from_stackqls_answers() {
    let mut client = Client::connect(&params()).await.unwrap();
    let region = "ca-west-1";
    assert!(client
        .query(&ia::list_resource(region))
        .await
        .unwrap()
        .is_empty());
    let props = ia::CreateProperties::new("faithful", ARN, "LEX_BOT");
    let outcome = client
        .execute(&ia::create_resource(&props, region))
        .await
        .unwrap();
    assert_eq!(outcome.notices, []);
    let rows = client.query(&ia::list_resource(region)).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].instance_id.as_deref(), Some("faithful"));
    let id = ia::Identifier::new("faithful", "LEX_BOT", ARN);
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
async fn stackqls_notices_become_provider_errors_or_come_with_the_rows() {
    let mut client = Client::connect(&params()).await.unwrap();
    let err = client
        .query(&ia::list_resource("denied-1"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Provider { status: 403, message, .. } if message.contains("is not authorized")),
        "{err:?}"
    );
    let rows = client
        .query_with_notices(&ia::list_resource("noisy-1"))
        .await
        .unwrap();
    assert_eq!(rows.notices.len(), 1);
    assert_eq!(
        (
            rows.notices[0].code.as_str(),
            rows.notices[0].detail.as_deref()
        ),
        ("01000", Some("paginating: 2 pages read"))
    );
}

static NOPE: Method = Method {
    resource: "aws.connect.nope",
    name: "list_resources",
    verb: Verb::Select,
    operations: &[],
    handler_actions: &[],
    cloud_control: false,
};

#[tokio::test]
async fn planning_errors_are_server_errors() {
    let mut client = Client::connect(&params()).await.unwrap();
    let select: Select<ia::IntegrationAssociation> = Select::new(&NOPE, &["region"], &[]);
    match client.query(&select).await {
        Err(Error::Server { code, message, .. }) => {
            assert_eq!(code, "XXUUU");
            assert!(message.starts_with("query returns error:"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

/// StackQL would run only the text before the `;` in the literal: the
/// client refuses, and the server receives nothing.
#[tokio::test]
async fn a_literal_stackql_would_split_is_never_sent() {
    let mut client = Client::connect(&params()).await.unwrap();
    let props = ia::CreateProperties::new("a'; DELETE FROM t; --", ARN, "LEX_BOT");
    let statement = ia::create_resource(&props, "us-east-2");
    let err = client.execute(&statement).await.unwrap_err();
    assert!(
        matches!(&err, Error::UnsafeStatement { value, .. } if value == "a'; DELETE FROM t; --"),
        "{err:?}"
    );
    // The other tests share the server: only this statement's text counts.
    assert!(!stackql().ran().iter().any(|q| q.contains("'a''")));
    // What a client that sends it gets: a truncated statement.
    let raw_params = format!("user=x {}", params());
    let (raw, connection) = tokio_postgres::connect(&raw_params, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let _ = raw.simple_query(&statement.to_string()).await;
    let ran = stackql().ran();
    assert!(ran.iter().any(|q| q.ends_with("'a''")), "{ran:?}");
}

/// An `UPDATE` whose properties are all unset renders `SET` with nothing
/// after it, and one whose JSON Patch is empty changes nothing: the client
/// says so and sends nothing; with one property set, the statement reaches
/// the server.
#[tokio::test]
async fn an_update_that_sets_nothing_is_never_sent() {
    static UPDATE: Method = Method {
        resource: "aws.connect.integration_associations",
        name: "update_resource",
        verb: Verb::Update,
        operations: &[],
        handler_actions: &[],
        cloud_control: false,
    };
    #[derive(serde::Serialize, Default)]
    struct Props {
        #[serde(rename = "IntegrationType")]
        integration_type: Option<String>,
    }
    // The other tests share the server: only statements naming this region
    // count.
    const REGION: &str = "us-east-2-incomplete";
    let sent = || {
        stackql()
            .ran()
            .iter()
            .filter(|q| q.contains(REGION))
            .count()
    };
    let mut client = Client::connect(&params()).await.unwrap();
    let nothing = Update::new(&UPDATE, &Props::default(), &[("region", REGION)]);
    let err = client.execute(&nothing).await.unwrap_err();
    assert!(
        matches!(&err, Error::Incomplete { resource, .. } if *resource == UPDATE.resource),
        "{err:?}"
    );
    assert!(err.to_string().contains("sets no property"), "{err}");
    let no_change = Update::patch(&UPDATE, &[], &[("region", REGION)]);
    let err = client.execute(&no_change).await.unwrap_err();
    assert!(err.to_string().contains("patch is empty"), "{err}");
    assert_eq!(sent(), 0);
    let props = Props {
        integration_type: Some("LEX_BOT".into()),
    };
    let one = Update::new(&UPDATE, &props, &[("region", REGION)]);
    // Sent: whatever the server makes of it, it is not refused here.
    let outcome = client.execute(&one).await;
    assert!(
        !matches!(outcome, Err(Error::Incomplete { .. })),
        "{outcome:?}"
    );
    assert_eq!(sent(), 1);
}

/// The "done when": a crate outside the workspace, depending on
/// the generated crate with the client feature, runs the README's program
/// (`examples/running_statements.rs`) against a running server: it lists,
/// creates and deletes rows, and a 403 in a notice is a provider error.
#[test]
fn a_crate_outside_the_workspace_runs_the_readme_program() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::write(
        app.join("Cargo.toml"),
        format!(
            "[package]\nname = \"app\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\n\
             stackql-bindings = {{ path = {:?}, features = [\"aws-connect\", \"blocking\"] }}\n",
            root.join("generated").canonicalize().unwrap()
        ),
    )
    .unwrap();
    std::fs::copy(
        root.join("tests/examples/running_statements.rs"),
        app.join("src/main.rs"),
    )
    .unwrap();
    let target = root.join("target/standalone");
    let build = Command::new(env!("CARGO"))
        .args(["build", "-q", "--manifest-path"])
        .arg(app.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .unwrap();
    assert!(
        build.success(),
        "the README program does not build outside the workspace"
    );
    let program = target.join("debug/app");
    let run = |region: &str| {
        Command::new(&program)
            .args([&params(), region])
            .output()
            .unwrap()
    };
    let ok = run("us-west-2");
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "listed 0 association(s) in us-west-2",
            &format!("created my-instance-id LEX_BOT {ARN}"),
            "deleted: 0 association(s) left",
        ]
    );
    let denied = run("denied-1");
    let stderr = String::from_utf8_lossy(&denied.stderr);
    assert_eq!(denied.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("provider status 403"), "{stderr}");
    assert!(stderr.contains("HTTP 403"), "{stderr}");
}
