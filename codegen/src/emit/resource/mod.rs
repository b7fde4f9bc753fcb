//! One resource module, written as formatted text: row type, properties,
//! identifier, permissions, method metadata and one function per documented
//! method. Expressions and signatures are laid out by [`super::layout`], so
//! the file is exactly as rustfmt formats it.

mod structs;

use super::doc;
use super::layout::{self, fn_sig, other, reference, simple, Expr, Param, Type};
use crate::model::{Operation, Verb};
use crate::resolve::{
    Arg, Handler, InsertLayout, ParamValue, RMethod, RResource, RView, Statement,
};
use structs::{cat, identifier, patch_strukt, row_type, strukt, tail};

/// Clippy's `too_many_arguments` fires above this many parameters.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// `#[allow(clippy::too_many_arguments)]` for a function of `n` parameters
/// where clippy would fire.
fn allow_many_arguments(n: usize) -> Option<&'static str> {
    (n > CLIPPY_MAX_ARGUMENTS).then_some("#[allow(clippy::too_many_arguments)]")
}

/// A Rust string literal for `s`, escaped as `proc_macro2` escapes it.
pub(super) fn lit(s: &str) -> String {
    // Printable ASCII but `"` and `\` is kept as it is (the common case:
    // wire names, ids, IAM actions); anything else as `proc_macro2` has it.
    if s.bytes()
        .all(|b| matches!(b, b' '..=b'~') && b != b'"' && b != b'\\')
    {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return out;
    }
    proc_macro2::Literal::string(s).to_string()
}

/// The text of a module file being written.
pub(super) struct Out<'a> {
    text: String,
    /// The indent everything is written at (4 in a view's submodule).
    base: usize,
    /// The page texts [`Out::page_doc`] wrote in this file, and where their
    /// escaped line is in `escaped`: a field's description is written once
    /// per type it is in and once per setter, and escaped once.
    docs: foldhash::HashMap<&'a str, (usize, usize)>,
    /// The escaped lines `docs` points into.
    escaped: String,
}

impl<'a> Out<'a> {
    /// Writing after `text`, at indent `base`.
    fn new(text: String, base: usize) -> Self {
        Out {
            text,
            base,
            docs: foldhash::HashMap::default(),
            escaped: String::new(),
        }
    }

    /// A line at `indent` (from [`Out::base`]).
    fn line(&mut self, indent: usize, text: &str) {
        self.indent(indent);
        self.text.push_str(text);
        self.text.push('\n');
    }

    /// A line at `indent` made of `parts`.
    fn line_of(&mut self, indent: usize, parts: &[&str]) {
        self.indent(indent);
        for p in parts {
            self.text.push_str(p);
        }
        self.text.push('\n');
    }

    /// A comment line at `indent`: `marker` (`///` or `//!`), then `text`
    /// on one line ([`doc::one_line`]: names and ids from the page cannot end
    /// the comment); the marker alone when `text` is empty. Every comment of
    /// a resource file is written here (or by [`Out::doc`], the same way).
    fn comment(&mut self, indent: usize, marker: &str, text: &str) {
        self.indent(indent);
        self.text.push_str(marker);
        if !text.is_empty() {
            self.text.push(' ');
            self.text.push_str(&doc::one_line(text));
        }
        self.text.push('\n');
    }

    /// Page text as a `///` line (escaped by [`doc::escape`]); nothing when
    /// empty. The line is [`Out::comment`]'s, the text escaped in place.
    fn doc(&mut self, indent: usize, text: &str) {
        let start = self.text.len();
        self.indent(indent);
        self.text.push_str("/// ");
        let from = self.text.len();
        let plain = doc::escape_into(text, &mut self.text);
        if self.text.len() == from {
            self.text.truncate(start);
            return;
        }
        // Plain text is printable ASCII: nothing in it can end the line.
        if !plain {
            if let std::borrow::Cow::Owned(line) = doc::one_line(&self.text[from..]) {
                self.text.truncate(from);
                self.text.push_str(&line);
            }
        }
        self.text.push('\n');
    }

