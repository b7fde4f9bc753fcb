//! One function per documented method: its name, arguments, the params it
//! sends in order, the statement it builds and the operations it performs.

use super::{
    patch, permissions, structs, Arg, Handler, InsertLayout, Page, Param, ParamValue, RMethod,
    RResource, RStruct, Statement, Table,
};
use crate::diagnostic::{Diagnostic, Kind, Severity};
use crate::ident::{self, Scope};
use crate::model::{Example, Field, Method, Verb};
use crate::parse::sql::{self, Token};

/// The methods of `r`, in page order, and the typed variants of its patch
/// methods (see [`patch::typed_methods`]); `r` has everything but its
/// methods.
pub(super) fn resolve_all(
    page: &Page,
    r: &RResource,
    layout: InsertLayout,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<RMethod>, Vec<RMethod>) {
    let mut fns = Scope::with_reserved(&["ID"]);
    fns.hold_exact(page.res.methods.iter().map(|m| m.name.as_str()));
    // Found once: it looks at every method's params.
    let identifier = r.identifier_wire();
    let methods: Vec<RMethod> = page
        .res
        .methods
        .iter()
        .map(|m| resolve(page, r, m, (layout, identifier), &mut fns, diags))
        .collect();
    let typed = patch::typed_methods(&methods, r.patch.as_ref(), &mut fns);
    (methods, typed)
}

/// One method of `r`; `identifier` is [`RResource::identifier_wire`].
fn resolve(
    page: &Page,
    r: &RResource,
    m: &Method,
    (layout, identifier): (InsertLayout, &str),
    fns: &mut Scope,
    diags: &mut Vec<Diagnostic>,
) -> RMethod {
    let ident = fns.snake(&m.name);
    let static_name = ident::screaming(ident::unraw(&ident));
    let body_example = page.res.examples.iter().find(|e| sends_body(e, m));
    let body_keys = body_example.map_or_else(Vec::new, |e| sql::exec_body_keys(&e.code));
    let set_prefix = match m.verb {
        Verb::Update | Verb::Replace => structs::set_prefix(page, m.verb),
        _ => "",
    };
    let body_prefix = match m.verb {
        Verb::Insert => layout.body_prefix,
        _ => set_prefix,
    };
    let args = args(r, m, identifier, &body_keys, body_prefix);
    let example = matching_example(page, m, Table::Own);
    let order = example.map_or_else(|| m.required_params.clone(), sql::where_columns);
    let params = params(&args, &order);
    let statement = statement(page, m, &args, example, (layout, set_prefix), diags);
    let body = body_example.is_some();
    let row = r
        .method_row_of
        .iter()
        .find(|(name, _)| *name == m.name)
        .map(|(_, row)| row.clone());
    let operations = permissions::of_method(page.res, m, identifier, &r.permissions);
    let actions = operations
        .iter()
        .flat_map(|op| r.permissions.get(op).cloned().unwrap_or_default())
        .collect();
    let handler = match operations.as_slice() {
        [] => Handler::None,
        [op] => r
            .permission_consts
            .get(op)
            .map_or(Handler::Inline, |c| Handler::Const(c.clone())),
        _ => Handler::Inline,
    };
    RMethod {
        ident,
        static_name,
        method: m.clone(),
        args,
        params,
        statement,
        cloud_control: r.cloud_control && !operations.is_empty(),
        operations,
        actions,
        handler,
        row,
        body,
    }
}

/// Whether `e` is an example of the EXEC `m` (in its tab, or naming it
/// after `EXEC`) that sends a JSON body (`@@json`).
fn sends_body(e: &Example, m: &Method) -> bool {
    if e.verb != Some(Verb::Exec) || e.lang != "sql" || !e.code.contains("@@json") {
        return false;
    }
    let mut words = e.code.split_whitespace();
    let named = words
        .by_ref()
        .find(|w| w.eq_ignore_ascii_case("exec"))
        .and(words.next())
        .is_some_and(|target| target.rsplit('.').next() == Some(m.name.as_str()));
    e.tab.as_deref() == Some(m.name.as_str()) || named
}

