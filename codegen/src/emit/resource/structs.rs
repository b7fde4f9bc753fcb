//! The types of a resource module: row type, properties, nested types,
//! `PatchProperties` and the identifier, with their constructors and setters.

use super::{allow_many_arguments, lit, Out};
use crate::emit::doc;
use crate::emit::layout::{self, assign_into, leaf_call, simple, Expr, Param, Shape, Type};
use crate::resolve::{RField, RStruct, Ty};

const OPTION: &str = "::std::option::Option";
const SOME: &str = "::std::option::Option::Some";
const NONE: &str = "::std::option::Option::None";
const STRING: &str = "::std::string::String";
const INTO: &str = "::std::convert::Into";

const VEC: &str = "::std::vec::Vec";

/// The path of a type without its generic argument (`Vec`'s for a vector).
fn head(t: &Ty) -> &str {
    match t {
        Ty::String => STRING,
        Ty::I64 => "i64",
        Ty::F64 => "f64",
        Ty::Bool => "bool",
        Ty::Json => "::serde_json::Value",
        Ty::Vec(_) => VEC,
        Ty::Named(n) => n,
    }
}

pub(super) fn ty(t: &Ty) -> Type {
    match t {
        Ty::Vec(inner) => Type::Generic(VEC.into(), vec![ty(inner)]),
        _ => Type::Path(head(t).into()),
    }
}

/// `t` inside the generic types `outer` (`["Option"]`: `Option<t>`).
fn wrapped(outer: &[&str], t: &Ty) -> Type {
    outer
        .iter()
        .rev()
        .fold(ty(t), |inner, o| Type::Generic((*o).into(), vec![inner]))
}

/// The width of [`wrapped`]'s text on one line, without building it.
fn wrapped_width(outer: &[&str], t: &Ty) -> usize {
    let outer: usize = outer.iter().map(|o| layout::width(o) + 2).sum();
    let inner = match t {
        Ty::Vec(inner) => 2 + wrapped_width(&[], inner),
        _ => 0,
    };
    outer + layout::width(head(t)) + inner
}

/// Appends [`wrapped`]'s text on one line, without building it.
fn write_wrapped(out: &mut String, outer: &[&str], t: &Ty) {
    for o in outer {
        out.push_str(o);
        out.push('<');
    }
    out.push_str(head(t));
    if let Ty::Vec(inner) = t {
        out.push('<');
        write_wrapped(out, &[], inner);
        out.push('>');
    }
    for _ in outer {
        out.push('>');
    }
}

/// `impl Into<T>`: what a constructor or setter takes for a `T`, so that
/// `"text"` is accepted for a `String`, an array for a `Vec` and a number
/// or string for a `serde_json::Value`.
fn into_ty(t: &Ty) -> Type {
    Type::Impl(Box::new(Type::Generic(INTO.into(), vec![ty(t)])))
}

/// `parts` joined, without `format!`'s machinery (hot: a few per field).
pub(super) fn cat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// `name.into()`.
fn into(name: &str) -> Expr {
    Expr::Chain(name.into(), "into".into(), vec![], 0)
}

/// `pub name: Type,` at indent 4, documented from the page (else its wire
/// name); the type is the field's inside the generic types `outer`.
fn field_of<'a>(out: &mut Out<'a>, f: &'a RField, outer: &[&str]) {
    if f.doc.trim().is_empty() {
        out.doc(4, &cat(&["`", &f.wire, "`"]));
    } else {
        out.page_doc(4, &f.doc);
    }
    #[cfg(test)]
    let start = out.text.len();
    // As [`assign_into`] lays it out: on one line when it fits there.
    let ident = "pub ".len() + layout::width(&f.ident) + ": ".len();
    let line = ident + wrapped_width(outer, &f.ty) + ",".len();
    if out.base + 4 + line <= layout::MAX_WIDTH {
        out.line_of(4, &["pub ", &f.ident, ": "]);
        out.text.pop();
        write_wrapped(&mut out.text, outer, &f.ty);
        out.text.push_str(",\n");
    } else {
        field_laid_out(out, f, outer);
    }
    #[cfg(test)]
    same_as_laid_out(out, start, |out| field_laid_out(out, f, outer));
}

