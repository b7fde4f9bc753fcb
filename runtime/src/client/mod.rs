//! An async client for StackQL servers (feature `client`): runs the
//! statement values of generated crates and returns typed rows and errors.
//!
//! StackQL speaks the PostgreSQL wire protocol (`stackql srv`, default port
//! 5466). The client sends each statement as one simple query through
//! [`tokio_postgres`], decodes the text columns into the statement's row
//! type ([`crate::decode_text_row`]), and turns what StackQL reports on the
//! side into errors: a provider's HTTP failure arrives as a notice (only
//! when the server runs with `--pgsrv.debug.enable=true`) and becomes
//! [`Error::Provider`] instead of an empty result.
//!
//! ```no_run
//! use stackql_runtime::client::Client;
//! # async fn run<R: stackql_runtime::Record>(list: stackql_runtime::Select<R>) -> stackql_runtime::client::Result<()> {
//! let mut client = Client::connect("host=127.0.0.1 port=5466").await?;
//! let rows: Vec<R> = client.query(&list).await?;
//! # Ok(()) }
//! ```
//!
//! A [`Client`] needs a tokio runtime (it spawns the task that drives the
//! connection); programs without one use [`crate::blocking::Client`]
//! (feature `blocking`).

mod error;
#[cfg(feature = "tls")]
mod tls;
mod wire;

use std::future::poll_fn;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_core::Stream;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_postgres::{AsyncMessage, Connection, SimpleQueryMessage};

pub use error::{Error, Result, START_SERVER};
#[cfg(feature = "tls")]
pub use tls::TlsOptions;

use crate::text::{column_index, shorten};
use crate::{decode_text_row, Record, Select, Statement};

/// StackQL's default port, used when the connection string names none.
pub const DEFAULT_PORT: u16 = 5466;

/// A notice the server sent while a statement ran, other than a provider
/// failure (those become [`Error::Provider`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// `NOTICE`, `WARNING`, ...
    pub severity: String,
    /// The SQLSTATE code (`01000` for StackQL's notices).
    pub code: String,
    /// The message.
    pub message: String,
    /// The detail: StackQL puts the provider's messages here.
    pub detail: Option<String>,
}

/// The typed rows of a query and the notices that came with them.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows<R> {
    /// The rows, in the server's order.
    pub rows: Vec<R>,
    /// Notices that are not provider failures.
    pub notices: Vec<Notice>,
}

/// What a statement without a row type (INSERT, UPDATE, DELETE, EXEC)
/// returned. StackQL's command tag is always `OK` and carries no row count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The names of the columns, if the statement returned any.
    pub columns: Vec<String>,
    /// The rows as text (`None` for SQL `NULL`), if any.
    pub rows: Vec<Vec<Option<String>>>,
    /// Notices that are not provider failures.
    pub notices: Vec<Notice>,
}

/// How to connect: the connection string and the limits.
///
/// The string is libpq's `key=value` form or a `postgresql://` URL
/// ([`tokio_postgres::Config`]). StackQL ignores user and database; the
/// user defaults to `stackql`, the host to `127.0.0.1` and the port to
/// [`DEFAULT_PORT`].
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    params: String,
    connect_timeout: Duration,
    statement_timeout: Option<Duration>,
    #[cfg(feature = "tls")]
    tls: Option<TlsOptions>,
}

impl ConnectOptions {
    /// Options for `params`, with a 10 s connect timeout and a 5 min
    /// statement timeout.
    pub fn new(params: impl Into<String>) -> Self {
        ConnectOptions {
            params: params.into(),
            connect_timeout: Duration::from_secs(10),
            statement_timeout: Some(Duration::from_secs(300)),
            #[cfg(feature = "tls")]
            tls: None,
        }
    }

    /// How long connecting (TCP, TLS and startup) may take.
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.connect_timeout = limit;
        self
    }

    /// How long each statement may take, from sending it to its last row
    /// (`None`: no limit).
    pub fn statement_timeout(mut self, limit: Option<Duration>) -> Self {
        self.statement_timeout = limit;
        self
    }

    /// Connects over TLS (required: no plaintext fallback), with a client
    /// certificate when `tls` has one.
    #[cfg(feature = "tls")]
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = Some(tls);
        self
    }
}

