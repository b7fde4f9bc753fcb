//! Sections of a resource page → [`Resource`].

use super::blocks::{Block, CodeBlock, Section, Table};
use super::{manifest, norm, overview, plain, sql};
use crate::diagnostic::{Diagnostic, Kind, Severity};
use crate::model::*;

struct Ctx<'a> {
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn say(&mut self, line: usize, sev: Severity, kind: Kind, msg: impl Into<String>) {
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
    let summary = sections
        .iter()
        .take_while(|s| norm(&s.title) != "overview")
        .flat_map(|s| &s.blocks)
        .find_map(|b| match b {
            Block::Paragraph(p) if !p.text.starts_with("import ") && !p.text.is_empty() => {
                Some(p.text.clone())
            }
            _ => None,
        });
    let cloud_type = description
        .iter()
        .chain(paragraphs(sections))
        .find_map(|t| find_cloud_type(t));
    let name = get("name")
        .map(|n| plain(&n))
        .unwrap_or_else(|| id.resource.clone());
    let singular = summary
        .as_deref()
        .and_then(find_singular)
        .filter(|s| *s != name);

    let examples = examples(&mut cx, sections);
    let (fields, views) = fields(&mut cx, sections, &id, &examples);
    let mut methods = methods(&mut cx, sections, &examples);
    let identifier = identifier(&examples);
    let insert = insert_spec(&mut cx, sections, &examples);
    let permissions = permissions(&mut cx, sections);
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
        examples,
        identifier,
        insert,
        permissions,
    })
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
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == ':'))
        .find(|w| {
            let parts: Vec<&str> = w.split("::").collect();
            parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && !p.contains(':'))
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

fn section_tables<'a>(
    sections: &'a [Section],
    title: &str,
) -> Option<(&'a Section, Vec<&'a Table>)> {
    let s = sections.iter().find(|s| norm(&s.title) == title)?;
    let tables = s
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    Some((s, tables))
}

/// Column indices by header name, with defaults for headerless tables.
fn columns(table: &Table, wanted: &[&[&str]]) -> Vec<Option<usize>> {
    let header = table.rows.iter().find(|r| r.header);
    wanted
        .iter()
        .enumerate()
        .map(|(i, names)| match header {
            Some(h) => h
                .cells
                .iter()
                .position(|c| names.contains(&norm(&plain(c)).as_str())),
            None => Some(i),
        })
        .collect()
}

/// The resource's fields and the views documented beside it. A Fields
/// section whose tables sit in tabs (`<TabItem value="view">`) holds one
/// table per tab: the resource's own (the tab whose table is the page's
/// resource, else the tab `resource`, else the first unnamed one) and one
/// per view, each named by the `FROM` of its tab's SELECT example or by the
/// tab's label.
fn fields(
    cx: &mut Ctx,
    sections: &[Section],
    id: &ResourceId,
    examples: &[Example],
) -> (Vec<Field>, Vec<View>) {
    let Some((s, tables)) = section_tables(sections, "fields") else {
        return (Vec::new(), Vec::new());
    };
    let Some(first) = tables.first() else {
        let not_supported = s.blocks.iter().find_map(|b| match b {
            Block::Paragraph(p) if p.text.to_ascii_lowercase().contains("not supported") => Some(p),
            _ => None,
        });
        match not_supported {
            // A fact of the page, not a problem with it.
            Some(p) => cx.say(
                p.line,
                Severity::Note,
                Kind::SelectNotSupported,
                "the page says `SELECT` is not supported for this resource; no row type is generated",
            ),
            None => cx.say(
                s.line,
                Severity::Warning,
                Kind::FieldsWithoutTable,
                "expected a table under `## Fields`, found none",
            ),
        }
        return (Vec::new(), Vec::new());
    };
    if tables.iter().all(|t| t.tab.is_none()) {
        return (table_fields(cx, first), Vec::new());
    }
    // The first table of each tab, in page order.
    let mut tabs: Vec<(&str, &Table)> = Vec::new();
    for t in &tables {
        let tab = t.tab.as_deref().unwrap_or("");
        if !tabs.iter().any(|(v, _)| *v == tab) {
            tabs.push((tab, t));
        }
    }
    let names: Vec<Option<String>> = tabs
        .iter()
        .map(|(tab, _)| tab_table_name(s, tab, examples))
        .collect();
    let own = names
        .iter()
        .position(|n| n.as_deref() == Some(id.resource.as_str()))
        .or_else(|| tabs.iter().position(|(v, _)| *v == "resource"))
        .or_else(|| names.iter().position(Option::is_none));
    let mut fields = Vec::new();
    let mut views = Vec::new();
    for (i, ((tab, table), name)) in tabs.iter().zip(names).enumerate() {
        if Some(i) == own {
            fields = table_fields(cx, table);
            continue;
        }
        let Some(name) = name else {
            cx.say(
                table.line,
                Severity::Warning,
                Kind::TabWithoutName,
                format!(
                    "expected the tab `{tab}` of `## Fields` to name its table (a label, or a SELECT example in the same tab), found neither; its table is skipped"
                ),
            );
            continue;
        };
        views.push(View {
            fields: table_fields(cx, table),
            name,
            tab: tab.to_string(),
            reads: id.resource.clone(),
            line: table.line,
        });
    }
    // Tabs the tab set declares that hold no table: a fact of the page.
    for (value, label) in &s.tab_labels {
        let is_own = own.is_some_and(|i| tabs[i].0 == value.as_str());
        if !is_own && !tabs.iter().any(|(v, _)| *v == value.as_str()) {
            cx.say(
                s.line,
                Severity::Note,
                Kind::ViewWithoutTable,
                format!("the tab `{label}` of `## Fields` holds no table; no row type or SELECT functions for it"),
            );
        }
    }
    (fields, views)
}