/// [`field_of`]'s line by the layout rules.
fn field_laid_out(out: &mut Out, f: &RField, outer: &[&str]) {
    let t = wrapped(outer, &f.ty);
    let shape = Shape::line(out.base + 4, 1).expect("a field fits its indent");
    let mut lhs = String::with_capacity(f.ident.len() + 5);
    lhs.push_str("pub ");
    lhs.push_str(&f.ident);
    lhs.push(':');
    out.indent(4);
    if !assign_into(&mut out.text, &lhs, &t, shape) {
        out.text.push_str(&lhs);
        out.text.push(' ');
        out.text.push_str(&t.text());
    }
    out.text.push_str(",\n");
}

/// Writes with `direct` where it writes (it returns whether it did), else
/// with `laid_out`, the layout rules; in test builds, checks that what
/// `direct` wrote is what `laid_out` writes (see [`same_as_laid_out`]).
pub(super) fn direct_or_laid_out(
    out: &mut Out,
    direct: impl FnOnce(&mut Out) -> bool,
    laid_out: impl Fn(&mut Out),
) {
    #[cfg(test)]
    let start = out.text.len();
    if !direct(out) {
        laid_out(out);
    }
    #[cfg(test)]
    same_as_laid_out(out, start, laid_out);
}

/// In test builds, every line written directly is the one the layout rules
/// give: the text written since `start` is what `laid_out` writes there.
#[cfg(test)]
fn same_as_laid_out(out: &mut Out, start: usize, laid_out: impl FnOnce(&mut Out)) {
    let direct = out.text.split_off(start);
    laid_out(out);
    assert_eq!(out.text[start..], direct);
}

/// A setter's rustdoc: what it does to the field (`before`, the field as
/// `` `name` ``, or `` `name` (`Wire`) `` where the names differ, then
/// `after`), then the field's description.
fn setter_docs<'a>(out: &mut Out<'a>, f: &'a RField, before: &str, after: &[&str]) {
    let name = crate::ident::unraw(&f.ident);
    let line = SetterLine {
        before,
        name,
        wire: (name != f.wire).then_some(f.wire.as_str()),
        after,
    };
    direct_or_laid_out(out, |out| line.write(out), |out| line.write_escaped(out));
    if !f.doc.trim().is_empty() {
        out.comment(4, "///", "");
        out.page_doc(4, &f.doc);
    }
}

/// The first line of [`setter_docs`].
struct SetterLine<'s> {
    before: &'s str,
    name: &'s str,
    /// The wire name, where it is not `name`.
    wire: Option<&'s str>,
    after: &'s [&'s str],
}

impl SetterLine<'_> {
    /// The line as it is, where escaping would keep it (the names in its
    /// code spans are [`doc::is_plain_code`], the rest is the callers'
    /// plain text): `false` (nothing written) else.
    fn write(&self, out: &mut Out) -> bool {
        if !doc::is_plain_code(self.name) || !self.wire.is_none_or(doc::is_plain_code) {
            return false;
        }
        out.indent(4);
        out.text.push_str("/// ");
        self.push_to(&mut out.text);
        out.text.push('\n');
        true
    }

    /// The line, built and escaped as any doc line.
    fn write_escaped(&self, out: &mut Out) {
        let mut what = String::new();
        self.push_to(&mut what);
        out.doc(4, &what);
    }

    /// The line's text, appended to `text`.
    fn push_to(&self, text: &mut String) {
        for part in [self.before, "`", self.name, "`"] {
            text.push_str(part);
        }
        if let Some(wire) = self.wire {
            for part in [" (`", wire, "`)"] {
                text.push_str(part);
            }
        }
        for a in self.after {
            text.push_str(a);
        }
    }
}

/// `out.<method>("Wire", &self.field);` at indent 8: one line of a
/// `Record` or `PatchRecord` impl, keyed by the field's wire name.
fn write_field(out: &mut Out, method: &str, f: &RField) {
    let wire = lit(&f.wire);
    direct_or_laid_out(
        out,
        |out| write_field_line(out, method, &wire, &f.ident),
        |out| write_field_laid_out(out, method, &wire, &f.ident),
    );
}

/// [`write_field`] by the layout rules.
pub(super) fn write_field_laid_out(out: &mut Out, method: &str, wire: &str, ident: &str) {
    let call = Expr::Call(
        cat(&["out.", method]),
        vec![simple(wire), simple(cat(&["&self.", ident]))],
    );
    expression(out, 8, &call, ";");
}

