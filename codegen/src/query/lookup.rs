//! From a request to what it names: the operations on a resource, or an
//! error naming what exists instead.

use super::request::Request;
use super::Error;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Operation, PageKind};
use crate::parse::Page;
use crate::resolve::RResource;
use crate::suggest;
use std::collections::BTreeSet;
use std::path::Path;

/// Whether a diagnostic is about a page's permissions (links, lists, actions).
pub(crate) fn about_permissions(d: &Diagnostic) -> bool {
    d.severity >= Severity::Warning && d.kind.concerns_permissions()
}

/// The operations a resource documents permissions for.
fn documented(r: &RResource) -> Vec<Operation> {
    r.permissions.keys().copied().collect()
}

/// The operations `q.what` stands for on `r`, each with documented
/// permissions: an operation name (any case), else a method name (exact,
/// then any case) standing for the operations that method performs.
/// `diags` explain a resource without permissions.
pub(crate) fn operations(
    q: &Request,
    r: &RResource,
    diags: &[Diagnostic],
) -> Result<Vec<Operation>, Error> {
    let id = q.id();
    let ops = if let Some(op) = Operation::parse(q.what) {
        vec![op]
    } else {
        let method = r
            .methods
            .iter()
            .find(|m| m.method.name == q.what)
            .or_else(|| {
                r.methods
                    .iter()
                    .find(|m| m.method.name.eq_ignore_ascii_case(q.what))
            });
        let Some(m) = method else {
            return Err(Error::UnknownOperation {
                arg: q.arg.to_string(),
                what: q.what.to_string(),
                id,
                methods: r.methods.iter().map(|m| m.method.name.clone()).collect(),
            });
        };
        if m.operations.is_empty() && !r.permissions.is_empty() {
            return Err(Error::MethodWithoutOperations {
                arg: q.arg.to_string(),
                method: m.method.name.clone(),
                verb: m.method.verb,
                id,
                documented: documented(r),
            });
        }
        m.operations.clone()
    };
    if r.permissions.is_empty() {
        return Err(Error::NoPermissions {
            arg: q.arg.to_string(),
            id,
            page: r.res.source.clone(),
            why: diags
                .iter()
                .filter(|d| d.file == r.res.source && about_permissions(d))
                .cloned()
                .collect(),
        });
    }
    match ops.iter().find(|op| !r.permissions.contains_key(op)) {
        Some(op) => Err(Error::UndocumentedOperation {
            arg: q.arg.to_string(),
            id,
            operation: *op,
            documented: documented(r),
        }),
        None => Ok(ops),
    }
}

/// The error for a request whose resource is not among `pages`: the page
/// that names it and could not be read, or the closest level that exists
/// (resources of its service, services of its provider, providers) with
/// the names to suggest.
pub(crate) fn unknown_resource(q: &Request, pages: &[Page], specs: &Path) -> Error {
    let ids: BTreeSet<(&str, &str, &str)> = pages
        .iter()
        .filter_map(|p| p.resource.as_ref())
        .map(|r| {
            (
                r.id.provider.as_str(),
                r.id.service.as_str(),
                r.id.resource.as_str(),
            )
        })
        .collect();
    // A page for it that could not be read.
    let tail = format!("{}/{}/index.md", q.service, q.resource);
    if let Some(p) = pages.iter().find(|p| {
        p.kind == PageKind::Resource
            && p.resource.is_none()
            && (p.source == tail || p.source.ends_with(&format!("/{tail}")))
    }) {
        return Error::UnreadablePage {
            arg: q.arg.to_string(),
            page: p.source.clone(),
            id: q.id(),
            first: p
                .diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
                .map(|d| Box::new(d.clone())),
        };
    }
    let in_service = |(p, s, _): &&(&str, &str, &str)| *p == q.provider && *s == q.service;
    let in_provider = |(p, _, _): &&(&str, &str, &str)| *p == q.provider;
    let (known, wanted, names): (String, &str, BTreeSet<&str>) =
        if ids.iter().any(|i| in_service(&i)) {
            (
                format!("resources of `{}.{}`", q.provider, q.service),
                q.resource,
                ids.iter().filter(in_service).map(|(_, _, r)| *r).collect(),
            )
        } else if ids.iter().any(|i| in_provider(&i)) {
            (
                format!("services of `{}`", q.provider),
                q.service,
                ids.iter().filter(in_provider).map(|(_, s, _)| *s).collect(),
            )
        } else {
            (
                "providers".to_string(),
                q.provider,
                ids.iter().map(|(p, _, _)| *p).collect(),
            )
        };
    if names.is_empty() {
        return Error::NoResources {
            arg: q.arg.to_string(),
            id: q.id(),
            specs: specs.display().to_string(),
        };
    }
    Error::UnknownResource {
        arg: q.arg.to_string(),
        id: q.id(),
        specs: specs.display().to_string(),
        known,
        suggestions: suggest::closest(wanted, &names),
    }
}
