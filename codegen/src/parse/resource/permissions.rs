//! The `## Permissions` section: IAM actions per operation.

use super::Ctx;
use crate::diagnostic::{Kind, Severity};
use crate::model::*;
use crate::parse::blocks::{Block, CodeBlock, Section};
use crate::parse::norm;

pub(super) fn permissions(cx: &mut Ctx, sections: &[Section]) -> Permissions {
    let Some(start) = sections
        .iter()
        .position(|s| s.level == 2 && norm(&s.title) == "permissions")
    else {
        return Permissions::None;
    };
    let head = &sections[start];
    let mut operations = Vec::new();
    for s in sections[start + 1..].iter().take_while(|s| s.level > 2) {
        let code = s.blocks.iter().find_map(|b| match b {
            Block::Code(c) => Some(c),
            _ => None,
        });
        operations.extend(operation_list(cx, "heading", &s.title, s.line, code));
    }
    if operations.is_empty() {
        // The lists in tabs, one code block per operation
        // (`<TabItem value="create">`), rather than under headings.
        for code in head.blocks.iter().filter_map(|b| match b {
            Block::Code(c) => Some(c),
            _ => None,
        }) {
            if let Some(tab) = code.tab.as_deref() {
                operations.extend(operation_list(cx, "tab", tab, code.line, Some(code)));
            }
        }
    }
    // A malformed action list yields a diagnostic, never a policy: the
    // resource keeps its bindings but gets no permissions at all.
    if cx.diags.iter().any(|d| d.kind == Kind::BadAction) {
        cx.say(
            head.line,
            Severity::Warning,
            Kind::PermissionsDropped,
            "the permissions lists hold malformed actions (see above); no policy is generated for this resource",
        );
        return Permissions::None;
    }
    if !operations.is_empty() {
        return Permissions::Listed { operations };
    }
    let link = head.blocks.iter().find_map(|b| match b {
        Block::Paragraph(p) => p.links.first().map(|l| (l.clone(), p.line)),
        _ => None,
    });
    match link {
        Some((href, line)) => {
            let path = href.split('#').next().unwrap_or("");
            let resource = path
                .split('/')
                .rfind(|s| !s.is_empty())
                .unwrap_or("")
                .to_string();
            Permissions::SeeAlso {
                href,
                resource,
                line,
            }
        }
        None => {
            cx.say(
                head.line,
                Severity::Warning,
                Kind::PermissionsEmpty,
                "expected `### Create`/`Read`/... lists or a link to another resource's permissions, found neither",
            );
            Permissions::None
        }
    }
}

/// The operation a permissions heading or tab (`what`) named `label`
/// lists the actions of in `code`; `None`, said, when `label` names no
/// operation or no list follows.
fn operation_list(
    cx: &mut Ctx,
    what: &str,
    label: &str,
    line: usize,
    code: Option<&CodeBlock>,
) -> Option<OperationPermissions> {
    let Some(op) = Operation::parse(label) else {
        cx.say(
            line,
            Severity::Warning,
            Kind::UnknownOperation,
            format!(
                "expected a permissions {what} Create, Read, Update, Delete or List, found `{label}`"
            ),
        );
        return None;
    };
    let Some(code) = code else {
        cx.say(
            line,
            Severity::Error,
            Kind::PermissionsWithoutList,
            format!("expected a code block listing the {op} actions, found none"),
        );
        return None;
    };
    Some(OperationPermissions {
        operation: op,
        actions: actions(cx, code),
        line,
    })
}

/// A well-formed IAM action: `service-prefix:ActionName` (wildcards allowed).
pub(super) fn valid_action(a: &str) -> bool {
    a != "*" && stackql_runtime::policy::is_valid_action(a)
}

fn actions(cx: &mut Ctx, code: &CodeBlock) -> Vec<String> {
    let mut out = Vec::new();
    let items: Vec<&str> = code.code.split(',').collect();
    let mut line = code.line + 1;
    for (i, raw) in items.iter().enumerate() {
        let a = raw.trim();
        let lead = &raw[..raw.len() - raw.trim_start().len()];
        let here = line + lead.matches('\n').count();
        line += raw.matches('\n').count();
        if a.is_empty() {
            let what = if i + 1 == items.len() {
                "a trailing comma"
            } else {
                "an empty entry"
            };
            if items.len() > 1 {
                cx.say(
                    here,
                    Severity::Warning,
                    Kind::BadAction,
                    format!("expected an IAM action `service:Action`, found {what}"),
                );
            }
            continue;
        }
        if a == "*" {
            cx.say(
                here,
                Severity::Warning,
                Kind::WildcardAction,
                "the page grants every action (`*`) for this operation; kept as written",
            );
        } else if !valid_action(a) {
            cx.say(
                here,
                Severity::Warning,
                Kind::BadAction,
                format!(
                    "expected an IAM action `service:Action`, found `{}`",
                    a.escape_debug()
                ),
            );
            continue;
        }
        out.push(a.to_string());
    }
    out
}