/// [`write_field`] on one line, where the layout rules put it there: the
/// two arguments (simple, never overflowed) within `fn_call_width` and the
/// line, each within a line one block in. `false` (nothing written) else.
pub(super) fn write_field_line(out: &mut Out, method: &str, wire: &str, ident: &str) -> bool {
    let at = out.base + 8;
    let this = "&self.".len() + layout::width(ident);
    let args = layout::width(wire) + 2 + this;
    let callee = "out.".len() + method.len();
    // The line less the `;`, and a line one block in less its `,`.
    let line = layout::MAX_WIDTH.saturating_sub(at + 1);
    let nested = layout::MAX_WIDTH.saturating_sub(at + layout::TAB + 1);
    let fits = args <= layout::CALL_WIDTH
        && callee + 2 + args <= line
        && layout::width(wire) <= nested
        && this <= nested;
    if fits {
        out.line_of(8, &["out.", method, "(", wire, ", &self.", ident, ");"]);
    }
    fits
}

/// What a setter sets its field to.
#[derive(Debug, Clone, Copy)]
pub(super) enum Set {
    /// `Some(value.into())`.
    Some,
    /// `Some(rt::Change::Replace(value.into()))`.
    Replace,
    /// `Some(rt::Change::Remove)`.
    Remove,
}

impl Set {
    /// The value on one line.
    fn text(self) -> &'static str {
        match self {
            Set::Some => "::std::option::Option::Some(value.into())",
            Set::Replace => "::std::option::Option::Some(rt::Change::Replace(value.into()))",
            Set::Remove => "::std::option::Option::Some(rt::Change::Remove)",
        }
    }

    /// The value, for the layout rules.
    fn expr(self) -> Expr {
        let value = || leaf_call("value.into()");
        let inner = match self {
            Set::Some => value(),
            Set::Replace => Expr::Call("rt::Change::Replace".into(), vec![value()]),
            Set::Remove => layout::other("rt::Change::Remove"),
        };
        Expr::Call(SOME.into(), vec![inner])
    }
}

/// A setter at indent 4: `#[must_use] pub fn name(mut self, value: impl
/// Into<T>) -> Self`, without `value` when `value` is `None`, setting the
/// field `ident` to `to` and returning `self`. The signature and the
/// assignment are written directly when on one line (as the layout rules
/// put them there) and the signature also when its parameters go one per
/// line but each fits on its own; else laid out.
pub(super) fn setter(out: &mut Out, name: &str, value: Option<&Ty>, ident: &str, to: Set) {
    out.line(4, "#[must_use]");
    #[cfg(test)]
    let start = out.text.len();
    let head = "pub fn ".len() + layout::width(name) + "(mut self".len();
    let param = value.map_or(0, |t| ", value: impl ".len() + wrapped_width(&[INTO], t));
    if out.base + 4 + head + param + ") -> Self {".len() <= layout::MAX_WIDTH {
        out.line_of(4, &["pub fn ", name, "(mut self"]);
        out.text.pop();
        if let Some(t) = value {
            out.text.push_str(", value: impl ");
            write_wrapped(&mut out.text, &[INTO], t);
        }
        out.text.push_str(") -> Self {\n");
    } else if let Some(t) = value.filter(|t| {
        let param = "value: impl ".len() + wrapped_width(&[INTO], t) + ",".len();
        out.base + 8 + param <= layout::MAX_WIDTH
    }) {
        // One parameter per line, the type on the parameter's line.
        out.line_of(4, &["pub fn ", name, "("]);
        out.line(8, "mut self,");
        out.indent(8);
        out.text.push_str("value: impl ");
        write_wrapped(&mut out.text, &[INTO], t);
        out.text.push_str(",\n");
        out.line(4, ") -> Self {");
    } else {
        setter_sig_laid_out(out, name, value);
    }
    #[cfg(test)]
    same_as_laid_out(out, start, |out| setter_sig_laid_out(out, name, value));
    #[cfg(test)]
    let start = out.text.len();
    let line = "self.".len() + layout::width(ident) + " = ".len() + to.text().len() + 1;
    if out.base + 8 + line <= layout::MAX_WIDTH {
        out.line_of(8, &["self.", ident, " = ", to.text(), ";"]);
    } else {
        assignment(out, &cat(&["self.", ident]), &to.expr());
    }
    #[cfg(test)]
    same_as_laid_out(out, start, |out| {
        assignment(out, &cat(&["self.", ident]), &to.expr())
    });
    out.line(8, "self");
    out.line(4, "}");
}