/// The table a tab of `## Fields` documents: the last part of the `FROM`
/// of a SELECT example in the same tab, else the tab's label when it is a
/// name (`vw_widgets`, not `All Properties`).
fn tab_table_name(s: &Section, tab: &str, examples: &[Example]) -> Option<String> {
    let from = examples
        .iter()
        .filter(|e| {
            e.verb == Some(Verb::Select) && e.lang == "sql" && e.tab.as_deref() == Some(tab)
        })
        .find_map(|e| sql::tokens(&e.code).ok().and_then(|t| sql::from_table(&t)))
        .and_then(|t| t.rsplit('.').next().map(str::to_string))
        .filter(|n| safe_segment(n));
    from.or_else(|| {
        s.tab_labels
            .iter()
            .find(|(v, _)| v == tab)
            .map(|(_, l)| plain(l))
            .filter(|l| safe_segment(l))
    })
}

/// The rows of a Fields table.
fn table_fields(cx: &mut Ctx, table: &Table) -> Vec<Field> {
    let cols = columns(table, &[&["name"], &["datatype", "type"], &["description"]]);
    let (Some(ni), dti, di) = (cols[0], cols[1], cols[2]) else {
        cx.say(
            table.line,
            Severity::Warning,
            Kind::FieldsWithoutNameColumn,
            "expected a `Name` column in the Fields table",
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in table.rows.iter().filter(|r| !r.header) {
        let cell = |i: Option<usize>| {
            i.and_then(|i| row.cells.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let name = plain(&cell(Some(ni)));
        if name.is_empty() {
            cx.say(
                row.line,
                Severity::Warning,
                Kind::FieldWithoutName,
                "expected a field name in the first column, found an empty cell; row skipped",
            );
            continue;
        }
        let datatype = plain(&cell(dti));
        out.push(Field {
            name,
            datatype: if datatype.is_empty() {
                "undefined".to_string()
            } else {
                datatype
            },
            description: cell(di),
            line: row.line,
        });
    }
    out
}

fn methods(cx: &mut Ctx, sections: &[Section], examples: &[Example]) -> Vec<Method> {
    let Some((s, tables)) = section_tables(sections, "methods") else {
        return Vec::new();
    };
    let Some(table) = tables.first() else {
        let prose = s.blocks.iter().find_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        });
        match prose {
            Some(p) if p.text.to_ascii_lowercase().starts_with("currently only") => {
                // "Currently only `SELECT` is supported": one method of that
                // verb whose required params are the example's WHERE columns.
                let Some(verb) = prose_verb(&p.text) else {
                    cx.say(
                        p.line,
                        Severity::Warning,
                        Kind::UnknownVerb,
                        format!(
                            "expected `Currently only <verb> is supported` to name SELECT, INSERT, UPDATE, REPLACE, DELETE or EXEC, found `{}`; no method assumed",
                            p.text.trim()
                        ),
                    );
                    return Vec::new();
                };
                let params = examples
                    .iter()
                    .filter(|e| e.verb == Some(verb) && e.lang == "sql")
                    .find_map(|e| sql::tokens(&e.code).ok())
                    .map(|t| sql::where_columns(&t))
                    .unwrap_or_default();
                cx.say(
                    p.line,
                    Severity::Note,
                    Kind::MethodsProse,
                    format!(
                        "Methods given as prose; one `{verb}` method `{}` assumed, required params taken from the example",
                        verb.as_str().to_ascii_lowercase()
                    ),
                );
                return vec![Method {
                    name: verb.as_str().to_ascii_lowercase(),
                    verb,
                    required_params: params,
                    description: p.text.clone(),
                    line: p.line,
                }];
            }
            Some(p) if p.text.to_ascii_lowercase().starts_with("no additional methods") => {}
            _ => cx.say(
                s.line,
                Severity::Warning,
                Kind::MethodsWithoutTable,
                "expected a table (Name, Accessible by, Required Params) under `## Methods`, found none",
            ),
        }
        return Vec::new();
    };
    let cols = columns(
        table,
        &[
            &["name"],
            &["accessible by"],
            &["required params"],
            &["description"],
        ],
    );
    let mut out = Vec::new();
    for row in table.rows.iter().filter(|r| !r.header) {
        let cell = |i: Option<usize>| {
            i.and_then(|i| row.cells.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let name = plain(&cell(cols[0]));
        let verb_text = plain(&cell(cols[1]));
        if name.is_empty() || verb_text.is_empty() {
            cx.say(
                row.line,
                Severity::Warning,
                Kind::MethodIncomplete,
                format!("expected a method name and a verb, found `{name}` / `{verb_text}`; row skipped"),
            );
            continue;
        }
        let Some(verb) = Verb::parse(&verb_text) else {
            cx.say(
                row.line,
                Severity::Warning,
                Kind::UnknownVerb,
                format!(
                    "expected SELECT, INSERT, UPDATE, REPLACE, DELETE or EXEC for `{name}`, found `{}`; row skipped",
                    verb_text.trim()
                ),
            );
            continue;
        };
        out.push(Method {
            name,
            verb,
            required_params: plain(&cell(cols[2]))
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            description: cell(cols[3]),
            line: row.line,
        });
    }
    out
}

/// The first word of `text` that is a verb (`Currently only SELECT is
/// supported`, in backticks or not).
fn prose_verb(text: &str) -> Option<Verb> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .find_map(Verb::parse)
}

/// `Some(None)` for a plain `## Examples` heading, `Some(Some(verb))` for
/// `## SELECT examples` (`None` inside when the word is no verb), `None`
/// for any other heading.
fn example_verb(title: &str) -> Option<Option<Option<Verb>>> {
    let t = norm(title);
    let rest = t
        .strip_suffix("examples")
        .or_else(|| t.strip_suffix("example"))?
        .trim();
    Some(if rest.is_empty() {
        None
    } else {
        Some(Verb::parse(rest))
    })
}

fn examples(cx: &mut Ctx, sections: &[Section]) -> Vec<Example> {
    let mut out = Vec::new();
    for s in sections {
        let Some(heading_verb) = example_verb(&s.title) else {
            continue;
        };
        let mut caption: Option<String> = None;
        for b in &s.blocks {
            match b {
                Block::Paragraph(p) if !p.text.starts_with('<') && !p.text.is_empty() => {
                    caption = Some(p.text.clone())
                }
                // Indented blocks are stray indentation in MDX, never examples.
                Block::Code(c) if c.fenced => {
                    out.push(example(cx, &heading_verb, caption.take(), c))
                }
                _ => {}
            }
        }
    }
    out
}

fn example(
    cx: &mut Ctx,
    heading: &Option<Option<Verb>>,
    caption: Option<String>,
    c: &CodeBlock,
) -> Example {
    let verb = match heading {
        Some(v) => *v,
        None => match sql::tokens(&c.code)
            .ok()
            .and_then(|t| sql::first_keyword(&t))
        {
            Some(k) => Verb::parse(&k),
            None => {
                cx.say(
                    c.line,
                    Severity::Warning,
                    Kind::ExampleVerb,
                    "expected a SQL statement under `## Example`, could not read its first keyword",
                );
                None
            }
        },
    };
    Example {
        verb,
        tab: c.tab.clone(),
        lang: c.lang.clone(),
        caption,
        code: c.code.clone(),
        line: c.line,
    }
}

fn decode_basic_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn identifier(examples: &[Example]) -> Option<Identifier> {
    let ordered = examples
        .iter()
        .filter(|e| e.verb == Some(Verb::Select))
        .chain(examples.iter().filter(|e| e.verb == Some(Verb::Delete)));
    for e in ordered.filter(|e| e.lang == "sql") {
        let Ok(toks) = sql::tokens(&e.code) else {
            continue;
        };
        let values = sql::predicate_values(&toks, "data__Identifier");
        let parts: Vec<String> = values
            .iter()
            .flat_map(|v| {
                decode_basic_entities(v)
                    .split('|')
                    .map(|p| {
                        p.trim()
                            .trim_matches(|c| c == '<' || c == '>')
                            .trim()
                            .to_string()
                    })
                    .collect::<Vec<_>>()
            })
            .filter(|p| !p.is_empty())
            .collect();
        if !parts.is_empty() {
            return Some(Identifier {
                parts,
                line: e.line,
            });
        }
    }
    None
}

fn insert_spec(cx: &mut Ctx, sections: &[Section], examples: &[Example]) -> Option<InsertSpec> {
    let line = sections
        .iter()
        .find(|s| example_verb(&s.title) == Some(Some(Some(Verb::Insert))))?
        .line;
    let mut spec = InsertSpec {
        line,
        ..InsertSpec::default()
    };
    for e in examples.iter().filter(|e| e.verb == Some(Verb::Insert)) {
        if e.lang == "yaml" || e.tab.as_deref() == Some("manifest") {
            match manifest::properties_lenient(&e.code) {
                Ok((p, quoted)) => {
                    spec.properties = p;
                    for l in quoted {
                        // The code starts on the line after the fence.
                        cx.say(
                            e.line + 1 + l,
                            Severity::Warning,
                            Kind::Manifest,
                            "expected valid YAML in the manifest, found a value holding an unquoted `: `; read as text",
                        );
                    }
                }
                Err(msg) => cx.say(
                    e.line,
                    Severity::Warning,
                    Kind::Manifest,
                    format!("expected a stack manifest with resource props: {msg}"),
                ),
            }
            continue;
        }
        let cols = match sql::tokens(&e.code) {
            Ok(t) => sql::insert_columns(&t),
            Err(err) => {
                cx.say(
                    e.line,
                    Severity::Warning,
                    Kind::SqlTokenize,
                    format!("expected a SQL statement, the tokenizer says: {err}"),
                );
                continue;
            }
        };
        let Some(cols) = cols else {
            cx.say(
                e.line,
                Severity::Warning,
                Kind::InsertColumns,
                "expected `INSERT INTO table (columns...)`, found no column list",
            );
            continue;
        };
        match e.tab.as_deref() {
            Some("required") => spec.required = cols,
            _ => spec.all = cols,
        }
    }
    Some(spec)
}

fn permissions(cx: &mut Ctx, sections: &[Section]) -> Permissions {
    let Some(start) = sections
        .iter()
        .position(|s| s.level == 2 && norm(&s.title) == "permissions")
    else {
        return Permissions::None;
    };
    let head = &sections[start];
    let mut operations = Vec::new();
    for s in sections[start + 1..].iter().take_while(|s| s.level > 2) {
        let Some(op) = Operation::parse(&s.title) else {
            cx.say(
                s.line,
                Severity::Warning,
                Kind::UnknownOperation,
                format!(
                    "expected a permissions heading Create, Read, Update, Delete or List, found `{}`",
                    s.title
                ),
            );
            continue;
        };
        let Some(code) = s.blocks.iter().find_map(|b| match b {
            Block::Code(c) => Some(c),
            _ => None,
        }) else {
            cx.say(
                s.line,
                Severity::Error,
                Kind::PermissionsWithoutList,
                format!("expected a code block listing the {op} actions, found none"),
            );
            continue;
        };
        let actions = actions(cx, code);
        operations.push(OperationPermissions {
            operation: op,
            actions,
            line: s.line,
        });
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

/// A well-formed IAM action: `service-prefix:ActionName` (wildcards allowed).
pub fn valid_action(a: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_and_cloud_type() {
        assert_eq!(
            find_singular("Creates, updates, deletes or gets an `integration_association` resource or lists `x`")
                .as_deref(),
            Some("integration_association")
        );
        assert_eq!(
            find_cloud_type("Resource Type definition for AWS::Connect::IntegrationAssociation")
                .as_deref(),
            Some("AWS::Connect::IntegrationAssociation")
        );
    }

    #[test]
    fn prose_methods_name_their_verb() {
        assert_eq!(
            prose_verb("Currently only `SELECT` is supported for this resource resource."),
            Some(Verb::Select)
        );
        assert_eq!(
            prose_verb("Currently only exec is supported"),
            Some(Verb::Exec)
        );
        assert_eq!(prose_verb("Currently only `SHOW` is supported"), None);
    }

    #[test]
    fn action_grammar() {
        assert!(valid_action("s3:GetObject"));
        assert!(valid_action("app-integrations:Get*"));
        assert!(!valid_action("GetObject"));
        assert!(!valid_action("s3:Get Object"));
        assert!(valid_action("CloudTrail:AddTags"));
        assert!(!valid_action("S3 :x"));
        assert!(!valid_action(":x"));
    }
}