    /// [`Out::doc`] of a text from the page (one that lives as long as the
    /// file is written), escaped once per file.
    fn page_doc(&mut self, indent: usize, text: &'a str) {
        if let Some(&(from, to)) = self.docs.get(text) {
            if from < to {
                self.indent(indent);
                self.text.push_str("/// ");
                self.text.push_str(&self.escaped[from..to]);
                self.text.push('\n');
            }
            return;
        }
        let start = self.text.len();
        self.doc(indent, text);
        let from = self.escaped.len();
        if self.text.len() > start {
            // After the indent and `/// `, before the line's end.
            let line = &self.text[start + self.base + indent + 4..self.text.len() - 1];
            self.escaped.push_str(line);
        }
        self.docs.insert(text, (from, self.escaped.len()));
    }

    /// The indent of a line at `indent` (from [`Out::base`]).
    fn indent(&mut self, indent: usize) {
        layout::pad(&mut self.text, self.base + indent);
    }

    /// A function signature at `indent`, laid out by [`fn_sig`].
    fn sig(&mut self, indent: usize, head: &str, params: &[Param], ret: &str) {
        fn_sig(&mut self.text, self.base + indent, head, params, ret);
        self.text.push('\n');
    }
}

/// `#[allow(clippy::module_inception)]` where the resolver says a module is
/// named like the one holding it (`aws.lambda.permissions` has a
/// `permissions` submodule): allowed, the names are the API.
fn inception(out: &mut Out, indent: usize, inception: bool) {
    if inception {
        out.line(indent, "#[allow(clippy::module_inception)]");
    }
}

/// The runtime's `Verb` variant.
pub(super) fn verb_variant(verb: Verb) -> &'static str {
    match verb {
        Verb::Select => "Select",
        Verb::Insert => "Insert",
        Verb::Update => "Update",
        Verb::Replace => "Replace",
        Verb::Delete => "Delete",
        Verb::Exec => "Exec",
    }
}

/// `&["a", "b"]` of string literals.
fn str_array(items: &[String]) -> Expr {
    reference(Expr::Array(items.iter().map(|s| simple(lit(s))).collect()))
}

/// `prefix ty = rhs;` at `indent`: a `const` or `static` item
/// (`pub const NAME:`, `&[&str]`, `&[...]`).
fn item_assign(out: &mut Out, indent: usize, prefix: &str, ty: &str, rhs: &Expr) {
    let at = out.base + indent;
    out.indent(indent);
    if !layout::item_into(&mut out.text, at, prefix, ty, rhs) {
        out.text.push_str(prefix);
        out.text.push(' ');
        out.text.push_str(ty);
        out.text.push_str(" = ");
        out.text.push_str(&structs::loose(rhs, at));
    }
    out.text.push_str(";\n");
}

fn permissions(out: &mut Out, r: &RResource, normalize: &dyn Fn(&[String]) -> Vec<String>) {
    if r.permissions.is_empty() {
        return;
    }
    out.line(
        0,
        "/// IAM actions per operation, as the page documents them (deduplicated",
    );
    out.line(0, "/// case-insensitively, sorted).");
    inception(out, 0, r.inception.permissions);
    let consts: Vec<(&String, Vec<String>, &Operation)> = r
        .permissions
        .iter()
        .filter_map(|(op, actions)| Some((r.permission_consts.get(op)?, normalize(actions), op)))
        .collect();
    if consts.is_empty() {
        out.line(0, "pub mod permissions {}");
        return;
    }
    out.line(0, "pub mod permissions {");
    for (name, actions, op) in consts {
        out.comment(
            4,
            "///",
            &format!("IAM actions the resource handler needs for {op}."),
        );
        let prefix = cat(&["pub const ", name, ":"]);
        let items: Vec<String> = actions.iter().map(|a| lit(a)).collect();
        structs::direct_or_laid_out(
            out,
            |out| const_array_lines(out, &prefix, &items),
            |out| item_assign(out, 4, &prefix, "&[&str]", &str_array(&actions)),
        );
    }
    out.line(0, "}");
}