/// [`setter`]'s signature by the layout rules.
fn setter_sig_laid_out(out: &mut Out, name: &str, value: Option<&Ty>) {
    let mut params = vec![Param::receiver("mut self")];
    params.extend(value.map(|t| Param::new("value", into_ty(t))));
    out.sig(4, &cat(&["pub fn ", name]), &params, " -> Self");
}

/// `lhs = rhs;` at indent 8.
fn assignment(out: &mut Out, lhs: &str, rhs: &Expr) {
    let shape = Shape::line(out.base + 8, 1).expect("a statement fits its indent");
    let mut with_eq = String::with_capacity(lhs.len() + 2);
    with_eq.push_str(lhs);
    with_eq.push_str(" =");
    out.indent(8);
    if !assign_into(&mut out.text, &with_eq, rhs, shape) {
        out.text.push_str(lhs);
        out.text.push_str(" = ");
        out.text.push_str(&loose(rhs, out.base + 8));
    }
    out.text.push_str(";\n");
}

/// An expression at block indent `block` where rustfmt gives up on it (and
/// keeps it as written): laid out without a width limit.
pub(super) fn loose(e: &Expr, block: usize) -> String {
    e.rewrite(Shape::loose(block)).unwrap_or_default()
}

/// An expression starting a line at `indent` and followed by `end` (`;`
/// for a statement, nothing for a block's tail), laid out as rustfmt does.
pub(super) fn expression(out: &mut Out, indent: usize, e: &Expr, end: &str) {
    let shape = Shape::line(out.base + indent, end.len()).expect("an expression fits its indent");
    out.indent(indent);
    if !e.rewrite_into(shape, &mut out.text) {
        out.text.push_str(&loose(e, out.base + indent));
    }
    out.text.push_str(end);
    out.text.push('\n');
}

/// A tail expression (no `;`) at `indent`.
pub(super) fn tail(out: &mut Out, indent: usize, e: &Expr) {
    expression(out, indent, e, "");
}

/// `head for name { fn_sig { body } }`: a trait impl of one method whose
/// body is one line (the serde impls).
fn one_method_impl(out: &mut Out, head: &str, name: &str, fn_sig: &str, body: &str) {
    impl_header(out, head, name);
    out.line(4, fn_sig);
    out.line(8, body);
    out.line(4, "}");
    out.line(0, "}");
}

/// `impl<generics> trait for name {`, broken before `for` when too long.
fn impl_header(out: &mut Out, head: &str, name: &str) {
    let one = layout::width(head) + " for ".len() + layout::width(name) + " {".len();
    if one <= layout::MAX_WIDTH {
        out.line_of(0, &[head, " for ", name, " {"]);
    } else {
        out.line(0, head);
        out.line_of(4, &["for ", name]);
        out.line(0, "{");
    }
}

/// The body of `read_fields`: `rt::ReadResult::Ok(Name { field:
/// fields.take("Wire")?, ... })`, by the layout rules.
fn read_fields_laid_out(out: &mut Out, s: &RStruct) {
    let fields = s
        .fields
        .iter()
        .map(|f| {
            let take = Expr::Chain(
                "fields".into(),
                "take".into(),
                vec![simple(lit(&f.wire))],
                1,
            );
            (f.ident.clone(), take)
        })
        .collect();
    tail(
        out,
        8,
        &Expr::Call(
            "rt::ReadResult::Ok".into(),
            vec![Expr::Struct(s.name.clone(), fields)],
        ),
    );
}