/// The arguments in signature order: the properties first (the create,
/// update or replace struct, or a JSON map for an update whose page shows
/// no columns), then the required params in page order, the identifier's
/// parts as one `Identifier`, body properties folded into the struct and
/// the keys of an EXEC's JSON body (`body_keys`) as body fields.
///
/// Where the update's body columns carry `body_prefix` (`data__`), a
/// required `data__name` that is a property of its struct is no argument of
/// its own: the struct's required field carries it (see
/// [`required_body`]).
fn args(
    r: &RResource,
    m: &Method,
    identifier: &str,
    body_keys: &[String],
    body_prefix: &str,
) -> Vec<Arg> {
    let mut scope = Scope::with_reserved(&["properties", "identifier", "patch"]);
    scope.hold_exact(m.required_params.iter().map(String::as_str));
    // An INSERT's struct: its own where its example inserts columns of its
    // own (see `structs::per_method_creates`), else `CreateProperties`.
    let insert_struct: Option<(String, &RStruct)> = match m.verb {
        Verb::Insert => match r
            .update_structs
            .iter()
            .find(|(v, n, _)| *v == Verb::Insert && *n == m.name)
        {
            Some((_, _, own)) => own.as_ref().and_then(|own| {
                r.updates
                    .iter()
                    .find(|(v, s)| *v == Verb::Insert && s.name == *own)
                    .map(|(_, s)| (own.clone(), s))
            }),
            None => r
                .create
                .as_ref()
                .map(|c| ("CreateProperties".to_string(), c)),
        },
        _ => None,
    };
    let body: Vec<&str> = insert_struct
        .iter()
        .flat_map(|(_, s)| s.fields.iter().map(|f| f.wire.as_str()))
        .collect();
    // Per method where the page shows this verb's methods each with its own
    // columns (see `structs::updates`), else the verb's one struct.
    let mut of_verb = r.update_structs.iter().filter(|(v, _, _)| *v == m.verb);
    let properties = match of_verb.clone().find(|(_, n, _)| *n == m.name) {
        _ if m.verb == Verb::Insert => None,
        Some((_, _, own)) => own.clone(),
        None if of_verb.next().is_none() => r
            .updates
            .iter()
            .find(|(v, _)| *v == m.verb)
            .map(|(_, s)| s.name.clone()),
        None => None,
    };
    // (An INSERT has no `properties`: nothing is left out for it here.)
    let set_body: Vec<&str> = match body_prefix {
        "" => Vec::new(),
        _ => r
            .updates
            .iter()
            .filter(|(v, s)| *v == m.verb && Some(&s.name) == properties.as_ref())
            .flat_map(|(_, s)| s.fields.iter().map(|f| f.wire.as_str()))
            .collect(),
    };
    let mut args = Vec::new();
    for p in &m.required_params {
        if p.strip_prefix(body_prefix)
            .is_some_and(|k| set_body.contains(&k))
        {
            continue;
        }
        // Where body columns carry a prefix, only a prefixed param is a
        // property: `bucket` is a param beside the property `data__bucket`.
        let in_body = match body_prefix {
            "" => {
                body.contains(&p.as_str()) || body.contains(&p.strip_prefix("data__").unwrap_or(p))
            }
            prefix => p.strip_prefix(prefix).is_some_and(|k| body.contains(&k)),
        };
        let arg = if p == identifier && !r.identifier.is_empty() {
            Arg::Identifier { wire: p.clone() }
        } else if patch::is_patch_param(p) {
            Arg::Patch
        } else if body_keys.contains(p) {
            Arg::BodyField {
                ident: scope.snake(p),
                wire: p.clone(),
            }
        } else if in_body {
            Arg::Properties(
                insert_struct
                    .as_ref()
                    .map_or_else(String::new, |(n, _)| n.clone()),
            )
        } else {
            Arg::Param {
                ident: scope.snake(p),
                wire: p.clone(),
            }
        };
        let dup = matches!(arg, Arg::Properties(_)) && has_properties(&args);
        if !dup {
            args.push(arg);
        }
    }
    let patch = args.iter().any(|a| matches!(a, Arg::Patch));
    if let Some((name, _)) = &insert_struct {
        if !has_properties(&args) {
            args.insert(0, Arg::Properties(name.clone()));
        }
    }
    if let Some(name) = properties {
        if !patch {
            args.insert(0, Arg::Properties(name));
        }
    }
    if matches!(m.verb, Verb::Update | Verb::Replace) && !has_properties(&args) && !patch {
        args.insert(0, Arg::PropertiesMap);
    }
    args
}

