//! A test server that answers like a StackQL server
//! (`stackql srv --pgsrv.debug.enable=true`), built on the `pgwire` crate,
//! with a PostgreSQL database (see [`crate::emulate`]) doing the work.
//!
//! What it replays, from StackQL's source:
//! - stackql/stackql `internal/stackql/driver/driver.go`:
//!   `SplitCompoundQuery` splits the query text at every `;` outside double
//!   quotes (a `"` opens a quote, one not after `\` closes it; single
//!   quotes are not looked at); `HandleSimpleQuery` reports a failed
//!   statement as `query returns error: …`.
//! - stackql/stackql `internal/stackql/cmd/root.go`: port 5466 by default,
//!   `--pgsrv.debug.enable` sends the provider's messages to the client.
//! - stackql/psql-wire `command.go` (`handleSimpleQuery`): empty parts are
//!   skipped, an empty last part answers `OK`, only the first non-empty
//!   part runs; errors go out through `ErrorCode` (`error.go`) with SQLSTATE
//!   `XXUUU` (`codes.Uncategorized`) and severity, code and message only.
//! - stackql/psql-wire `writer.go`: columns are defined once
//!   (RowDescription, here every column text, OID 25), a result with
//!   columns and no rows sends EmptyQueryResponse, and `Complete` sends,
//!   when there are debug messages, one NoticeResponse (severity `NOTICE`,
//!   code `01000`, message `a notice level event has occurred`, the
//!   messages in its Detail) and CommandComplete with an empty tag, else
//!   CommandComplete `OK`.
//! - stackql/psql-wire `handshake.go`: no client authentication (user and
//!   database are ignored).
//!
//! Each query runs on its own PostgreSQL connection; PostgreSQL's notices
//! stand for the provider's messages (their Detail, else their message).

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use bytes::{BufMut, BytesMut};
use futures::{Sink, SinkExt};
use pgwire::api::query::SimpleQueryHandler;
use pgwire::api::results::Response;
use pgwire::api::store::PortalStore;
use pgwire::api::{ClientInfo, ClientPortalStore, PgWireServerHandlers};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::data::{DataRow, FieldDescription, RowDescription};
use pgwire::messages::response::{
    CommandComplete, EmptyQueryResponse, ErrorResponse, NoticeResponse, ReadyForQuery,
    TransactionStatus,
};
use pgwire::messages::PgWireBackendMessage;
use tokio_postgres::{AsyncMessage, SimpleQueryMessage};

/// The OID of `text`, which StackQL gives string columns.
const TEXT_OID: u32 = 25;

/// StackQL's `SplitCompoundQuery`, byte for byte.
pub fn split_compound_query(s: &str) -> Vec<&str> {
    let bytes = s.as_bytes();
    let mut parts = Vec::new();
    let (mut begin, mut in_double_quotes) = (0, false);
    for i in 0..bytes.len() {
        if bytes[i] == b';' && !in_double_quotes {
            parts.push(&s[begin..i]);
            begin = i + 1;
        } else if bytes[i] == b'"' {
            if !in_double_quotes {
                in_double_quotes = true;
            } else if i > 0 && bytes[i - 1] != b'\\' {
                in_double_quotes = false;
            }
        }
    }
    parts.push(&s[begin..]);
    parts
}

/// The queries the server ran (the parts it passed on), for tests.
pub type Log = Arc<Mutex<Vec<String>>>;

struct Handler {
    backend: String,
    log: Log,
}

fn fields(severity: &str, code: &str, message: &str, detail: Option<&str>) -> Vec<(u8, String)> {
    let mut f = vec![
        (b'S', severity.to_string()),
        (b'C', code.to_string()),
        (b'M', message.to_string()),
    ];
    if let Some(d) = detail {
        f.insert(1, (b'V', severity.to_string()));
        f.push((b'D', d.to_string()));
    }
    f
}