/// [`read_fields_laid_out`] written directly in the shape the layout rules
/// give it whenever the struct has fields and every line fits: the struct
/// literal overflowing the call, one `field: fields.take("Wire")?,` line
/// per field (a field is always wider than `struct_lit_width`, so the
/// literal is never on one line). `false` (nothing written) else.
fn read_fields_lines(out: &mut Out, s: &RStruct) -> bool {
    const CALL: &str = "rt::ReadResult::Ok(";
    const TAKE: &str = ": fields.take(";
    // The literal overflows the call when its first line (`Name {`) is
    // within `fn_call_width` and the room after `rt::ReadResult::Ok(`
    // (see `layout::list`).
    let room = layout::MAX_WIDTH.saturating_sub(out.base + 8 + CALL.len() + 1);
    let first = layout::width(&s.name) + " {".len();
    if s.fields.is_empty() || first > layout::CALL_WIDTH.min(room) {
        return false;
    }
    let wires: Vec<String> = s.fields.iter().map(|f| lit(&f.wire)).collect();
    let fits = s.fields.iter().zip(&wires).all(|(f, wire)| {
        // The `?` costs three columns in the chain's budget (see
        // `layout::chain`): two more than it takes; the argument is
        // within `fn_call_width`.
        let line = layout::width(&f.ident) + TAKE.len() + layout::width(wire) + ")?,".len();
        out.base + 12 + line + 2 <= layout::MAX_WIDTH && layout::width(wire) <= layout::CALL_WIDTH
    });
    if !fits {
        return false;
    }
    out.line_of(8, &[CALL, &s.name, " {"]);
    for (f, wire) in s.fields.iter().zip(&wires) {
        out.line_of(12, &[&f.ident, TAKE, wire, ")?,"]);
    }
    out.line(8, "})");
    true
}

/// A row type: its struct, or, for a table whose page lists no columns
/// (no fields), an alias of the JSON map of every column.
pub(super) fn row_type<'a>(out: &mut Out<'a>, s: &'a RStruct) {
    if !s.fields.is_empty() {
        return strukt(out, s);
    }
    out.doc(0, &s.doc);
    let line = ["pub type ", &s.name, " =", " ", UNTYPED_ROW, ";"];
    if out.base + line.iter().map(|p| p.len()).sum::<usize>() <= 100 {
        out.line_of(0, &line);
    } else {
        out.line_of(0, &line[..3]);
        out.line_of(4, &line[4..]);
    }
}

/// The type of a row whose columns the page does not list.
pub(super) const UNTYPED_ROW: &str =
    "::serde_json::Map<::std::string::String, ::serde_json::Value>";

/// The struct with its constructor and setters (see [`builder`]), its
/// `rt::Record` impl (a line per field, keyed by the wire name) and serde
/// impls delegating to the runtime: about a quarter of the `cargo check`
/// time of derived serde impls (aws/ec2: 5.7 s vs 21 s).
///
/// Every struct is `#[non_exhaustive]`: a page that adds a property adds a
/// field, and a user's struct literal would stop compiling; outside the
/// crate a value is built with `new` and the setters, so added fields are a
/// minor release (see `docs/semver.md`).
pub(super) fn strukt<'a>(out: &mut Out<'a>, s: &'a RStruct) {
    let name = &s.name;
    out.doc(0, &s.doc);
    if s.default {
        out.line(0, "#[derive(Debug, Clone, Default, PartialEq)]");
    } else {
        out.line(0, "#[derive(Debug, Clone, PartialEq)]");
    }
    out.line(0, "#[non_exhaustive]");
    struct_body(
        out,
        name,
        s.fields.iter().map(|f| {
            let outer: &[&str] = if f.optional { &[OPTION] } else { &[] };
            (f, outer)
        }),
    );
    builder(out, s);
    impl_header(out, "impl rt::Record", name);
    let (w, r) = if s.fields.is_empty() {
        ("_out", "_fields")
    } else {
        ("out", "fields")
    };
    let write_sig = ["fn write_fields(&self, ", w, ": &mut rt::FieldWriter) {"];
    if s.fields.is_empty() {
        out.line_of(4, &[write_sig[0], w, write_sig[2], "}"]);
    } else {
        out.line_of(4, &write_sig);
        for f in &s.fields {
            write_field(out, if f.optional { "opt" } else { "put" }, f);
        }
        out.line(4, "}");
    }
    out.line_of(
        4,
        &[
            "fn read_fields(",
            r,
            ": &mut rt::FieldReader) -> rt::ReadResult<Self> {",
        ],
    );
    direct_or_laid_out(
        out,
        |out| read_fields_lines(out, s),
        |out| read_fields_laid_out(out, s),
    );
    out.line(4, "}");
    out.line(0, "}");
    one_method_impl(
        out,
        "impl ::serde::Serialize",
        name,
        "fn serialize<S: ::serde::Serializer>(&self, s: S) -> rt::SerResult<S> {",
        "rt::serialize_record(self, s)",
    );
    one_method_impl(
        out,
        "impl<'de> ::serde::Deserialize<'de>",
        name,
        "fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> rt::DeResult<'de, D, Self> {",
        "rt::deserialize_record(d)",
    );
}