/// `prefix &[&str] = &[` and one string literal of `items` per line, at
/// indent 4, written directly where the layout rules give that shape: two
/// items or more, wider than `array_width` together, not all short (those
/// are packed several to a line), each within its line. `false` (nothing
/// written) else.
fn const_array_lines(out: &mut Out, prefix: &str, items: &[String]) -> bool {
    const TY: &str = " &[&str] = &[";
    let at = out.base + 4;
    let widths: usize = items.iter().map(|i| layout::width(i)).sum();
    let fits = items.len() >= 2
        && widths + 2 * (items.len() - 1) > layout::ARRAY_WIDTH
        && items.iter().any(|i| layout::width(i) > layout::SHORT_ITEM)
        && at + layout::width(prefix) + TY.len() <= layout::MAX_WIDTH
        && items
            .iter()
            .all(|i| at + layout::TAB + layout::width(i) + ",".len() <= layout::MAX_WIDTH);
    if fits {
        out.line_of(4, &[prefix, TY]);
        for i in items {
            out.line_of(8, &[i, ","]);
        }
        out.line(4, "];");
    }
    fits
}

fn method_static(out: &mut Out, m: &RMethod, normalize: &dyn Fn(&[String]) -> Vec<String>) {
    let wire = &m.method.name;
    out.comment(
        4,
        "///",
        &cat(&["`", wire, "` (", m.method.verb.as_str(), ")."]),
    );
    let prefix = cat(&["pub static ", &m.static_name, ":"]);
    // Its common shape written directly: every value on its field's line
    // (the handler a constant or `&[]`, the operations one array line).
    let handler_text = match &m.handler {
        Handler::None => Some("&[]".to_string()),
        Handler::Const(c) => Some(cat(&["super::permissions::", c])),
        Handler::Inline => None,
    };
    structs::direct_or_laid_out(
        out,
        |out| handler_text.is_some_and(|handler| static_lines(out, &prefix, m, &handler)),
        |out| method_static_laid_out(out, &prefix, m, normalize),
    );
}

/// [`method_static`]'s item by the layout rules.
fn method_static_laid_out(
    out: &mut Out,
    prefix: &str,
    m: &RMethod,
    normalize: &dyn Fn(&[String]) -> Vec<String>,
) {
    let handler = match &m.handler {
        Handler::None => reference(Expr::Array(vec![])),
        Handler::Const(c) => other(cat(&["super::permissions::", c])),
        Handler::Inline => str_array(&normalize(&m.actions)),
    };
    let ops = m
        .operations
        .iter()
        .map(|op| other(cat(&["rt::Operation::", op.as_str()])))
        .collect();
    let fields = vec![
        ("resource".to_string(), other("super::ID")),
        ("name".into(), simple(lit(&m.method.name))),
        (
            "verb".into(),
            other(cat(&["rt::Verb::", verb_variant(m.method.verb)])),
        ),
        ("operations".into(), reference(Expr::Array(ops))),
        ("handler_actions".into(), handler),
        ("cloud_control".into(), simple(m.cloud_control.to_string())),
    ];
    item_assign(
        out,
        4,
        prefix,
        "rt::Method",
        &Expr::Struct("rt::Method".into(), fields),
    );
}

