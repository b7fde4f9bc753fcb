//! The client's one error type.

use std::fmt;
use std::time::Duration;

/// What [`Client`](super::Client) methods return.
pub type Result<T> = std::result::Result<T, Error>;

/// How to start a StackQL server that this client can reach and that
/// reports provider errors (as notices, see [`Error::Provider`]).
pub const START_SERVER: &str = "stackql srv --pgsrv.port 5466 --pgsrv.debug.enable=true";

/// Everything that can go wrong running a statement; each variant's message
/// says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// No connection could be made: no server listens there, the
    /// connection string is invalid, or the server refused the connection.
    Connect {
        /// `host:port` tried (all of them, comma-separated).
        target: String,
        /// Why it failed.
        cause: String,
    },
    /// The server rejected the statement (StackQL reports planning errors
    /// as SQLSTATE `XXUUU`, message `query returns error: …`).
    Server {
        /// The SQLSTATE code.
        code: String,
        /// The server's message.
        message: String,
        /// The server's detail, if any.
        detail: Option<String>,
    },
    /// The provider's API refused the request StackQL made for the
    /// statement (reported by StackQL as a notice whose detail holds the
    /// HTTP status and response body).
    Provider {
        /// The resource the statement is about (`aws.s3.buckets`).
        resource: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The provider's messages as StackQL relayed them.
        message: String,
    },
    /// A value of the result does not fit the row type.
    Decode {
        /// The resource the statement is about.
        resource: &'static str,
        /// The column (the row type's field).
        column: String,
        /// The row number in the result, from 1; 0 when the result as a
        /// whole does not fit (a column of the statement is missing).
        row: usize,
        /// The value, shortened to at most 80 characters; `None` for SQL
        /// `NULL` or no value.
        value: Option<String>,
        /// What was expected.
        message: String,
    },
    /// The statement was not sent: as it was built it is not SQL StackQL
    /// accepts (see [`Statement::incomplete`](crate::Statement::incomplete)).
    Incomplete {
        /// The resource the statement is about (`github.repos.repos`).
        resource: &'static str,
        /// What it lacks, and what to do.
        problem: &'static str,
    },
    /// The statement was not sent: StackQL would not receive it intact.
    UnsafeStatement {
        /// The literal value (or text) that holds the problem.
        value: String,
        /// Why it cannot be sent.
        reason: String,
    },
    /// Connecting or running a statement took longer than allowed.
    Timeout {
        /// What timed out (`connecting to 127.0.0.1:5466`, `SELECT … FROM aws.s3.buckets`).
        action: String,
        /// The limit.
        after: Duration,
    },
    /// TLS could not be set up: unreadable certificates or keys, or the
    /// handshake failed.
    Tls {
        /// Why.
        cause: String,
    },
    /// The connection was lost while the statement ran (the server
    /// stopped, or the network failed).
    Disconnected {
        /// `host:port` of the server.
        target: String,
        /// What the client saw.
        cause: String,
    },
    /// The blocking client was called from inside an async runtime, where
    /// blocking would stall the runtime's thread.
    InsideAsyncRuntime,
}

impl Error {
    /// What a caller should do about a provider error of this HTTP status.
    fn provider_advice(status: u16) -> &'static str {
        match status {
            401 => "check the credentials the StackQL server uses for this provider",
            403 => {
                "grant the credentials the StackQL server uses the IAM actions the statement \
                 needs (`RequiresActions::required_actions`, or a `PolicyBuilder` document)"
            }
            404 => "check that the resource exists (identifier and region)",
            408 | 429 => "retry later: the provider throttled or timed out the request",
            500..=599 => "retry later: the provider failed",
            _ => "check the statement's properties against the provider's documentation",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Connect { target, cause } => write!(
                f,
                "cannot connect to a StackQL server at {target}: {cause}; check host and port, \
                 or start a server there: `{START_SERVER}`"
            ),
            Error::Server {
                code,
                message,
                detail,
            } => {
                write!(
                    f,
                    "the server rejected the statement (SQLSTATE {code}): {message}"
                )?;
                if let Some(d) = detail {
                    write!(f, " ({d})")?;
                }
                f.write_str(
                    "; check the resource, columns and required parameters against the \
                     provider version the server has loaded",
                )
            }
            Error::Provider {
                resource,
                status,
                message,
            } => write!(
                f,
                "the provider refused the request for {resource} with HTTP {status}: {message}; {}",
                Error::provider_advice(*status)
            ),
            Error::Decode {
                resource,
                column,
                row,
                value,
                message,
            } => {
                match (row, value) {
                    (0, _) => write!(f, "cannot decode column `{column}` of {resource}")?,
                    (_, Some(v)) => write!(
                        f,
                        "cannot decode column `{column}` of row {row} of {resource} from {v:?}"
                    )?,
                    (_, None) => write!(
                        f,
                        "cannot decode column `{column}` of row {row} of {resource} from NULL"
                    )?,
                }
                write!(
                    f,
                    ": {message}; the server's schema differs from the one the bindings were \
                     generated from: regenerate them from the provider docs the server uses"
                )
            }
            Error::Incomplete { resource, problem } => {
                write!(f, "statement on {resource} not sent: it {problem}")
            }
            Error::UnsafeStatement { value, reason } => {
                write!(f, "statement not sent: the value {value:?} {reason}")
            }
            Error::Timeout { action, after } => write!(
                f,
                "{action} did not finish within {after:?}; raise the limit \
                 (`ConnectOptions::connect_timeout` / `statement_timeout`) or check that the \
                 server and the provider respond"
            ),
            Error::Tls { cause } => write!(
                f,
                "TLS failed: {cause}; check the CA certificate, the client certificate and key \
                 (PEM) and that the server was started with TLS"
            ),
            Error::Disconnected { target, cause } => write!(
                f,
                "the connection to {target} was lost while the statement ran: {cause}; \
                 reconnect (`Client::connect`) and run the statement again if it is safe to \
                 repeat (a create or delete may have been applied)"
            ),
            Error::InsideAsyncRuntime => f.write_str(
                "the blocking client cannot run inside an async runtime; use \
                 `stackql_runtime::client::Client` there (or call from `spawn_blocking`)",
            ),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_to_do() {
        let connect = Error::Connect {
            target: "127.0.0.1:5466".into(),
            cause: "connection refused".into(),
        }
        .to_string();
        assert!(connect.contains("127.0.0.1:5466"), "{connect}");
        assert!(connect.contains(START_SERVER), "{connect}");
        let denied = Error::Provider {
            resource: "aws.s3.buckets",
            status: 403,
            message: "AccessDenied".into(),
        }
        .to_string();
        assert!(denied.contains("HTTP 403: AccessDenied"), "{denied}");
        assert!(denied.contains("IAM actions"), "{denied}");
        assert!(Error::Provider {
            resource: "r",
            status: 503,
            message: String::new()
        }
        .to_string()
        .contains("retry later"));
    }
}