/// `pub struct name { fields }`, or `pub struct name {}`.
/// Each field's type is its own inside the generic types given with it.
fn struct_body<'a>(
    out: &mut Out<'a>,
    name: &str,
    fields: impl Iterator<Item = (&'a RField, &'a [&'a str])>,
) {
    let mut fields = fields.peekable();
    if fields.peek().is_none() {
        out.line_of(0, &["pub struct ", name, " {}"]);
        return;
    }
    out.line_of(0, &["pub struct ", name, " {"]);
    for (f, outer) in fields {
        field_of(out, f, outer);
    }
    out.line(0, "}");
}

/// `new` taking the required values in field order (the compiler enforces
/// them; every optional field starts as `None`) and a `with_<field>` setter
/// per optional field, documented from the field.
pub(super) fn builder<'a>(out: &mut Out<'a>, s: &'a RStruct) {
    let name = &s.name;
    let required: Vec<&RField> = s.fields.iter().filter(|f| !f.optional).collect();
    out.line_of(0, &["impl ", name, " {"]);
    let new_doc = if required.is_empty() {
        cat(&[
            "An empty `",
            name,
            "`: every field `None`, as `Default::default()` makes it; set fields with the \
             `with_*` setters.",
        ])
    } else {
        cat(&[
            "Builds `",
            name,
            "` from its required values, in field order; the optional fields start as `None` \
             (set them with the `with_*` setters).",
        ])
    };
    out.doc(4, &new_doc);
    if let Some(allow) = allow_many_arguments(required.len()) {
        out.line(4, allow);
    }
    let params: Vec<Param> = required
        .iter()
        .map(|f| Param::new(&f.ident, into_ty(&f.ty)))
        .collect();
    out.sig(4, "pub fn new", &params, " -> Self");
    direct_or_laid_out(
        out,
        |out| new_body_lines(out, s),
        |out| new_body_laid_out(out, s),
    );
    out.line(4, "}");
    for f in s.fields.iter().filter(|f| f.optional) {
        setter_docs(out, f, "Sets ", &[" to `Some(value)`."]);
        setter(out, &f.setter(), Some(&f.ty), &f.ident, Set::Some);
    }
    out.line(0, "}");
}

/// The body of `new`: `Name { required: required.into(), optional: None,
/// ... }`, by the layout rules.
fn new_body_laid_out(out: &mut Out, s: &RStruct) {
    let inits = s
        .fields
        .iter()
        .map(|f| {
            let v = if f.optional {
                layout::other(NONE)
            } else {
                into(&f.ident)
            };
            (f.ident.clone(), v)
        })
        .collect();
    tail(out, 8, &Expr::Struct(s.name.clone(), inits));
}

/// [`new_body_laid_out`] written directly where the layout rules give one
/// field per line: the fields wider than `struct_lit_width` together and
/// each on its line. `false` (nothing written) else.
fn new_body_lines(out: &mut Out, s: &RStruct) -> bool {
    const INTO: &str = ".into()";
    let value = |f: &RField| {
        if f.optional {
            NONE.len()
        } else {
            layout::width(&f.ident) + INTO.len()
        }
    };
    let field = |f: &RField| layout::width(&f.ident) + ": ".len() + value(f);
    let total: usize = s.fields.iter().map(|f| field(f) + 2).sum();
    let fits = total.saturating_sub(2) > layout::STRUCT_LIT_WIDTH
        && out.base + 8 + layout::width(&s.name) + " {".len() <= layout::MAX_WIDTH
        && s.fields
            .iter()
            .all(|f| out.base + 12 + field(f) + ",".len() <= layout::MAX_WIDTH);
    if !fits {
        return false;
    }
    out.line_of(8, &[&s.name, " {"]);
    for f in &s.fields {
        if f.optional {
            out.line_of(12, &[&f.ident, ": ", NONE, ","]);
        } else {
            out.line_of(12, &[&f.ident, ": ", &f.ident, INTO, ","]);
        }
    }
    out.line(8, "}");
    true
}