/// `prefix rt::Method = rt::Method {` and a line per field, at indent 4,
/// written directly where the layout rules give that shape: the struct
/// literal after the `=` (always wider than `struct_lit_width`), each field
/// `name: value,` on its line, the operations on one line within
/// `array_width`. `false` (nothing written) else.
fn static_lines(out: &mut Out, prefix: &str, m: &RMethod, handler: &str) -> bool {
    const TY: &str = " rt::Method = rt::Method {";
    let ops: Vec<String> = m
        .operations
        .iter()
        .map(|op| cat(&["rt::Operation::", op.as_str()]))
        .collect();
    let ops = ops.join(", ");
    let name = lit(&m.method.name);
    let verb = cat(&["rt::Verb::", verb_variant(m.method.verb)]);
    let operations = cat(&["&[", &ops, "]"]);
    let fields: [(&str, &str); 6] = [
        ("resource: ", "super::ID"),
        ("name: ", &name),
        ("verb: ", &verb),
        ("operations: ", &operations),
        ("handler_actions: ", handler),
        (
            "cloud_control: ",
            if m.cloud_control { "true" } else { "false" },
        ),
    ];
    let at = out.base + 8;
    let fits = layout::width(&ops) <= layout::ARRAY_WIDTH
        // `rt::Method {` after the `=`, within the line less its `;`.
        && out.base + 4 + layout::width(prefix) + TY.len() + ";".len() <= layout::MAX_WIDTH
        && fields
            .iter()
            .all(|(f, v)| at + f.len() + layout::width(v) + ",".len() <= layout::MAX_WIDTH);
    if !fits {
        return false;
    }
    out.line_of(4, &[prefix, TY]);
    for (f, v) in fields {
        out.line_of(8, &[f, v, ","]);
    }
    out.line(4, "};");
    true
}

/// Where a method function is rendered: in the resource's module, or in a
/// view's submodule (items of the resource module under `super::`, the
/// statement selecting `FROM` the view).
#[derive(Clone, Copy)]
struct Place<'a> {
    /// The row type of the table selected from.
    row: &'a str,
    /// The view, when rendered in its submodule.
    view: Option<&'a RView>,
}

impl Place<'_> {
    /// The path prefix of the resource module's items.
    fn up(&self) -> &'static str {
        match self.view {
            Some(_) => "super::",
            None => "",
        }
    }
}

/// The method's rustdoc: the page's description, then what it does.
fn method_docs(out: &mut Out, r: &RResource, m: &RMethod, place: Place) {
    if !m.method.description.trim().is_empty() {
        out.doc(0, &m.method.description);
        out.comment(0, "///", "");
    }
    out.comment(0, "///", &method_summary(r, m, place.view));
    let params = param_docs(r, m);
    if !params.is_empty() {
        out.comment(0, "///", "");
        for p in &params {
            out.comment(0, "///", p);
        }
    }
    if let Some(note) = method_note(r, m) {
        out.comment(0, "///", "");
        out.comment(0, "///", &note);
    }
}

/// What a method does, for its rustdoc: the verb, the table or `view` it
/// reads, its name on the page and its required params.
pub(super) fn method_summary(r: &RResource, m: &RMethod, view: Option<&RView>) -> String {
    // Hot (once per method): joined without `format!`'s machinery.
    let id = r.res.id.to_string();
    let mut s = cat(&["`", m.method.verb.as_str(), "` of "]);
    match view {
        Some(v) => s.extend(["the view `", &v.table, "` over `", &id, "`"]),
        None => s.extend(["`", &id, "`"]),
    }
    s.extend([" (`", &m.method.name, "`); required params: "]);
    if m.method.required_params.is_empty() {
        s.push_str("none");
    }
    for (i, p) in m.method.required_params.iter().enumerate() {
        s.extend([if i == 0 { "`" } else { ", `" }, p, "`"]);
    }
    for (i, p) in m.method.optional_params.iter().enumerate() {
        s.extend([
            if i == 0 {
                "; optional params: `"
            } else {
                ", `"
            },
            p,
            "`",
        ]);
    }
    if let Some((_, options)) = r.options.iter().find(|(n, _)| *n == m.method.name) {
        // A view's functions sit in a module of their own.
        let up = if view.is_some() { "super::" } else { "" };
        s.extend([" (typed: `", up, options, "`, given with `.params`)"]);
    }
    s.push('.');
    s
}