/// The required `data__name` params of an update that its struct carries
/// (no argument sends them), as property names (`name`), in the Methods
/// table's order, then those only its example marks required (`marked`):
/// the page's example names them in its `WHERE` as well as in its `SET`,
/// and the statement does too.
fn required_body(m: &Method, args: &[Arg], set_prefix: &str, marked: &[String]) -> Vec<String> {
    if set_prefix.is_empty() {
        return Vec::new();
    }
    let sent = |p: &String| {
        args.iter().any(|a| match a {
            Arg::Param { wire, .. } | Arg::Identifier { wire } | Arg::BodyField { wire, .. } => {
                wire == p
            }
            _ => false,
        })
    };
    let mut out: Vec<String> = Vec::new();
    for p in m.required_params.iter().chain(marked).filter(|p| !sent(p)) {
        if let Some(k) = p.strip_prefix(set_prefix) {
            if !out.iter().any(|o| o == k) {
                out.push(k.to_string());
            }
        }
    }
    out
}

fn has_properties(args: &[Arg]) -> bool {
    args.iter().any(|a| matches!(a, Arg::Properties(_)))
}

/// The example of the method's verb on `table` that shows the method: the
/// first in a tab named by the method (`<TabItem value="list_webhooks">`),
/// else the first whose WHERE columns are exactly its required params, or
/// its required params and some of its optional ones.
pub(super) fn matching_example<'p>(
    page: &'p Page,
    m: &'p Method,
    table: Table<'p>,
) -> Option<&'p [Token<'p>]> {
    let own_tab = |e: &Example| e.tab.as_deref() == Some(m.name.as_str());
    if let Some(t) = page.table_examples(&m.verb, table, own_tab).next() {
        return Some(t);
    }
    // A method with required params matches only an example with a
    // `WHERE`, which its text shows: the others (INSERTs, typically) need
    // not be tokenized.
    let needs_where = !m.required_params.is_empty();
    page.table_examples(&m.verb, table, move |e| {
        !needs_where || may_have_where(&e.code)
    })
    .find(|t| {
        let w = sql::where_columns(t);
        let exact =
            w.len() == m.required_params.len() && w.iter().all(|c| m.required_params.contains(c));
        exact
            || (!m.optional_params.is_empty()
                && m.required_params.iter().all(|c| w.contains(c))
                && w.iter()
                    .all(|c| m.required_params.contains(c) || m.optional_params.contains(c)))
    })
}

/// Whether `code` may hold a `WHERE` keyword: `false` only when no token of
/// it can be the word `where` (in any case, quoted or not), that is when
/// the text has no `where` in any case.
fn may_have_where(code: &str) -> bool {
    // Each initial found with memchr, then the four letters after it.
    let bytes = code.as_bytes();
    ['w', 'W'].into_iter().any(|w| {
        code.match_indices(w).any(|(i, _)| {
            bytes
                .get(i..i + 5)
                .is_some_and(|s| s.eq_ignore_ascii_case(b"where"))
        })
    })
}

/// The params the arguments send, those named in `order` first (in that
/// order), then the rest in argument order.
fn params(args: &[Arg], order: &[String]) -> Vec<Param> {
    let sent: Vec<Param> = args
        .iter()
        .filter_map(|a| match a {
            Arg::Param { ident, wire } => Some(Param {
                wire: wire.clone(),
                value: ParamValue::Arg(ident.clone()),
            }),
            Arg::Identifier { wire } => Some(Param {
                wire: wire.clone(),
                value: ParamValue::Identifier,
            }),
            Arg::Patch | Arg::Properties(_) | Arg::PropertiesMap | Arg::BodyField { .. } => None,
        })
        .collect();
    let mut used = vec![false; sent.len()];
    let mut out = Vec::with_capacity(sent.len());
    for w in order {
        if let Some(i) = sent.iter().position(|p| &p.wire == w) {
            if !used[i] {
                used[i] = true;
                out.push(sent[i].clone());
            }
        }
    }
    out.extend(
        sent.into_iter()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|(p, _)| p),
    );
    out
}