/// `PatchProperties`: an `Option<rt::Change<T>>` per updatable property
/// (`None`: unchanged), `new` (nothing changed), a `with_<field>` setter
/// (replace) and a `remove_<field>` setter per field, and the
/// `rt::PatchRecord` impl that turns the set fields into the JSON Patch
/// document, a line per field keyed by the wire name.
pub(super) fn patch_strukt<'a>(out: &mut Out<'a>, s: &'a RStruct) {
    let name = &s.name;
    out.doc(0, &s.doc);
    out.line(0, "#[derive(Debug, Clone, Default, PartialEq)]");
    out.line(0, "#[non_exhaustive]");
    struct_body(
        out,
        name,
        s.fields.iter().map(|f| (f, &[OPTION, "rt::Change"][..])),
    );
    out.line_of(0, &["impl ", name, " {"]);
    out.doc(
        4,
        &cat(&[
            "An empty `",
            name,
            "`: nothing changed, as `Default::default()` makes it; choose changes with the \
             `with_*` and `remove_*` setters.",
        ]),
    );
    out.line(4, "pub fn new() -> Self {");
    out.line(8, "::std::default::Default::default()");
    out.line(4, "}");
    for f in &s.fields {
        let wire = &f.wire;
        let after = [" with `value`: a `replace` of `/", wire, "` in the patch."];
        setter_docs(out, f, "Replaces ", &after);
        setter(out, &f.setter(), Some(&f.ty), &f.ident, Set::Replace);
        out.doc(
            4,
            &cat(&[
                "Removes `",
                crate::ident::unraw(&f.ident),
                "` from the resource: a `remove` of `/",
                wire,
                "` in the patch.",
            ]),
        );
        setter(out, &f.remover(), None, &f.ident, Set::Remove);
    }
    out.line(0, "}");
    impl_header(out, "impl rt::PatchRecord", name);
    if s.fields.is_empty() {
        out.line(4, "fn write_patch(&self, out: &mut rt::PatchWriter) {}");
    } else {
        out.line(4, "fn write_patch(&self, out: &mut rt::PatchWriter) {");
        for f in &s.fields {
            write_field(out, "field", f);
        }
        out.line(4, "}");
    }
    out.line(0, "}");
}

pub(super) fn identifier(out: &mut Out, parts: &[(String, String)], wire: &str) {
    if parts.is_empty() {
        return;
    }
    let template = parts
        .iter()
        .map(|(_, p)| format!("<{p}>"))
        .collect::<Vec<_>>()
        .join("|");
    out.doc(
        0,
        &format!("The identifier `{template}` (`{wire}`): its parts joined by `|`."),
    );
    out.line(0, "#[derive(Debug, Clone, PartialEq, Eq, Hash)]");
    out.line(0, "#[non_exhaustive]");
    out.line(0, "pub struct Identifier {");
    for (i, p) in parts {
        out.comment(4, "///", &format!("The `{p}` part."));
        out.line(4, &format!("pub {i}: {STRING},"));
    }
    out.line(0, "}");
    out.line(0, "impl Identifier {");
    out.line(4, "/// Builds the identifier from its parts, in order.");
    if let Some(allow) = allow_many_arguments(parts.len()) {
        out.line(4, allow);
    }
    let into_string = || {
        Type::Impl(Box::new(Type::Generic(
            INTO.into(),
            vec![Type::Path(STRING.into())],
        )))
    };
    let params: Vec<Param> = parts
        .iter()
        .map(|(i, _)| Param::new(i, into_string()))
        .collect();
    out.sig(4, "pub fn new", &params, " -> Self");
    let inits = parts.iter().map(|(i, _)| (i.clone(), into(i))).collect();
    tail(out, 8, &Expr::Struct("Identifier".into(), inits));
    out.line(4, "}");
    out.line(0, "}");
    out.line(0, "impl ::std::fmt::Display for Identifier {");
    out.line(
        4,
        "fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {",
    );
    let fmt = vec!["{}"; parts.len()].join("|");
    let mut args = vec![simple("f"), simple(lit(&fmt))];
    args.extend(parts.iter().map(|(i, _)| simple(format!("self.{i}"))));
    tail(out, 8, &Expr::Macro("write!".into(), 1, args));
    out.line(4, "}");
    out.line(0, "}");
}