/// The rustdoc lines of a method's params from the page's `## Parameters`
/// table (escaped, one line each): `- `name`: description` for each
/// required param the function takes as an argument, then each optional
/// param, marked so; none for a param the table does not describe. A name
/// the table lists twice (Azure's `If-Match`, required by an update and
/// optional for a create) is described by its first row where it is
/// required and by its last, in the optional group, where it is optional.
pub(super) fn param_docs(r: &RResource, m: &RMethod) -> Vec<String> {
    if r.res.params.is_empty() {
        return Vec::new();
    }
    let args = m.args.iter().filter_map(|a| match a {
        Arg::Param { wire, .. } => Some((wire.as_str(), "")),
        _ => None,
    });
    let optional = m
        .method
        .optional_params
        .iter()
        .map(|p| (p.as_str(), " (optional)"));
    args.chain(optional)
        .filter_map(|(name, marker)| {
            let mut rows = r.res.params.iter().filter(|p| p.name == name);
            let p = match marker {
                "" => rows.next()?,
                _ => rows.next_back()?,
            };
            let description = p.description.trim();
            if description.is_empty() {
                return None;
            }
            let line = format!("- `{name}`{marker}: {}", doc::escape(description));
            Some(doc::one_line(&line).into_owned())
        })
        .collect()
}

/// The rustdoc note linking an update method to its raw or typed twin, if
/// it has one, or saying that an EXEC takes a body.
pub(super) fn method_note(r: &RResource, m: &RMethod) -> Option<String> {
    // Looked up only for the statements that need them: a search per
    // method of every method is quadratic in a page's Methods rows.
    let same = |t: &&RMethod| t.static_name == m.static_name;
    match &m.statement {
        Statement::UpdatePatch => {
            let t = r.typed_updates.iter().find(same)?;
            Some(format!(
                "`patch` is the JSON Patch document as raw operations, whose paths the \
                 compiler does not check: [`{}`] builds it from a typed `PatchProperties`.",
                crate::ident::unraw(&t.ident)
            ))
        }
        Statement::UpdatePatchProperties => {
            let raw = r.methods.iter().find(same)?;
            Some(format!(
                "The typed form of [`{}`]: the fields set in `properties` become the JSON Patch \
             document (`{}`), in field order.",
                crate::ident::unraw(&raw.ident),
                raw.patch_column().unwrap_or(crate::resolve::PATCH_PARAM)
            ))
        }
        Statement::Exec if m.body => {
            let fields: Vec<String> = m.body_fields().map(|(_, w)| format!("`{w}`")).collect();
            Some(match fields.is_empty() {
                true => "The page's example sends a JSON body (`@@json`): give it with \
                         [`Exec::body`](rt::Exec::body)."
                    .to_string(),
                false => format!(
                    "The page's example sends a JSON body (`@@json`), which holds the required {}; \
                     add other fields with [`Exec::body`](rt::Exec::body).",
                    fields.join(", ")
                ),
            })
        }
        _ => None,
    }
}

fn arg(a: &Arg, up: &str) -> Param {
    match a {
        Arg::Param { ident, .. } => {
            Param::new(ident, Type::Ref(Box::new(Type::Path("str".into()))))
        }
        Arg::BodyField { ident, .. } => Param::new(
            ident,
            Type::Impl(Box::new(Type::Generic(
                "::std::convert::Into".into(),
                vec![Type::Path("::serde_json::Value".into())],
            ))),
        ),
        Arg::Identifier { .. } => Param::new(
            "identifier",
            Type::Ref(Box::new(Type::Path(cat(&[up, "Identifier"])))),
        ),
        Arg::Patch => Param::new(
            "patch",
            Type::Ref(Box::new(Type::Path("[rt::PatchOperation]".into()))),
        ),
        Arg::Properties(t) => {
            Param::new("properties", Type::Ref(Box::new(Type::Path(cat(&[up, t])))))
        }
        Arg::PropertiesMap => Param::new(
            "properties",
            Type::Ref(Box::new(Type::Generic(
                "::serde_json::Map".into(),
                vec![
                    Type::Path("::std::string::String".into()),
                    Type::Path("::serde_json::Value".into()),
                ],
            ))),
        ),
    }
}

