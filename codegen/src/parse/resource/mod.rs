//! Sections of a resource page → [`Resource`].

mod definition;
mod examples;
mod fields;
mod methods;
mod permissions;

use super::blocks::{Block, Section, Table};
use super::{norm, overview, plain};
use crate::diagnostic::{Diagnostic, Kind, Severity};
use crate::model::*;
use examples::{examples, identifier, insert_spec};
use fields::{fields, Fields};
use methods::methods;
use permissions::permissions;

pub(super) struct Ctx<'a> {
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    pub(super) fn say(&mut self, line: usize, sev: Severity, kind: Kind, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::new(self.file, line, sev, kind, msg));
    }
}

/// Builds the resource, pushing diagnostics; `None` when it cannot be built.
pub fn build(file: &str, sections: &[Section], diags: &mut Vec<Diagnostic>) -> Option<Resource> {
    let mut cx = Ctx { file, diags };
    let Some((ov_line, ov)) = overview(sections) else {
        let line = sections.get(1).map_or(1, |s| s.line);
        cx.say(
            line,
            Severity::Error,
            Kind::MissingOverview,
            "expected an `## Overview` section with a Name/Type/Id table, found none",
        );
        return None;
    };
    let get = |k: &str| ov.iter().find(|(l, _)| l == k).map(|(_, v)| v.clone());
    let Some(id_text) = get("id").map(|v| plain(&v)) else {
        cx.say(
            ov_line,
            Severity::Error,
            Kind::MissingId,
            "expected an `Id` row (`provider.service.resource`) in the Overview table, found none",
        );
        return None;
    };
    let id = parse_id(&mut cx, ov_line, &id_text)?;
    let description = get("description").map(|d| d.trim().to_string());
    // The first paragraph before the Overview that is no `import` and not
    // in a Docusaurus admonition (`:::info[Title]` ... `:::`), which some
    // generators put before the summary.
    let mut admonition = false;
    let summary = sections
        .iter()
        .take_while(|s| norm(&s.title) != "overview")
        .flat_map(|s| &s.blocks)
        .find_map(|b| match b {
            Block::Paragraph(p) => {
                let t = p.text.trim();
                let was = admonition;
                if t.starts_with(":::") && !admonition {
                    admonition = true;
                }
                // Its closing `:::` may end the paragraph of its text.
                if admonition && (t == ":::" || t.ends_with(" :::")) {
                    admonition = false;
                    return None;
                }
                let text = !was && !admonition && !t.starts_with("import ") && !t.is_empty();
                text.then(|| p.text.clone())
            }
            _ => None,
        });
    // The page's "For more information, see `AWS::EC2::NatGateway`" names
    // its own type; a description may name others first ("... a route
    // (`AWS::EC2::Route`) to ...").
    let more_information = paragraphs(sections)
        .filter(|t| t.trim_start().starts_with("For more information"))
        .find_map(|t| find_cloud_type(t));
    let cloud_type = more_information.or_else(|| {
        description
            .iter()
            .chain(paragraphs(sections))
            .find_map(|t| find_cloud_type(t))
    });
    let name = get("name")
        .map(|n| plain(&n))
        .unwrap_or_else(|| id.resource.clone());
    let singular = summary
        .as_deref()
        .and_then(find_singular)
        .filter(|s| *s != name);

    let examples = examples(&mut cx, sections);
    let mut methods = methods(&mut cx, sections, &examples, &id.resource);
    let select_methods: Vec<&str> = methods
        .iter()
        .filter(|m| m.verb == Verb::Select)
        .map(|m| m.name.as_str())
        .collect();
    // A view page with no Methods table of its own is selected as its SQL
    // definition says, if it has one; its columns are those of its Fields
    // table, else the definition's.
    let definition = methods
        .is_empty()
        .then(|| {
            definition::view_definition(&mut cx, sections)
                .or_else(|| definition::said_view(&mut cx, sections).map(|m| (Vec::new(), m)))
        })
        .flatten();
    let described = section_tables(sections, "fields").is_some_and(|(_, t)| !t.is_empty());
    let (
        Fields {
            fields,
            views,
            returns,
        },
        view_method,
    ) = match definition {
        Some((fields, method)) if !described => (
            Fields {
                fields,
                ..Fields::default()
            },
            Some(method),
        ),
        definition => (
            fields(&mut cx, sections, &id, &examples, &select_methods),
            definition.map(|(_, method)| method),
        ),
    };
    methods.extend(view_method);
    for (name, columns) in returns {
        if let Some(m) = methods.iter_mut().find(|m| m.name == name) {
            m.returns = Some(columns);
        }
    }
    let identifier = identifier(&examples, identifier_param(&methods) == PLAIN_IDENTIFIER);
    let insert = insert_spec(&mut cx, sections, &examples);
    let permissions = permissions(&mut cx, sections);
    let mut params = params(sections);
    additional_params(sections, &mut methods, &mut params);
    if methods.is_empty() && fields.is_empty() {
        cx.say(
            ov_line,
            Severity::Warning,
            Kind::EmptyResource,
            "expected Fields or Methods rows, found neither",
        );
    }
    methods.sort_by_key(|m| m.line);
    Some(Resource {
        id,
        source: file.to_string(),
        name,
        description,
        summary,
        cloud_type,
        singular,
        line: ov_line,
        fields,
        views,
        methods,
        params,
        examples,
        identifier,
        insert,
        permissions,
    })
}