/// A connection to a StackQL server. Statements run one at a time
/// (`&mut self`), so each one's notices are its own.
#[derive(Debug)]
pub struct Client {
    inner: tokio_postgres::Client,
    /// The notices the connection task has kept since the last statement.
    notices: Arc<Mutex<Vec<Notice>>>,
    /// Why the connection task ended, once it has.
    lost: Arc<Mutex<Option<String>>>,
    target: String,
    statement_timeout: Option<Duration>,
}

/// An error and its sources, one line.
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

impl Client {
    /// Connects with [`ConnectOptions::new`]`(params)`.
    pub async fn connect(params: &str) -> Result<Client> {
        Client::connect_with(ConnectOptions::new(params)).await
    }

    /// Connects with `options`.
    pub async fn connect_with(options: ConnectOptions) -> Result<Client> {
        let (config, target) = parse_config(&options.params)?;
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::Connect {
                target,
                cause: "no tokio runtime is running: call from inside one, or use the blocking \
                        client (feature `blocking`)"
                    .into(),
            });
        }
        let limit = options.connect_timeout;
        let connecting = Client::open(config, &options, target.clone());
        match tokio::time::timeout(limit, connecting).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout {
                action: format!("connecting to {target}"),
                after: limit,
            }),
        }
    }

    async fn open(
        mut config: tokio_postgres::Config,
        options: &ConnectOptions,
        target: String,
    ) -> Result<Client> {
        config.connect_timeout(options.connect_timeout);
        let connect_error = |e: tokio_postgres::Error| {
            #[cfg(feature = "tls")]
            if tls::is_tls_error(&e) {
                return Error::Tls {
                    cause: describe(&e),
                };
            }
            Error::Connect {
                target: target.clone(),
                cause: describe(&e),
            }
        };
        #[cfg(feature = "tls")]
        if let Some(tls) = &options.tls {
            config.ssl_mode(tokio_postgres::config::SslMode::Require);
            let (inner, connection) = config
                .connect(tls.connector()?)
                .await
                .map_err(connect_error)?;
            return Ok(Client::start(inner, connection, target, options));
        }
        let (inner, connection) = config
            .connect(tokio_postgres::NoTls)
            .await
            .map_err(connect_error)?;
        Ok(Client::start(inner, connection, target, options))
    }

    /// Spawns the task that drives the connection and keeps its notices
    /// (tokio-postgres' own `Connection` future logs and drops them).
    fn start<S, T>(
        inner: tokio_postgres::Client,
        mut connection: Connection<S, T>,
        target: String,
        options: &ConnectOptions,
    ) -> Client
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
        T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let notices = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&notices);
        let lost = Arc::new(Mutex::new(None));
        let lost_by_task = Arc::clone(&lost);
        tokio::spawn(async move {
            loop {
                match poll_fn(|cx| connection.poll_message(cx)).await {
                    Some(Ok(AsyncMessage::Notice(n))) => {
                        if let Ok(mut kept) = kept.lock() {
                            kept.push(Notice {
                                severity: n.severity().to_string(),
                                code: n.code().code().to_string(),
                                message: n.message().to_string(),
                                detail: n.detail().map(str::to_string),
                            });
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        if let Ok(mut slot) = lost_by_task.lock() {
                            *slot = Some(describe(&e));
                        }
                        break;
                    }
                    None => break,
                }
            }
        });
        Client {
            inner,
            notices,
            lost,
            target,
            statement_timeout: options.statement_timeout,
        }
    }

    /// `host:port` of the server.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Changes the limit of each statement from now on (`None`: no limit).
    pub fn set_statement_timeout(&mut self, limit: Option<Duration>) {
        self.statement_timeout = limit;
    }

    /// Runs a SELECT and decodes its rows into `R`.
    ///
    /// Columns are matched to `R`'s fields by name; every column the
    /// statement names must be in the result. Notices other than provider
    /// failures are dropped: see [`Client::query_with_notices`].
    pub async fn query<R: Record>(&mut self, select: &Select<R>) -> Result<Vec<R>> {
        Ok(self.query_with_notices(select).await?.rows)
    }

    /// Runs a SELECT and returns its rows with the notices that came with
    /// them.
    pub async fn query_with_notices<R: Record>(&mut self, select: &Select<R>) -> Result<Rows<R>> {
        let resource = select.method().resource;
        let wanted = select.columns();
        let mut rows = Vec::new();
        let notices = self
            .run(select, |event| match event {
                Event::Columns(names) => check_columns(resource, wanted, names),
                Event::Row(number, names, values) => {
                    let row = decode_text_row::<R>(names, values).map_err(|e| {
                        let value = column_index(names, e.field)
                            .and_then(|i| values.get(i).copied().flatten())
                            .map(|v| shorten(v, 80));
                        Error::Decode {
                            resource,
                            column: e.field.to_string(),
                            row: number,
                            value,
                            message: e.message,
                        }
                    })?;
                    rows.push(row);
                    Ok(())
                }
            })
            .await?;
        Ok(Rows { rows, notices })
    }

    /// Runs a statement whose rows have no type (INSERT, UPDATE, DELETE,
    /// EXEC, or a SELECT read as text).
    pub async fn execute<S: Statement + ?Sized>(&mut self, statement: &S) -> Result<Outcome> {
        let (mut columns, mut rows) = (Vec::new(), Vec::new());
        let notices = self
            .run(statement, |event| {
                match event {
                    Event::Columns(names) => {
                        columns = names.iter().map(|n| n.to_string()).collect();
                    }
                    Event::Row(_, _, values) => {
                        rows.push(values.iter().map(|v| v.map(str::to_string)).collect())
                    }
                }
                Ok(())
            })
            .await?;
        Ok(Outcome {
            columns,
            rows,
            notices,
        })
    }

    /// Sends `statement` as one simple query within the statement timeout,
    /// feeds its columns and rows to `sink`, and returns its notices, or
    /// the provider failure one of them reports.
    async fn run<S, F>(&mut self, statement: &S, mut sink: F) -> Result<Vec<Notice>>
    where
        S: Statement + ?Sized,
        F: FnMut(Event<'_>) -> Result<()>,
    {
        if let Some(problem) = statement.incomplete() {
            return Err(Error::Incomplete {
                resource: statement.method().resource,
                problem,
            });
        }
        let sql = statement.to_sql();
        wire::check_one_statement(&sql)?;
        self.take_notices();
        let limit = self.statement_timeout;
        let running = self.stream(&sql, statement.method().resource, &mut sink);
        let result = match limit {
            Some(limit) => match tokio::time::timeout(limit, running).await {
                Ok(result) => result,
                Err(_) => Err(Error::Timeout {
                    action: format!("the statement `{}`", shorten(&sql, 100)),
                    after: limit,
                }),
            },
            None => running.await,
        };
        let notices = self.take_notices();
        // A provider failure explains whatever else went wrong.
        if let Some((status, message)) = notices.iter().find_map(wire::provider_failure) {
            return Err(Error::Provider {
                resource: statement.method().resource,
                status,
                message,
            });
        }
        result.map(|()| notices)
    }

    fn take_notices(&self) -> Vec<Notice> {
        self.notices
            .lock()
            .map(|mut kept| std::mem::take(&mut *kept))
            .unwrap_or_default()
    }

    async fn stream<F>(&self, sql: &str, resource: &'static str, sink: &mut F) -> Result<()>
    where
        F: FnMut(Event<'_>) -> Result<()>,
    {
        let stream = self
            .inner
            .simple_query_raw(sql)
            .await
            .map_err(|e| self.query_error(e))?;
        let mut stream = pin!(stream);
        let mut next = None;
        let mut number = 0;
        loop {
            let message = match next.take() {
                Some(m) => m,
                None => match poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
                    Some(m) => m.map_err(|e| self.query_error(e))?,
                    None => return Ok(()),
                },
            };
            // StackQL sends RowDescription even for no rows (then
            // EmptyQueryResponse, which tokio-postgres reports as a
            // CommandComplete), and the tag `OK`: neither needs handling.
            let SimpleQueryMessage::RowDescription(columns) = message else {
                continue;
            };
            let names: Vec<&str> = columns.iter().map(|c| c.name()).collect();
            sink(Event::Columns(&names))?;
            loop {
                let Some(m) = poll_fn(|cx| stream.as_mut().poll_next(cx)).await else {
                    // The stream is done: polling it again would fail.
                    return Ok(());
                };
                match m.map_err(|e| self.query_error(e))? {
                    SimpleQueryMessage::Row(row) => {
                        number += 1;
                        let values = (0..row.len())
                            .map(|i| row.try_get(i))
                            .collect::<std::result::Result<Vec<_>, _>>()
                            .map_err(|e| Error::Decode {
                                resource,
                                column: String::new(),
                                row: number,
                                value: None,
                                message: describe(&e),
                            })?;
                        sink(Event::Row(number, &names, &values))?;
                    }
                    other @ SimpleQueryMessage::RowDescription(_) => {
                        next = Some(other);
                        break;
                    }
                    _ => {}
                }
            }
        }
    }

    fn query_error(&self, e: tokio_postgres::Error) -> Error {
        if let Some(db) = e.as_db_error() {
            let code = db.code().code();
            // Connection exceptions and operator intervention (shutdown).
            if code.starts_with("08") || code.starts_with("57P") {
                return Error::Disconnected {
                    target: self.target.clone(),
                    cause: format!("{} ({code})", db.message()),
                };
            }
            return Error::Server {
                code: code.to_string(),
                message: db.message().to_string(),
                detail: db.detail().map(str::to_string),
            };
        }
        let lost = self.lost.lock().ok().and_then(|slot| slot.clone());
        Error::Disconnected {
            target: self.target.clone(),
            cause: lost.unwrap_or_else(|| describe(&e)),
        }
    }
}

/// What [`Client::run`] feeds its sink.
enum Event<'a> {
    /// The result's column names.
    Columns(&'a [&'a str]),
    /// A row: its number (from 1), the column names and its values.
    Row(usize, &'a [&'a str], &'a [Option<&'a str>]),
}