/// The columns a SELECT of `table` (whose columns are `fields`) names: those
/// of the example, else every field. An example column the table's Fields
/// do not list (`schedule/schedule_id`) is left out with a warning: a
/// statement names only columns of the table it selects from, and the row
/// type has no field for it.
pub(super) fn select_columns(
    page: &Page,
    m: &Method,
    example: Option<&[Token]>,
    (table, fields): (&str, &[Field]),
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let all = || fields.iter().map(|f| f.name.clone()).collect();
    let Some(t) = example else {
        return all();
    };
    let is_field = |c: &str| fields.iter().any(|f| f.name == c);
    // `@odata.type` and `api_key.created` are fields as written; `t.a`
    // selects the field `a`.
    let (known, unknown): (Vec<String>, Vec<String>) = sql::select_columns(t)
        .into_iter()
        .map(|c| match is_field(&c) {
            true => c,
            false => sql::last_word(&c).to_string(),
        })
        .partition(|c| is_field(c));
    if !unknown.is_empty() && !fields.is_empty() {
        diags.push(Diagnostic::new(
            &page.res.source,
            m.line,
            Severity::Warning,
            Kind::SelectUnknownColumn,
            format!(
                "expected the SELECT example of `{}` to name columns of `{table}`, found {} that its Fields do not list; left out of the statement",
                m.name,
                unknown.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    if known.is_empty() {
        all()
    } else {
        known
    }
}

/// The statement of the method's verb: a SELECT of the example's columns
/// (else every field), an INSERT of its properties, an UPDATE by patch or
/// by properties, a DELETE or an EXEC.
fn statement(
    page: &Page,
    m: &Method,
    args: &[Arg],
    example: Option<&[Token]>,
    (layout, set_prefix): (InsertLayout, &'static str),
    diags: &mut Vec<Diagnostic>,
) -> Statement {
    match m.verb {
        Verb::Select => Statement::Select {
            columns: select_columns(
                page,
                m,
                example,
                (
                    &page.res.id.to_string(),
                    m.returns.as_deref().unwrap_or(&page.res.fields),
                ),
                diags,
            ),
        },
        Verb::Insert => Statement::Insert {
            properties: has_properties(args),
            layout,
        },
        Verb::Update | Verb::Replace if args.iter().any(|a| matches!(a, Arg::Patch)) => {
            Statement::UpdatePatch
        }
        // A JSON map's keys are the columns as the caller writes them.
        Verb::Update | Verb::Replace if !has_properties(args) => Statement::Update {
            body_prefix: "",
            required: Vec::new(),
        },
        Verb::Update | Verb::Replace => Statement::Update {
            body_prefix: set_prefix,
            required: required_body(
                m,
                args,
                set_prefix,
                &structs::marked(page, m.verb, Some(&m.name)).columns,
            ),
        },
        Verb::Delete => Statement::Delete,
        Verb::Exec => Statement::Exec,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(ident: &str, wire: &str) -> Arg {
        Arg::Param {
            ident: ident.into(),
            wire: wire.into(),
        }
    }

    /// A page `<id>` with a Methods row per `name VERB params` line of
    /// `methods`, and a `### <Operation>` heading per `Operation action`
    /// line of `permissions`.
    fn page(id: &str, methods: &str, permissions: &str) -> String {
        let name = id.rsplit('.').next().unwrap_or_default();
        let mut page = format!(
            "## Overview\n<table><tbody>\n\
             <tr><td><b>Name</b></td><td><code>{name}</code></td></tr>\n\
             <tr><td><b>Type</b></td><td>Resource</td></tr>\n\
             <tr><td><b>Id</b></td><td><CopyableCode code=\"{id}\" /></td></tr>\n\
             </tbody></table>\n\n\
             ## Methods\n| Name | Accessible by | Required Params |\n|:-----|:-----|:-----|\n"
        );
        for row in methods.lines() {
            let mut cells = row.split_whitespace();
            let (m, verb) = (cells.next().unwrap(), cells.next().unwrap());
            let params = cells.collect::<Vec<_>>().join(" ");
            page.push_str(&format!(
                "| <CopyableCode code=\"{m}\" /> | `{verb}` | <CopyableCode code=\"{params}\" /> |\n"
            ));
        }
        if !permissions.is_empty() {
            page.push_str("\n## Permissions\n");
        }
        for (op, action) in permissions.lines().filter_map(|l| l.split_once(' ')) {
            page.push_str(&format!("\n### {op}\n```json\n{action}\n```\n"));
        }
        page
    }

    fn parsed(page: &str) -> crate::model::Resource {
        let parsed = crate::parse::parse_page("p.md", page);
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        parsed.resource.unwrap()
    }

    #[test]
    fn arguments_and_statements_by_verb() {
        let page = page(
            "p.s.things",
            "update UPDATE region, name\n\
             patch UPDATE data__PatchDocument, region\n\
             create INSERT region\n\
             run EXEC type",
            "",
        );
        let res = parsed(&page);
        let krate = super::super::resolve(std::slice::from_ref(&res), false, &mut Vec::new());
        let m = &krate.resources[0].methods;
        let shape = |m: &RMethod| -> Vec<String> {
            m.args
                .iter()
                .map(|a| match a {
                    Arg::Param { ident, wire } => format!("{ident}={wire}"),
                    other => format!("{other:?}"),
                })
                .collect()
        };
        // No SET example to type the update: it takes a JSON map, first.
        assert_eq!(
            shape(&m[0]),
            ["PropertiesMap", "region=region", "name=name"]
        );
        assert_eq!(
            m[0].statement,
            Statement::Update {
                body_prefix: "",
                required: Vec::new()
            }
        );
        assert_eq!(shape(&m[1]), ["Patch", "region=region"]);
        assert_eq!(m[1].statement, Statement::UpdatePatch);
        // No INSERT example: no properties, an empty body.
        assert_eq!(shape(&m[2]), ["region=region"]);
        assert_eq!(
            m[2].statement,
            Statement::Insert {
                properties: false,
                layout: InsertLayout::default()
            }
        );
        assert_eq!(shape(&m[3]), ["r#type=type"]);
        assert_eq!(m[3].statement, Statement::Exec);
        assert_eq!(m[3].static_name, "RUN");
        assert!(m
            .iter()
            .all(|m| m.handler == Handler::None && !m.cloud_control));
    }

    #[test]
    fn one_operation_names_its_constant_several_are_inline() {
        use crate::model::Operation;
        let page = page(
            "aws.s.thing_tags",
            "list SELECT region\ncreate INSERT region\ndelete DELETE region",
            "Create s:Create\nList s:List\nRead s:Get",
        );
        let res = parsed(&page);
        let krate = super::super::resolve(std::slice::from_ref(&res), true, &mut Vec::new());
        let (r, m) = (&krate.resources[0], &krate.resources[0].methods);
        assert_eq!(r.permission_consts[&Operation::Create], "CREATE");
        // A tags view lists and reads.
        assert_eq!(m[0].operations, [Operation::List, Operation::Read]);
        assert_eq!(m[0].handler, Handler::Inline);
        assert_eq!(m[0].actions, ["s:List", "s:Get"]);
        assert_eq!(m[1].handler, Handler::Const("CREATE".into()));
        assert!(m[1].cloud_control);
        // Delete is not documented: no operation, no Cloud Control.
        assert_eq!((&m[2].handler, m[2].cloud_control), (&Handler::None, false));
    }

    #[test]
    fn a_where_in_any_case_is_seen_without_tokenizing() {
        let where_word = |t: &Token| matches!(t, Token::Word(w) if w.eq_ignore_ascii_case("where"));
        for code in [
            "a WHERE b = 1",
            "x wHeRe",
            "where",
            "\"Where\"",
            "WWHERE",
            "'where'",
        ] {
            assert!(may_have_where(code), "{code:?}");
        }
        for code in ["a WHERE b = 1", "x wHeRe", "where", "\"Where\""] {
            assert!(
                sql::tokens(code).unwrap().iter().any(where_word),
                "{code:?}"
            );
        }
        for code in [
            "",
            "w",
            "wher",
            "INSERT INTO t (a) SELECT 'w', 'here'",
            "éwher w",
        ] {
            assert!(!may_have_where(code), "{code:?}");
            assert!(
                !sql::tokens(code).unwrap().iter().any(where_word),
                "{code:?}"
            );
        }
    }

    #[test]
    fn params_follow_the_example_then_the_arguments() {
        let args = [
            Arg::Properties("CreateProperties".into()),
            arg("region", "region"),
            Arg::Identifier {
                wire: "data__Identifier".into(),
            },
            arg("project", "project"),
        ];
        let wires = |order: &[&str]| -> Vec<String> {
            let order: Vec<String> = order.iter().map(|s| s.to_string()).collect();
            params(&args, &order).into_iter().map(|p| p.wire).collect()
        };
        assert_eq!(
            wires(&["data__Identifier", "region"]),
            ["data__Identifier", "region", "project"]
        );
        // Names the arguments do not send, and repeats, are skipped.
        assert_eq!(
            wires(&["zone", "project", "project"]),
            ["project", "region", "data__Identifier"]
        );
        assert_eq!(
            params(&args, &[])[1].value,
            ParamValue::Identifier,
            "the identifier is sent by Display"
        );
    }

    #[test]
    fn no_row_type_for_a_table_that_does_not_exist() {
        let exec_only = parsed(&page("p.s.actions", "run EXEC id", ""));
        let selectable = parsed(&page("p.s.things", "list SELECT region", ""));
        let pages = [exec_only, selectable];
        let krate = super::super::resolve(&pages, false, &mut Vec::new());
        assert!(krate.resources[0].row.is_none());
        assert_eq!(
            krate.resources[1].row.as_ref().map(|r| r.name.as_str()),
            Some("Thing")
        );
    }
}