fn insert_layout(l: &InsertLayout) -> Expr {
    if *l == InsertLayout::default() {
        return layout::leaf_call("rt::InsertLayout::default()");
    }
    Expr::Struct(
        "rt::InsertLayout".into(),
        vec![
            ("params_first".into(), simple(l.params_first.to_string())),
            ("body_prefix".into(), simple(lit(l.body_prefix))),
        ],
    )
}

fn method_fn(out: &mut Out, r: &RResource, m: &RMethod, place: Place) {
    let up = place.up();
    let stat = reference(other(cat(&[up, "methods::", &m.static_name])));
    method_docs(out, r, m, place);
    let params: Vec<Param> = m.args.iter().map(|a| arg(a, up)).collect();
    let tuples = m
        .params
        .iter()
        .map(|p| {
            let value = match &p.value {
                ParamValue::Arg(i) => simple(i.clone()),
                ParamValue::Identifier => reference(layout::leaf_call("identifier.to_string()")),
            };
            Expr::Tuple(vec![simple(lit(&p.wire)), value])
        })
        .collect();
    let wire_params = reference(Expr::Array(tuples));
    let call = |callee: &str, args: Vec<Expr>| Expr::Call(callee.into(), args);
    let (ret, body) = match &m.statement {
        Statement::Select { columns } => {
            let cols = str_array(columns);
            let body = match place.view {
                Some(_) => call(
                    "rt::Select::from_view",
                    vec![stat, simple("TABLE"), cols, wire_params],
                ),
                None => call("rt::Select::new", vec![stat, cols, wire_params]),
            };
            let row = m.row.as_deref().unwrap_or(place.row);
            (cat(&["rt::Select<", row, ">"]), body)
        }
        Statement::Insert {
            properties,
            layout: l,
        } => {
            let props = if *properties {
                simple("properties")
            } else {
                reference(layout::leaf_call("::serde_json::Map::new()"))
            };
            (
                "rt::Insert".into(),
                call(
                    "rt::Insert::new",
                    vec![stat, props, wire_params, insert_layout(l)],
                ),
            )
        }
        Statement::UpdatePatch | Statement::UpdatePatchProperties => {
            let patch = if m.statement == Statement::UpdatePatch {
                simple("patch")
            } else {
                reference(call(
                    "rt::PatchRecord::to_patch",
                    vec![simple("properties")],
                ))
            };
            let (function, args) = match m.patch_column() {
                None => ("rt::Update::patch", vec![stat, patch, wire_params]),
                Some(column) => (
                    "rt::Update::patch_column",
                    vec![stat, simple(lit(column)), patch, wire_params],
                ),
            };
            ("rt::Update".into(), call(function, args))
        }
        Statement::Update {
            body_prefix: "", ..
        } => (
            "rt::Update".into(),
            call(
                "rt::Update::new",
                vec![stat, simple("properties"), wire_params],
            ),
        ),
        Statement::Update {
            body_prefix,
            required,
        } => (
            "rt::Update".into(),
            call(
                "rt::Update::with_body_prefix",
                vec![
                    stat,
                    simple("properties"),
                    wire_params,
                    simple(lit(body_prefix)),
                    str_array(required),
                ],
            ),
        ),
        Statement::Delete => (
            "rt::Delete".into(),
            call("rt::Delete::new", vec![stat, wire_params]),
        ),
        Statement::Exec => {
            let fields: Vec<Expr> = m
                .body_fields()
                .map(|(ident, wire)| {
                    Expr::Tuple(vec![
                        simple(lit(wire)),
                        layout::leaf_call(cat(&[ident, ".into()"])),
                    ])
                })
                .collect();
            let body = match fields.is_empty() {
                true => call("rt::Exec::new", vec![stat, wire_params]),
                false => call(
                    "rt::Exec::with_body",
                    vec![stat, wire_params, reference(Expr::Array(fields))],
                ),
            };
            ("rt::Exec".into(), body)
        }
    };
    if let Some(allow) = allow_many_arguments(m.args.len()) {
        out.line(0, allow);
    }
    out.sig(
        0,
        &cat(&["pub fn ", &m.ident]),
        &params,
        &cat(&[" -> ", &ret]),
    );
    tail(out, layout::TAB, &body);
    out.line(0, "}");
}

