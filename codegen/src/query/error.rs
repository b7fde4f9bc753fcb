//! What can go wrong with a policy request, and what is only worth a warning.

use crate::diagnostic::Diagnostic;
use crate::model::{Operation, Verb};

/// Why a policy request could not be answered. Each message names the
/// request (`OP`) it is about and what exists instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request is not `provider.service.resource:operation`.
    #[error(
        "`{arg}`: expected `provider.service.resource:operation`, e.g. `aws.s3.buckets:create` \
         (operation: create, read, update, delete, list or a method name)"
    )]
    Usage {
        /// The request as given.
        arg: String,
    },
    /// The specs directory could not be read.
    #[error(transparent)]
    Specs(#[from] crate::Error),
    /// The page describing the resource is there but could not be parsed.
    #[error("`{arg}`: the page {page} describing `{id}` could not be read{}", first.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    UnreadablePage {
        /// The request as given.
        arg: String,
        /// The page, relative to the specs.
        page: String,
        /// The resource id requested.
        id: String,
        /// The page's first error.
        first: Option<Box<Diagnostic>>,
    },
    /// The specs hold no resource pages at all.
    #[error("`{arg}`: no resource `{id}`: {specs} has no resource pages")]
    NoResources {
        /// The request as given.
        arg: String,
        /// The resource id requested.
        id: String,
        /// The specs directory.
        specs: String,
    },
    /// No resource has the requested id.
    #[error("`{arg}`: no resource `{id}` in {specs}; {known}: {suggestions}")]
    UnknownResource {
        /// The request as given.
        arg: String,
        /// The resource id requested.
        id: String,
        /// The specs directory.
        specs: String,
        /// The closest level that exists: `resources of `aws.s3``,
        /// `services of `aws`` or `providers`.
        known: String,
        /// The names to suggest at that level (the closest twelve when
        /// there are more, with their count).
        suggestions: String,
    },
    /// The operation is neither an operation name nor a method of the resource.
    #[error(
        "`{arg}`: `{what}` is neither an operation (create, read, update, delete, list) nor a method of `{id}` \
         (its methods: {})",
        if methods.is_empty() { "none".to_string() } else { methods.join(", ") }
    )]
    UnknownOperation {
        /// The request as given.
        arg: String,
        /// The operation or method name given.
        what: String,
        /// The resource id.
        id: String,
        /// The resource's method names.
        methods: Vec<String>,
    },
    /// The method performs none of the operations the page documents.
    #[error(
        "`{arg}`: the method `{method}` ({verb}) of `{id}` performs none of the operations the page documents \
         permissions for ({})",
        list(documented)
    )]
    MethodWithoutOperations {
        /// The request as given.
        arg: String,
        /// The method.
        method: String,
        /// Its verb.
        verb: Verb,
        /// The resource id.
        id: String,
        /// The operations the page documents permissions for.
        documented: Vec<Operation>,
    },
    /// The resource documents no permissions at all.
    #[error(
        "`{arg}`: `{id}` ({page}) documents no IAM permissions{}",
        if why.is_empty() {
            " (its page has no Permissions section)".to_string()
        } else {
            format!(":{}", why.iter().map(|d| format!("\n  {d}")).collect::<String>())
        }
    )]
    NoPermissions {
        /// The request as given.
        arg: String,
        /// The resource id.
        id: String,
        /// Its page.
        page: String,
        /// What the page says about its permissions (links, lists, actions).
        why: Vec<Diagnostic>,
    },
    /// The resource documents no permissions for the operation.
    #[error(
        "`{arg}`: `{id}` documents no permissions for {operation}; it documents: {}",
        list(documented)
    )]
    UndocumentedOperation {
        /// The request as given.
        arg: String,
        /// The resource id.
        id: String,
        /// The operation requested.
        operation: Operation,
        /// The operations it documents permissions for.
        documented: Vec<Operation>,
    },
    /// The requests allow nothing: no policy to give.
    #[error(
        "no IAM actions for {}: the pages list none for these operations{}; not printing an empty policy",
        requests.join(" "),
        if *cloud_control { "" } else { " (Cloud Control actions are off: --no-cloud-control)" }
    )]
    EmptyPolicy {
        /// Every request as given.
        requests: Vec<String>,
        /// Whether Cloud Control actions were on.
        cloud_control: bool,
    },
    /// The merged policy breaks the IAM grammar or its quotas (a bug).
    #[error("the policy is not valid: {0}")]
    Invalid(String),
}

/// `Create, Read, List`.
fn list(ops: &[Operation]) -> String {
    ops.iter()
        .map(|op| op.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every error of a policy request, one per line.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct Errors(pub Vec<Error>);

/// Something about a policy that is worth saying but does not stop it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// Two pages give a requested resource's id; the first is used.
    Duplicate {
        /// The resource id.
        id: String,
        /// The page used.
        first: String,
        /// The page ignored.
        second: String,
    },
    /// The page lists no actions for an operation requested.
    NoActions {
        /// The resource's page.
        page: String,
        /// The operation.
        operation: Operation,
        /// The request as given.
        arg: String,
    },
    /// The page grants every action for an operation requested.
    EveryAction {
        /// The resource's page.
        page: String,
        /// The operation.
        operation: Operation,
        /// The request as given.
        arg: String,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::Duplicate { id, first, second } => {
                write!(
                    f,
                    "`{id}` is described by {first} and {second}; using the first"
                )
            }
            Warning::NoActions {
                page,
                operation,
                arg,
            } => write!(f, "{page} lists no actions for {operation} ({arg})"),
            Warning::EveryAction {
                page,
                operation,
                arg,
            } => write!(
                f,
                "{page} grants every action (`*`) for {operation}; kept as written ({arg})"
            ),
        }
    }
}