/// Every column the statement names is in the result.
fn check_columns(resource: &'static str, wanted: &[String], names: &[&str]) -> Result<()> {
    match wanted.iter().find(|w| column_index(names, w).is_none()) {
        None => Ok(()),
        Some(missing) => Err(Error::Decode {
            resource,
            column: missing.clone(),
            row: 0,
            value: None,
            message: format!(
                "the result has no such column (it has: {})",
                names.join(", ")
            ),
        }),
    }
}

/// The parsed connection string with StackQL's defaults, and its
/// `host:port` list for messages.
fn parse_config(params: &str) -> Result<(tokio_postgres::Config, String)> {
    let mut config: tokio_postgres::Config = params.parse().map_err(|e| Error::Connect {
        target: params.to_string(),
        cause: format!("invalid connection string: {}", describe(&e)),
    })?;
    if config.get_user().is_none() {
        config.user("stackql");
    }
    if config.get_hosts().is_empty() {
        config.host("127.0.0.1");
    }
    if config.get_ports().is_empty() {
        config.port(DEFAULT_PORT);
    }
    let ports = config.get_ports();
    let target = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let host = match host {
                tokio_postgres::config::Host::Tcp(h) => h.clone(),
                #[cfg(unix)]
                tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
            };
            let port = ports.get(i).or(ports.first()).unwrap_or(&DEFAULT_PORT);
            format!("{host}:{port}")
        })
        .collect::<Vec<_>>()
        .join(", ");
    Ok((config, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_strings_get_stackql_defaults() {
        let (config, target) = parse_config("").unwrap();
        assert_eq!(target, "127.0.0.1:5466");
        assert_eq!(config.get_user(), Some("stackql"));
        let (_, target) = parse_config("host=db port=7000").unwrap();
        assert_eq!(target, "db:7000");
        match parse_config("host=a port=notaport") {
            Err(Error::Connect { cause, .. }) => assert!(cause.contains("invalid"), "{cause}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_statement_columns_are_named() {
        let err = check_columns("p.s.r", &["a".into(), "b".into()], &["A"]).unwrap_err();
        assert!(
            err.to_string()
                .contains("column `b` of p.s.r: the result has no such column (it has: A)"),
            "{err}"
        );
        check_columns("p.s.r", &[], &[]).unwrap();
    }

    #[tokio::test]
    async fn no_server_gives_the_connect_error() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let err = Client::connect(&format!("host=127.0.0.1 port={port}"))
            .await
            .unwrap_err();
        let Error::Connect { target, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(target, &format!("127.0.0.1:{port}"));
        assert!(err.to_string().contains(START_SERVER), "{err}");
    }

    #[tokio::test]
    async fn a_server_that_never_answers_gives_the_connect_timeout() {
        // The kernel accepts the TCP connection; nobody answers the startup.
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = silent.local_addr().unwrap().port();
        let limit = Duration::from_millis(300);
        let options = ConnectOptions::new(format!("port={port}")).connect_timeout(limit);
        let err = Client::connect_with(options).await.unwrap_err();
        assert_eq!(
            err,
            Error::Timeout {
                action: format!("connecting to 127.0.0.1:{port}"),
                after: limit
            }
        );
    }
}