/// The rows of the `## Parameters` table (Name, Datatype, Description), in
/// page order; empty without one. A row without a name is skipped.
fn params(sections: &[Section]) -> Vec<Field> {
    let Some(table) = section_tables(sections, "parameters").and_then(|(_, t)| t.first().copied())
    else {
        return Vec::new();
    };
    let cols = fields::field_columns(table);
    table
        .rows
        .iter()
        .filter(|r| !r.header)
        .filter_map(|row| {
            let name = plain(row.text(cols[0]));
            (!name.is_empty()).then(|| Field {
                name,
                datatype: plain(row.text(cols[1])),
                description: row.cell(cols[2]),
                line: row.line,
            })
        })
        .collect()
}

/// The `## Additional Parameters` table (`awscc` pages: `ClientToken`,
/// `RoleArn`, ... that `INSERT`, `UPDATE` and `DELETE` take): each an
/// optional param of those methods and a string param of the resource,
/// described by its row.
fn additional_params(sections: &[Section], methods: &mut [Method], params: &mut Vec<Field>) {
    let Some(table) =
        section_tables(sections, "additional parameters").and_then(|(_, t)| t.first().copied())
    else {
        return;
    };
    let cols = columns(table, &[&["parameter", "name"], &["description"]]);
    for row in table.rows.iter().filter(|r| !r.header) {
        let name = plain(row.text(cols[0]));
        if !safe_segment(&name) {
            continue;
        }
        for m in methods.iter_mut().filter(|m| {
            matches!(
                m.verb,
                Verb::Insert | Verb::Update | Verb::Replace | Verb::Delete
            )
        }) {
            if !m.required_params.contains(&name) && !m.optional_params.contains(&name) {
                m.optional_params.push(name.clone());
            }
        }
        if !params.iter().any(|p| p.name == name) {
            params.push(Field {
                name,
                datatype: "string".to_string(),
                description: row.cell(cols[1]),
                line: row.line,
            });
        }
    }
}

fn paragraphs(sections: &[Section]) -> impl Iterator<Item = &String> {
    sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(&p.text),
            _ => None,
        })
}

/// A safe path segment: ASCII letters, digits, `_` and `-`, not empty.
pub fn safe_segment(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn parse_id(cx: &mut Ctx, line: usize, text: &str) -> Option<ResourceId> {
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() != 3 {
        cx.say(
            line,
            Severity::Error,
            Kind::BadId,
            format!("expected an Id of the form `provider.service.resource`, found `{text}`"),
        );
        return None;
    }
    if let Some(bad) = parts.iter().find(|p| !safe_segment(p)) {
        cx.say(
            line,
            Severity::Error,
            Kind::UnsafeId,
            format!(
                "expected Id segments of letters, digits, `_` or `-` (they become paths), found `{bad}` in `{text}`"
            ),
        );
        return None;
    }
    Some(ResourceId {
        provider: parts[0].to_string(),
        service: parts[1].to_string(),
        resource: parts[2].to_string(),
    })
}

fn find_cloud_type(text: &str) -> Option<String> {
    if !text.contains("::") {
        return None;
    }
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == ':'))
        .find(|w| {
            let mut parts = w.split("::");
            let mut three = 0;
            for p in parts.by_ref().take(4) {
                if p.is_empty() || p.contains(':') {
                    return false;
                }
                three += 1;
            }
            three == 3
        })
        .map(str::to_string)
}

/// "... gets an `integration_association` resource ..." → `integration_association`.
fn find_singular(summary: &str) -> Option<String> {
    let words: Vec<&str> = summary.split_whitespace().collect();
    words.windows(3).find_map(|w| {
        let article = w[0].eq_ignore_ascii_case("a") || w[0].eq_ignore_ascii_case("an");
        let code = w[1].len() > 2 && w[1].starts_with('`') && w[1].ends_with('`');
        (article && code && w[2].starts_with("resource"))
            .then(|| w[1].trim_matches('`').to_string())
    })
}

pub(super) fn section_tables<'a>(
    sections: &'a [Section],
    title: &str,
) -> Option<(&'a Section, Vec<&'a Table>)> {
    let s = sections.iter().find(|s| norm(&s.title) == title)?;
    Some((s, s.tables().collect()))
}

/// Column indices by header name, with defaults for headerless tables.
pub(super) fn columns(table: &Table, wanted: &[&[&str]]) -> Vec<Option<usize>> {
    // The header's names, normalised once (not once per wanted column).
    let header: Option<Vec<String>> = table
        .rows
        .iter()
        .find(|r| r.header)
        .map(|h| h.cells.iter().map(|c| norm(&plain(c))).collect());
    wanted
        .iter()
        .enumerate()
        .map(|(i, names)| match &header {
            Some(h) => h.iter().position(|c| names.contains(&c.as_str())),
            None => Some(i),
        })
        .collect()
}

#[cfg(test)]
mod tests;