/// The module's text, appended to `buffer` (which holds the file's header).
pub fn text(buffer: &mut String, r: &RResource, normalize: &dyn Fn(&[String]) -> Vec<String>) {
    let mut out = Out::new(std::mem::take(buffer), 0);
    let id = r.res.id.to_string();
    let mut head = format!("`{id}`");
    if let Some(d) = r.res.description.as_deref().filter(|d| !d.is_empty()) {
        head.push_str(": ");
        head.push_str(&doc::escape(d));
    }
    out.comment(0, "//!", &head);
    if let Some(s) = &r.res.summary {
        out.comment(0, "//!", "");
        out.comment(0, "//!", &doc::escape(s));
    }
    out.comment(0, "//!", "");
    let source = doc::escape(&format!("`{}`", r.res.source));
    out.comment(0, "//!", &format!("Generated from {source}."));
    if r.uses_runtime() {
        out.line(0, "use ::stackql_runtime as rt;");
    }
    out.comment(0, "///", &format!("The resource id, `{id}`."));
    item_assign(&mut out, 0, "pub const ID:", "&str", &simple(lit(&id)));
    if let Some(r) = &r.row {
        row_type(&mut out, r);
    }
    for (_, r) in &r.method_rows {
        row_type(&mut out, r);
    }
    if let Some(create) = &r.create {
        strukt(&mut out, create);
    }
    for (_, s) in &r.updates {
        strukt(&mut out, s);
    }
    if let Some(patch) = &r.patch {
        patch_strukt(&mut out, patch);
    }
    for n in &r.nested {
        strukt(&mut out, n);
    }
    identifier(&mut out, &r.identifier, r.identifier_wire());
    permissions(&mut out, r, normalize);
    if !r.methods.is_empty() {
        out.line(
            0,
            "/// What each method calls: verb, IAM operations and actions.",
        );
        inception(&mut out, 0, r.inception.methods);
        out.line(0, "pub mod methods {");
        out.line(4, "use super::rt;");
        for m in &r.methods {
            method_static(&mut out, m, normalize);
        }
        out.line(0, "}");
    }
    let own = Place {
        row: r.row.as_ref().map_or("", |row| &row.name),
        view: None,
    };
    // Each typed update right after its raw form.
    for m in r.own_functions() {
        method_fn(&mut out, r, m, own);
        for t in r
            .typed_updates
            .iter()
            .filter(|t| t.static_name == m.static_name)
        {
            method_fn(&mut out, r, t, own);
        }
    }
    for v in &r.views {
        view(&mut out, r, v);
    }
    *buffer = out.text;
}

/// A view's submodule: its table, row type and SELECT functions.
fn view<'a>(out: &mut Out<'a>, r: &'a RResource, v: &'a RView) {
    let doc = format!(
        "The view `{}` over `{}`: a table of its own, with its own columns.",
        v.table, r.res.id
    );
    out.comment(0, "///", &doc);
    out.line(0, &format!("pub mod {} {{", v.module));
    out.line(4, "use super::rt;");
    out.comment(4, "///", &format!("The view's table, `{}`.", v.table));
    item_assign(out, 4, "pub const TABLE:", "&str", &simple(lit(&v.table)));
    // The row type and the functions, one level in.
    out.base = 4;
    row_type(out, &v.row);
    let place = Place {
        row: &v.row.name,
        view: Some(v),
    };
    for m in &v.methods {
        method_fn(out, r, m, place);
    }
    out.base = 0;
    out.line(0, "}");
}

#[cfg(test)]
mod tests;
