//! Permissions per operation, a view's inherited from its base resource.

use crate::diagnostic::{Diagnostic, Kind, Severity};
use crate::ident;
use crate::model::{Operation, OperationPermissions, Permissions, Resource};
use std::collections::BTreeMap;

/// The name of the resource whose permissions `res` inherits: a view's
/// `Permissions` section links to its base resource's, in the same service.
pub(super) fn base_name(res: &Resource) -> Option<&str> {
    match &res.permissions {
        Permissions::SeeAlso { resource, .. } => Some(resource),
        _ => None,
    }
}

/// Permissions per operation (those the page lists, or a view's inherited
/// from its `base` resource, the one [`base_name`] names), and whether the
/// resource goes through AWS Cloud Control.
pub(super) fn resolve(
    res: &Resource,
    base: Option<&Resource>,
    cloud_control_default: bool,
    diags: &mut Vec<Diagnostic>,
) -> (BTreeMap<Operation, Vec<String>>, bool) {
    // `aws` (the Cloud Control provider up to 2025) and `awscc` (its
    // name since StackQL split off a native `aws` provider).
    let cloud_control =
        cloud_control_default && matches!(res.id.provider.as_str(), "aws" | "awscc");
    match &res.permissions {
        Permissions::None => (BTreeMap::new(), false),
        Permissions::Listed { operations } => (listed(operations), cloud_control),
        Permissions::SeeAlso {
            href,
            resource,
            line,
        } => match base.map(|b| &b.permissions) {
            Some(Permissions::Listed { operations }) => {
                let wanted = view_operations(res);
                let perms = listed(operations)
                    .into_iter()
                    .filter(|(op, _)| wanted.contains(op))
                    .collect();
                (perms, cloud_control)
            }
            _ => {
                let base_id = format!("{}.{}.{resource}", res.id.provider, res.id.service);
                diags.push(Diagnostic::new(
                    &res.source,
                    *line,
                    Severity::Warning,
                    Kind::PermissionsLink,
                    format!(
                        "expected the permissions link `{href}` to lead to a resource page with listed permissions (`{base_id}`), found none; the view gets no policy"
                    ),
                ));
                (BTreeMap::new(), false)
            }
        },
    }
}

fn listed(ops: &[OperationPermissions]) -> BTreeMap<Operation, Vec<String>> {
    ops.iter()
        .map(|o| (o.operation, o.actions.clone()))
        .collect()
}

/// The operations a view's SELECT performs: a list-only view lists; a tags
/// view lists and reads each item (tags are not in list results).
fn view_operations(res: &Resource) -> Vec<Operation> {
    if res.id.resource.ends_with("_tags") {
        vec![Operation::List, Operation::Read]
    } else {
        vec![Operation::List]
    }
}

/// The `permissions` module's constant per operation (`CREATE`, ...).
pub(super) fn constants(
    permissions: &BTreeMap<Operation, Vec<String>>,
) -> BTreeMap<Operation, String> {
    permissions
        .keys()
        .map(|op| (*op, ident::screaming(op.as_str())))
        .collect()
}

/// The operations a method performs, among those the page documents
/// permissions for; `identifier` is the resource's
/// [`Resource::identifier_wire`].
pub(super) fn of_method(
    res: &Resource,
    m: &crate::model::Method,
    identifier: &str,
    permissions: &BTreeMap<Operation, Vec<String>>,
) -> Vec<Operation> {
    use crate::model::Verb;
    if permissions.is_empty() {
        return Vec::new();
    }
    match m.verb {
        Verb::Insert => vec![Operation::Create],
        Verb::Update | Verb::Replace => vec![Operation::Update],
        Verb::Delete => vec![Operation::Delete],
        Verb::Select if m.required_params.iter().any(|p| p == identifier) => {
            vec![Operation::Read]
        }
        Verb::Select if res.id.resource.ends_with("_tags") => {
            vec![Operation::List, Operation::Read]
        }
        Verb::Select => vec![Operation::List],
        Verb::Exec => Vec::new(),
    }
    .into_iter()
    .filter(|op| permissions.contains_key(op))
    .collect()
}
