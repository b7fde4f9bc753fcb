//! A blocking client for programs without an async runtime (feature
//! `blocking`): the async [`client::Client`] on a
//! small runtime of its own.
//!
//! ```no_run
//! use stackql_runtime::blocking::Client;
//! # fn run<R: stackql_runtime::Record>(list: stackql_runtime::Select<R>) -> stackql_runtime::client::Result<()> {
//! let mut client = Client::connect("host=127.0.0.1 port=5466")?;
//! let rows: Vec<R> = client.query(&list)?;
//! # Ok(()) }
//! ```

use std::time::Duration;

use crate::client::{self, ConnectOptions, Error, Outcome, Result, Rows};
use crate::{Record, Select, Statement};

/// A blocking connection to a StackQL server; see [`client::Client`] for
/// what each method does. Its methods must not be called from inside an
/// async runtime ([`Error::InsideAsyncRuntime`]): use the async client
/// there.
#[derive(Debug)]
pub struct Client {
    runtime: tokio::runtime::Runtime,
    inner: client::Client,
}

fn outside_runtime() -> Result<()> {
    match tokio::runtime::Handle::try_current() {
        Ok(_) => Err(Error::InsideAsyncRuntime),
        Err(_) => Ok(()),
    }
}

impl Client {
    /// Connects with [`ConnectOptions::new`]`(params)`.
    pub fn connect(params: &str) -> Result<Client> {
        Client::connect_with(ConnectOptions::new(params))
    }

    /// Connects with `options`.
    pub fn connect_with(options: ConnectOptions) -> Result<Client> {
        outside_runtime()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Connect {
                target: "(none)".into(),
                cause: format!("cannot start the client's runtime: {e}"),
            })?;
        let inner = runtime.block_on(client::Client::connect_with(options))?;
        Ok(Client { runtime, inner })
    }

    /// `host:port` of the server.
    pub fn target(&self) -> &str {
        self.inner.target()
    }

    /// Changes the limit of each statement from now on (`None`: no limit).
    pub fn set_statement_timeout(&mut self, limit: Option<Duration>) {
        self.inner.set_statement_timeout(limit);
    }

    /// Runs a SELECT and decodes its rows ([`client::Client::query`]).
    pub fn query<R: Record>(&mut self, select: &Select<R>) -> Result<Vec<R>> {
        outside_runtime()?;
        self.runtime.block_on(self.inner.query(select))
    }

    /// Runs a SELECT and returns rows and notices
    /// ([`client::Client::query_with_notices`]).
    pub fn query_with_notices<R: Record>(&mut self, select: &Select<R>) -> Result<Rows<R>> {
        outside_runtime()?;
        self.runtime.block_on(self.inner.query_with_notices(select))
    }

    /// Runs a statement without a row type ([`client::Client::execute`]).
    pub fn execute<S: Statement + ?Sized>(&mut self, statement: &S) -> Result<Outcome> {
        outside_runtime()?;
        self.runtime.block_on(self.inner.execute(statement))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_server_gives_the_connect_error() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        match Client::connect(&format!("port={port}")) {
            Err(Error::Connect { target, .. }) => assert_eq!(target, format!("127.0.0.1:{port}")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn inside_a_runtime_it_refuses_instead_of_panicking() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let err = runtime.block_on(async { Client::connect("").unwrap_err() });
        assert_eq!(err, Error::InsideAsyncRuntime);
    }
}