impl Handler {
    /// Runs one statement on PostgreSQL and answers as StackQL would.
    async fn run(&self, query: &str) -> Vec<PgWireBackendMessage> {
        if let Ok(mut log) = self.log.lock() {
            log.push(query.to_string());
        }
        let error = |message: String| {
            vec![PgWireBackendMessage::ErrorResponse(ErrorResponse::new(
                fields(
                    "ERROR",
                    "XXUUU",
                    &format!("query returns error: {message}"),
                    None,
                ),
            ))]
        };
        let (client, mut connection) =
            match tokio_postgres::connect(&self.backend, tokio_postgres::NoTls).await {
                Ok(c) => c,
                Err(e) => return error(e.to_string()),
            };
        let debug = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = Arc::clone(&debug);
        tokio::spawn(async move {
            while let Some(Ok(m)) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                if let (AsyncMessage::Notice(n), Ok(mut d)) = (m, sink.lock()) {
                    d.push(n.detail().unwrap_or(n.message()).to_string());
                }
            }
        });
        let messages = match client.simple_query(query).await {
            Ok(m) => m,
            Err(e) => {
                let message = e
                    .as_db_error()
                    .map_or(e.to_string(), |d| d.message().into());
                return error(message);
            }
        };
        let mut out = Vec::new();
        let mut columns = None;
        let mut rows = 0;
        for m in messages {
            match m {
                SimpleQueryMessage::RowDescription(cols) if columns.is_none() => {
                    let fields = cols
                        .iter()
                        .map(|c| FieldDescription::new(c.name().into(), 0, 0, TEXT_OID, -1, -1, 0))
                        .collect();
                    out.push(PgWireBackendMessage::RowDescription(RowDescription::new(
                        fields,
                    )));
                    columns = Some(cols.len());
                }
                SimpleQueryMessage::Row(row) => {
                    let mut data = BytesMut::new();
                    for i in 0..row.len() {
                        match row.get(i) {
                            Some(v) => {
                                data.put_i32(v.len() as i32);
                                data.put_slice(v.as_bytes());
                            }
                            None => data.put_i32(-1),
                        }
                    }
                    out.push(PgWireBackendMessage::DataRow(DataRow::new(
                        data,
                        row.len() as i16,
                    )));
                    rows += 1;
                }
                _ => {}
            }
        }
        if columns.is_some() && rows == 0 {
            out.push(PgWireBackendMessage::EmptyQueryResponse(
                EmptyQueryResponse::new(),
            ));
        }
        let notices = debug.lock().map(|d| d.join("\n")).unwrap_or_default();
        if notices.is_empty() {
            out.push(PgWireBackendMessage::CommandComplete(CommandComplete::new(
                "OK".into(),
            )));
        } else {
            out.push(PgWireBackendMessage::NoticeResponse(NoticeResponse::new(
                fields(
                    "NOTICE",
                    "01000",
                    "a notice level event has occurred",
                    Some(&notices),
                ),
            )));
            out.push(PgWireBackendMessage::CommandComplete(CommandComplete::new(
                String::new(),
            )));
        }
        out
    }
}

#[async_trait]
impl SimpleQueryHandler for Handler {
    async fn on_query<C>(
        &self,
        client: &mut C,
        query: pgwire::messages::simplequery::Query,
    ) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let parts = split_compound_query(&query.query);
        let mut out = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if part.is_empty() {
                if i == parts.len() - 1 {
                    out.push(PgWireBackendMessage::CommandComplete(CommandComplete::new(
                        "OK".into(),
                    )));
                    break;
                }
                continue;
            }
            out = self.run(part).await;
            break;
        }
        for m in out {
            client.feed(m).await?;
        }
        client
            .send(PgWireBackendMessage::ReadyForQuery(ReadyForQuery::new(
                TransactionStatus::Idle,
            )))
            .await?;
        Ok(())
    }

    async fn do_query<C>(&self, _client: &mut C, _query: &str) -> PgWireResult<Vec<Response>>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        Ok(Vec::new())
    }
}

struct Handlers(Arc<Handler>);

impl PgWireServerHandlers for Handlers {
    fn simple_query_handler(&self) -> Arc<impl SimpleQueryHandler> {
        Arc::clone(&self.0)
    }
}

/// A running StackQL-faithful server on 127.0.0.1; stops when dropped.
pub struct StackqlServer {
    port: u16,
    log: Log,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StackqlServer {
    /// Starts a server that runs statements on the PostgreSQL database of
    /// the tokio-postgres connection string `backend`.
    pub fn start(backend: &str) -> std::io::Result<StackqlServer> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let log = Log::default();
        let handler = Arc::new(Handler {
            backend: backend.to_string(),
            log: Arc::clone(&log),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?;
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let handlers = Arc::new(Handlers(handler));
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        accepted = listener.accept() => {
                            let Ok((socket, _)) = accepted else { continue };
                            let handlers = Arc::clone(&handlers);
                            tokio::spawn(async move {
                                let _ = pgwire::tokio::process_socket(socket, None, handlers).await;
                            });
                        }
                    }
                }
            });
            runtime.shutdown_timeout(std::time::Duration::from_secs(1));
        });
        Ok(StackqlServer {
            port,
            log,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The statements it ran, in order.
    pub fn ran(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for StackqlServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
