//! rustfmt's layout, for the few shapes a generated resource file has.
//!
//! Resource files are written as text, already formatted exactly as
//! `rustfmt` (default configuration, edition 2021) formats them: a file
//! written here is a fixed point of rustfmt (`tests/tests/corpus_slices.rs`
//! runs `rustfmt --check` on whole providers). Rather than building tokens
//! and formatting them again (quote → syn → prettyplease, most of the
//! generator's time), the emitter describes each expression, type and
//! signature once, and this module lays it out with rustfmt's rules:
//! `max_width` 100, block indent 4, `fn_call_width` and `array_width` 60,
//! `struct_lit_width` 18, short array items (≤ 10 columns) packed several to a
//! line, the last argument overflowing its call when it is the only one, a
//! right-hand side moved to the next line when it fits there and not after
//! the `=`. Each rule names the part of rustfmt it follows (`overflow.rs`,
//! `expr.rs`, `items.rs`, `types.rs`, `chains.rs`, `lists.rs`).
//!
//! Everything here returns `None` where rustfmt's own rewrite fails (it then
//! keeps the text as written, which is what the caller writes too).

/// rustfmt's `max_width`.
pub const MAX_WIDTH: usize = 100;
/// rustfmt's `tab_spaces`.
pub const TAB: usize = 4;
/// `fn_call_width`: arguments wider than this go one per line.
const FN_CALL_WIDTH: usize = 60;
/// `array_width`.
pub const ARRAY_WIDTH: usize = 60;
/// `struct_lit_width`: a struct literal's fields on one line up to this.
pub const STRUCT_LIT_WIDTH: usize = 18;
/// `short_array_element_width_threshold`.
pub const SHORT_ITEM: usize = 10;

mod items;

#[cfg(test)]
use items::assign;
pub use items::{assign_into, fn_sig, item_into, Param, Type};

/// `fn_call_width`, for the emitter's one-line calls.
pub const CALL_WIDTH: usize = FN_CALL_WIDTH;

/// The width of text as rustfmt counts it (one column per character: the
/// generated code's non-ASCII text is in comments, which are not laid out).
pub fn width(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

fn first_line(s: &str) -> &str {
    s.split('\n').next().unwrap_or("")
}

fn newlines(s: &str) -> usize {
    s.matches('\n').count()
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// Where a piece of code goes: `block` is the indent of the line it starts
/// on (its continuation lines are indented from there), `width` the columns
/// left from where it starts to the end of the line, less what must follow
/// it there (`;`, `,`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// The block indent.
    pub block: usize,
    /// The columns available.
    pub width: usize,
    /// The line width: [`MAX_WIDTH`], or unbounded for [`Shape::loose`].
    max: usize,
}

impl Shape {
    /// A statement or item starting a line at `indent`, followed by `suffix`
    /// columns (`;` = 1).
    pub fn line(indent: usize, suffix: usize) -> Option<Shape> {
        Some(Shape {
            block: indent,
            width: MAX_WIDTH.checked_sub(indent + suffix)?,
            max: MAX_WIDTH,
        })
    }

    /// Lines without a width limit, at `indent`: where rustfmt gives up on
    /// a statement or item (a name too long for any layout), it keeps the
    /// text as written, and this writes it as rustfmt would if it could
    /// (each list still one item per line past its 60-column limit).
    pub fn loose(indent: usize) -> Shape {
        Shape {
            block: indent,
            width: usize::MAX / 4,
            max: usize::MAX / 4,
        }
    }

    /// `n` columns further on the same line.
    fn offset(self, n: usize) -> Option<Shape> {
        Some(Shape {
            width: self.width.checked_sub(n)?,
            ..self
        })
    }

    /// The next block indent, a whole line of it (less `suffix`).
    fn nested(self, suffix: usize) -> Shape {
        let block = self.block + TAB;
        Shape {
            block,
            width: self.max.saturating_sub(block + suffix),
            max: self.max,
        }
    }
}

/// What kind of leaf an [`Expr::Atom`] is, for rustfmt's "simple
/// expression" and "nested call" tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    /// A literal, a one-segment path, or a field of one (`self.x`).
    Simple,
    /// A call or method call that is never broken (`value.into()`).
    Call,
    /// Anything else (a longer path).
    Other,
}

/// An expression, as far as layout is concerned.
#[derive(Debug, Clone)]
pub enum Expr {
    /// Text that is never broken.
    Atom(String, Leaf),
    /// `&expr`.
    Ref(Box<Expr>),
    /// `callee(args)`: a call, a method call on a short receiver (`out.opt`)
    /// or a format-like macro (`write!`, see [`Expr::Macro`]).
    Call(String, Vec<Expr>),
    /// `callee!(args)` with `before` arguments ahead of its format string
    /// (`write!`: 1), written without a trailing comma.
    Macro(String, usize, Vec<Expr>),
    /// `[items]`.
    Array(Vec<Expr>),
    /// `(items)`.
    Tuple(Vec<Expr>),
    /// `Path { field: value, ... }`.
    Struct(String, Vec<(String, Expr)>),
    /// `receiver.method(args)` followed by `tries` `?`: a chain of one call.
    Chain(String, String, Vec<Expr>, usize),
}

/// A literal, a name or `self.x`.
pub fn simple(text: impl Into<String>) -> Expr {
    Expr::Atom(text.into(), Leaf::Simple)
}

/// A path or other unbreakable text that is not "simple".
pub fn other(text: impl Into<String>) -> Expr {
    Expr::Atom(text.into(), Leaf::Other)
}

/// An unbreakable call (`value.into()`).
pub fn leaf_call(text: impl Into<String>) -> Expr {
    Expr::Atom(text.into(), Leaf::Call)
}

/// `&expr`.
pub fn reference(e: Expr) -> Expr {
    Expr::Ref(Box::new(e))
}

impl Expr {
    /// rustfmt's `is_simple_expr`.
    fn is_simple(&self) -> bool {
        match self {
            Expr::Atom(_, leaf) => *leaf == Leaf::Simple,
            Expr::Ref(e) => e.is_simple(),
            _ => false,
        }
    }

    /// rustfmt's `is_nested_call`.
    fn is_nested_call(&self) -> bool {
        match self {
            Expr::Atom(_, leaf) => *leaf == Leaf::Call,
            Expr::Call(..) | Expr::Macro(..) | Expr::Chain(..) => true,
            Expr::Ref(e) => e.is_nested_call(),
            _ => false,
        }
    }

    /// rustfmt's `can_be_overflowed_expr`, as the last of `n` arguments.
    fn can_overflow(&self, n: usize) -> bool {
        match self {
            Expr::Atom(_, leaf) => *leaf == Leaf::Call && n == 1,
            Expr::Ref(e) => e.can_overflow(n),
            Expr::Chain(.., tries) => *tries == 0 && n == 1,
            _ => n == 1,
        }
    }

    /// The expression laid out in `shape`: its first line from the current
    /// column, the others indented absolutely; `None` where rustfmt gives up.
    pub fn rewrite(&self, shape: Shape) -> Option<String> {
        if fast_path() {
            if let Some(w) = self.flat_width(shape) {
                let mut out = String::with_capacity(w);
                self.write_flat(&mut out);
                return Some(out);
            }
            let mut out = String::new();
            if let Some(done) = self.vertical_into(shape, &mut out) {
                return done.then_some(out);
            }
        }
        self.rewrite_general(shape)
    }

    /// [`Expr::rewrite`], appended to `out`; `false` (nothing appended)
    /// where rustfmt gives up.
    pub fn rewrite_into(&self, shape: Shape, out: &mut String) -> bool {
        if fast_path() {
            if self.flat_width(shape).is_some() {
                self.write_flat(out);
                return true;
            }
            if let Some(done) = self.vertical_into(shape, out) {
                return done;
            }
        }
        match self.rewrite_general(shape) {
            Some(text) => {
                out.push_str(&text);
                true
            }
            None => false,
        }
    }

    /// [`Expr::rewrite`] without its one-line fast path (the layout rules
    /// as written; its parts still take the fast path).
    fn rewrite_general(&self, shape: Shape) -> Option<String> {
        match self {
            Expr::Atom(text, _) => (width(text) <= shape.width).then(|| text.clone()),
            Expr::Ref(e) => Some(format!("&{}", e.rewrite(shape.offset(1)?)?)),
            Expr::Call(callee, args) => {
                if width(callee) + 1 > shape.width {
                    return None;
                }
                list(callee, "(", ")", args, shape, FN_CALL_WIDTH, None)
            }
            Expr::Macro(name, before, args) => {
                if width(name) + 1 > shape.width {
                    return None;
                }
                list(name, "(", ")", args, shape, FN_CALL_WIDTH, Some(*before))
            }
            Expr::Array(items) => list("", "[", "]", items, shape, ARRAY_WIDTH, None),
            Expr::Tuple(items) => list("", "(", ")", items, shape, FN_CALL_WIDTH, None),
            Expr::Struct(path, fields) => struct_lit(path, fields, shape),
            Expr::Chain(recv, method, args, tries) => chain(recv, method, args, *tries, shape),
        }
    }

    /// The width of the expression on one line when [`Expr::rewrite`] lays
    /// it out on one line in `shape`; `None` when it may not (it breaks the
    /// expression, gives up, or this cannot tell without laying it out).
    ///
    /// Most expressions of a generated file fit on their line: this follows
    /// the decisions of the layout rules below for that case only, without
    /// building the text of their other layouts, and each `Some` here is one
    /// where the rules pick the one-line layout (the tests compare both on
    /// edge cases; the corpus tests on every page).
    fn flat_width(&self, shape: Shape) -> Option<usize> {
        match self {
            Expr::Atom(text, _) => Some(width(text)).filter(|&w| w <= shape.width),
            Expr::Ref(e) => Some(1 + e.flat_width(shape.offset(1)?)?),
            Expr::Call(callee, args) | Expr::Macro(callee, _, args) => {
                call_flat_width(width(callee), args, shape)
            }
            Expr::Array(items) => list_flat_width(0, items, shape, ARRAY_WIDTH),
            Expr::Tuple(items) => list_flat_width(0, items, shape, FN_CALL_WIDTH),
            Expr::Struct(path, fields) => struct_lit_flat_width(path, fields, shape),
            Expr::Chain(recv, method, args, tries) => {
                // As [`chain`]: `.method(args)` on the receiver's line.
                let recv = width(recv);
                let call = call_flat_width(1 + width(method), args, shape.offset(recv)?)?;
                (recv + call + 3 * tries <= shape.width).then_some(recv + call + tries)
            }
        }
    }

    /// The width of [`Expr::write_flat`]'s text, whatever the shape. A
    /// layout on one line is always that text: wider than a limit, the
    /// expression is not laid out on one line within it.
    fn flat_len(&self) -> usize {
        let list = |items: &[Expr]| {
            items.iter().map(Expr::flat_len).sum::<usize>() + 2 * items.len().saturating_sub(1)
        };
        match self {
            Expr::Atom(text, _) => width(text),
            Expr::Ref(e) => 1 + e.flat_len(),
            Expr::Call(callee, args) | Expr::Macro(callee, _, args) => {
                width(callee) + 2 + list(args)
            }
            Expr::Array(items) | Expr::Tuple(items) => 2 + list(items),
            Expr::Struct(path, fields) => width(path) + struct_fields_len(fields),
            Expr::Chain(recv, method, args, tries) => {
                width(recv) + 1 + width(method) + 2 + list(args) + tries
            }
        }
    }

    /// The layouts of a struct literal whose fields go one per line (the
    /// `new` and `read_fields` bodies, `rt::Method` statics), appended to
    /// `out` field by field: what [`Expr::rewrite_general`] builds from the
    /// fields' strings, without building them. `None` for every other
    /// expression, and where this cannot tell the layout without the rules;
    /// `Some(false)` (nothing appended) where rustfmt gives up.
    fn vertical_into(&self, shape: Shape, out: &mut String) -> Option<bool> {
        match self {
            Expr::Struct(path, fields) if is_vertical(fields) => {
                Some(vertical_struct_into(path, fields, shape, out))
            }
            // As [`list`] lays out a call of one struct literal: the literal
            // overflows the call (on the call's line, one block in), its
            // first line `Path {` fitting the call's one-line width.
            Expr::Call(callee, args) if args.len() >= 2 => {
                if width(callee) + 1 > shape.width {
                    return Some(false);
                }
                vertical_list_into(callee, ['(', ')'], args, shape, FN_CALL_WIDTH, out)
            }
            Expr::Call(callee, args) => {
                let [Expr::Struct(path, fields)] = args.as_slice() else {
                    return None;
                };
                let used = width(callee);
                let one_line_shape = Shape {
                    width: shape.width.saturating_sub(used + 2),
                    ..shape
                };
                let first_line = width(path) + 2;
                let fits = used < shape.width
                    && first_line <= FN_CALL_WIDTH.min(one_line_shape.width)
                    && is_vertical(fields);
                if !fits {
                    return None;
                }
                let start = out.len();
                out.push_str(callee);
                out.push('(');
                if !vertical_struct_into(path, fields, one_line_shape, out) {
                    // A field that does not fit: the rules decide.
                    out.truncate(start);
                    return None;
                }
                out.push(')');
                Some(true)
            }
            Expr::Ref(e) => {
                let inner = shape.offset(1)?;
                let start = out.len();
                out.push('&');
                let done = e.vertical_into(inner, out);
                if done != Some(true) {
                    out.truncate(start);
                }
                done
            }
            Expr::Array(items) => {
                vertical_list_into("", ['[', ']'], items, shape, ARRAY_WIDTH, out)
            }
            Expr::Tuple(items) => {
                vertical_list_into("", ['(', ')'], items, shape, FN_CALL_WIDTH, out)
            }
            _ => None,
        }
    }

    /// Appends the expression's one-line text (see [`Expr::flat_width`]).
    fn write_flat(&self, out: &mut String) {
        match self {
            Expr::Atom(text, _) => out.push_str(text),
            Expr::Ref(e) => {
                out.push('&');
                e.write_flat(out);
            }
            Expr::Call(callee, args) | Expr::Macro(callee, _, args) => {
                out.push_str(callee);
                write_flat_list('(', args, ')', out);
            }
            Expr::Array(items) => write_flat_list('[', items, ']', out),
            Expr::Tuple(items) => write_flat_list('(', items, ')', out),
            Expr::Struct(path, fields) => {
                out.push_str(path);
                if fields.is_empty() {
                    out.push_str(" {}");
                    return;
                }
                out.push_str(" { ");
                for (i, (name, e)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(name);
                    out.push_str(": ");
                    e.write_flat(out);
                }
                out.push_str(" }");
            }
            Expr::Chain(recv, method, args, tries) => {
                out.push_str(recv);
                out.push('.');
                out.push_str(method);
                write_flat_list('(', args, ')', out);
                for _ in 0..*tries {
                    out.push('?');
                }
            }
        }
    }
}

/// The width of a struct literal's one-line text after its path:
/// ` { a: x, b: y }`, or ` {}`.
fn struct_fields_len(fields: &[(String, Expr)]) -> usize {
    if fields.is_empty() {
        return 3;
    }
    let inner: usize = fields
        .iter()
        .map(|(name, e)| width(name) + 2 + e.flat_len())
        .sum();
    inner + 2 * (fields.len() - 1) + 4
}

/// Whether [`struct_lit`] puts these fields one per line in any shape:
/// their one-line text is wider than `struct_lit_width` (so either a field
/// is broken or they do not fit on one line).
fn is_vertical(fields: &[(String, Expr)]) -> bool {
    !fields.is_empty() && struct_fields_len(fields) - 4 > STRUCT_LIT_WIDTH
}

/// [`struct_lit`] of fields one per line ([`is_vertical`]), appended to
/// `out`; `false` (nothing appended) where it gives up.
fn vertical_struct_into(
    path: &str,
    fields: &[(String, Expr)],
    shape: Shape,
    out: &mut String,
) -> bool {
    if width(path) + 2 > shape.width {
        return false;
    }
    let v_shape = shape.nested(0);
    let Some(field_shape) = v_shape.offset(1) else {
        return false;
    };
    let start = out.len();
    out.push_str(path);
    out.push_str(" {");
    for (name, e) in fields {
        out.push('\n');
        pad(out, v_shape.block);
        if !field_into(name, e, field_shape, out) {
            out.truncate(start);
            return false;
        }
        out.push(',');
    }
    out.push('\n');
    pad(out, shape.block);
    out.push('}');
    true
}

/// [`list`] of two or more items (a call's arguments, an array's or a
/// tuple's items; none overflows: only a sole item can) that go one per
/// line, appended to `out` as each is laid out in the nested shape, rather
/// than laid out apart and joined. The method bodies
/// (`rt::Select::new(&methods::X, &[...], &[("region", region), ...])`) are
/// such lists, and so are long arrays of column names and IAM actions.
/// `None` (nothing appended) where the rules put the items on one line or
/// pack them (short simple ones), `Some(false)` (nothing appended) where an
/// item does not fit: the rules give up.
fn vertical_list_into(
    ident: &str,
    [open, close]: [char; 2],
    items: &[Expr],
    shape: Shape,
    max_item_width: usize,
    out: &mut String,
) -> Option<bool> {
    if items.len() < 2 {
        return None;
    }
    let used = width(ident);
    let nested = shape.nested(1);
    let limit = max_item_width.min(shape.width.saturating_sub(used + 2));
    let start = out.len();
    out.push_str(ident);
    out.push(open);
    let (mut multi, mut total, mut short) = (false, 0, true);
    for (i, item) in items.iter().enumerate() {
        out.push('\n');
        pad(out, nested.block);
        let from = out.len();
        if !item.rewrite_into(nested, out) {
            out.truncate(start);
            return Some(false);
        }
        let text = &out[from..];
        let w = width(text);
        multi |= text.contains('\n');
        total += w + if i > 0 { 2 } else { 0 };
        short &= item.is_simple() && w <= SHORT_ITEM;
        out.push(',');
    }
    // One line (`fits_horizontally`), or short simple items packed
    // (`Tactic::Mixed`): the rules lay those out.
    if (!multi && total <= limit) || short {
        out.truncate(start);
        return None;
    }
    out.push('\n');
    pad(out, shape.block);
    out.push(close);
    Some(true)
}

/// Appends `n` spaces (an indent: a slice of a run of spaces, not a
/// character at a time).
pub fn pad(out: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut n = n;
    while n > SPACES.len() {
        out.push_str(SPACES);
        n -= SPACES.len();
    }
    out.push_str(&SPACES[..n]);
}

/// `open items close` on one line, the items separated by `, `.
fn write_flat_list(open: char, items: &[Expr], close: char, out: &mut String) {
    out.push(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        item.write_flat(out);
    }
    out.push(close);
}

/// Whether [`Expr::rewrite`] takes its one-line fast path: always, but in
/// the tests that compare it with the rules it stands for.
#[cfg(not(test))]
fn fast_path() -> bool {
    true
}

#[cfg(test)]
thread_local! {
    static FAST_PATH: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

#[cfg(test)]
fn fast_path() -> bool {
    FAST_PATH.with(std::cell::Cell::get)
}

/// [`Expr::flat_width`] of a call whose callee is `callee` columns wide:
/// the check of [`Expr::rewrite`], then [`list_flat_width`].
fn call_flat_width(callee: usize, args: &[Expr], shape: Shape) -> Option<usize> {
    if callee + 1 > shape.width {
        return None;
    }
    list_flat_width(callee, args, shape, FN_CALL_WIDTH)
}

/// [`Expr::flat_width`] of a delimited list after `used` columns of ident:
/// [`list`]'s decisions where every item is on one line. The special macro
/// and mixed tactics are never one line, so they do not count here.
fn list_flat_width(
    used: usize,
    items: &[Expr],
    shape: Shape,
    max_item_width: usize,
) -> Option<usize> {
    let n = items.len();
    if n == 0 {
        return Some(used + 2).filter(|&w| w <= shape.width);
    }
    let one_line_width = shape.width.saturating_sub(used + 2);
    let one_line_shape = Shape {
        width: one_line_width,
        ..shape
    };
    // Every item on one line in the nested shape (`rw` of [`list`]).
    let nested = shape.nested(1);
    let mut total = 0;
    let mut before_last = 0;
    let mut last_width = 0;
    let limit = max_item_width.min(one_line_width);
    for (i, item) in items.iter().enumerate() {
        let w = item.flat_width(nested)?;
        if i + 1 < n {
            before_last += 2 + w;
        }
        total += w;
        last_width = w;
        // Several items wider than the limit already: not one line.
        if n > 1 && total + 2 * i > limit {
            return None;
        }
    }
    total += 2 * (n - 1);
    let last = &items[n - 1];
    if (n == 1 && used < TAB) || last.can_overflow(n) {
        let arg_shape = if n == 1 && !last.is_nested_call() {
            Some(one_line_shape)
        } else {
            Shape {
                width: max_item_width.min(one_line_shape.width),
                ..one_line_shape
            }
            .offset(before_last)
        };
        // The overflowed last item must be the same one line there (else
        // this cannot tell without laying it out).
        if let Some(s) = arg_shape {
            last.flat_width(s)?;
        }
    }
    let horizontal =
        (n == 1 && one_line_width != 0 && last_width <= one_line_width) || total <= limit;
    horizontal.then_some(used + 2 + total)
}

/// [`Expr::flat_width`] of a struct literal: [`struct_lit`]'s decisions
/// where every field is `name: value` on one line.
fn struct_lit_flat_width(path: &str, fields: &[(String, Expr)], shape: Shape) -> Option<usize> {
    let path = width(path);
    if path + 2 > shape.width {
        return None;
    }
    if fields.is_empty() {
        return Some(path + 3);
    }
    let field_shape = shape.nested(0).offset(1)?;
    let mut total = 2 * (fields.len() - 1);
    for (name, e) in fields {
        let overhead = width(name) + 2;
        total += overhead + e.flat_width(field_shape.offset(overhead)?)?;
        // Wider than `struct_lit_width`: one field per line.
        if total > STRUCT_LIT_WIDTH {
            return None;
        }
    }
    let h_width = shape
        .width
        .checked_sub(path + 5)
        .map(|w| w.min(STRUCT_LIT_WIDTH));
    h_width
        .is_some_and(|w| total <= w)
        .then_some(path + 5 + total)
}

/// How a list of items is laid out (rustfmt's `DefinitiveListTactic`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tactic {
    Horizontal,
    Vertical,
    Mixed,
    /// Format-like macros: arguments before the format string on one line,
    /// the format string on its own, the rest on one line.
    SpecialMacro(usize),
}

/// Horizontal when every item is one line and they fit in `limit` with
/// `, ` between them (rustfmt's `definitive_tactic`).
fn fits_horizontally(items: &[Option<String>], limit: usize) -> bool {
    let multi = items
        .iter()
        .any(|i| i.as_deref().is_some_and(|s| s.contains('\n')));
    let total: usize = items
        .iter()
        .map(|i| i.as_deref().map_or(0, width))
        .sum::<usize>()
        + 2 * items.len().saturating_sub(1);
    !multi && total <= limit
}

/// A delimited list of expressions after `ident`: a call's arguments, an
/// array's or a tuple's items (rustfmt's `overflow::Context`).
fn list(
    ident: &str,
    open: &str,
    close: &str,
    items: &[Expr],
    shape: Shape,
    max_item_width: usize,
    special: Option<usize>,
) -> Option<String> {
    if items.is_empty() {
        let text = format!("{ident}{open}{close}");
        return (width(&text) <= shape.width).then_some(text);
    }
    let used = width(ident);
    let one_line_width = shape.width.saturating_sub(used + 2);
    let one_line_shape = Shape {
        width: shape.width.saturating_sub(used + 2),
        ..shape
    };
    let nested = shape.nested(1);
    let n = items.len();
    // The items laid out in `nested`; the last one only once the rules
    // need it there (not when it overflows on the first line).
    let mut rw: Vec<Option<String>> = items[..n - 1].iter().map(|i| i.rewrite(nested)).collect();
    let last = &items[n - 1];
    let combine = n == 1 && used < TAB;
    let overflow_last = combine || last.can_overflow(n);
    let mut placeholder = None;
    if overflow_last {
        let arg_shape = if n == 1 && !last.is_nested_call() {
            Some(one_line_shape)
        } else {
            let offset: usize = rw.iter().map(|s| 2 + s.as_deref().map_or(0, width)).sum();
            Shape {
                width: max_item_width.min(one_line_shape.width),
                ..one_line_shape
            }
            .offset(offset)
        };
        if let Some(r) = arg_shape.and_then(|s| last.rewrite(s)) {
            rw.push(Some(first_line(&r).to_string()));
            placeholder = Some(r);
        }
    }
    if placeholder.is_none() {
        rw.push(last.rewrite(nested));
    }
    let limit = max_item_width.min(one_line_width);
    let mut tactic = if fits_horizontally(&rw, limit) {
        Tactic::Horizontal
    } else {
        Tactic::Vertical
    };
    match (overflow_last, tactic, placeholder) {
        (true, Tactic::Horizontal, Some(o)) if n == 1 => {
            if newlines(&o) == 1 {
                let r = last.rewrite(nested);
                rw[0] = match r {
                    Some(r) if !r.contains('\n') => Some(r),
                    _ => Some(o),
                };
            } else {
                rw[0] = Some(o);
            }
        }
        (true, Tactic::Horizontal, Some(o)) => rw[n - 1] = Some(o),
        (_, _, placeholder) => {
            if placeholder.is_some() {
                rw[n - 1] = last.rewrite(nested);
            }
            let single = rw[0].as_deref();
            if n == 1
                && one_line_width != 0
                && single.is_some_and(|s| !s.contains('\n') && width(s) <= one_line_width)
            {
                tactic = Tactic::Horizontal;
            } else {
                tactic = if fits_horizontally(&rw, limit) {
                    Tactic::Horizontal
                } else {
                    Tactic::Vertical
                };
                if tactic == Tactic::Vertical {
                    if let Some(k) = special {
                        let all_simple = n > k && items[..k].iter().all(Expr::is_simple);
                        if all_simple
                            && fits_horizontally(&rw[..k], nested.width)
                            && fits_horizontally(&rw[k + 1..], nested.width)
                        {
                            tactic = Tactic::SpecialMacro(k);
                        }
                    } else if items.iter().all(Expr::is_simple)
                        && rw
                            .iter()
                            .all(|s| s.as_deref().is_some_and(|s| width(s) <= SHORT_ITEM))
                    {
                        tactic = Tactic::Mixed;
                    }
                }
            }
        }
    }
    let rw: Vec<String> = rw.into_iter().collect::<Option<_>>()?;
    let trailing = special.is_none();
    let body = write_list(&rw, tactic, nested, trailing);
    let mut out = format!("{ident}{open}");
    if tactic == Tactic::Horizontal {
        out.push_str(&body);
    } else {
        out.push('\n');
        pad(&mut out, nested.block);
        out.push_str(&body);
        out.push('\n');
        pad(&mut out, shape.block);
    }
    out.push_str(close);
    Some(out)
}

/// rustfmt's `write_list` for comma-separated items: the text between the
/// delimiters, lines after the first indented to `nested.block`.
fn write_list(items: &[String], tactic: Tactic, nested: Shape, trailing: bool) -> String {
    let mut out = String::with_capacity(items.iter().map(|i| i.len() + 2).sum());
    let n = items.len();
    match tactic {
        Tactic::Horizontal => out.push_str(&items.join(", ")),
        Tactic::Vertical => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    pad(&mut out, nested.block);
                }
                out.push_str(item);
                if i + 1 < n || trailing {
                    out.push(',');
                }
            }
        }
        Tactic::Mixed => {
            let mut line = 0;
            for (i, item) in items.iter().enumerate() {
                let total = width(item) + 1;
                if line > 0 && line + 1 + total > nested.width {
                    out.push('\n');
                    pad(&mut out, nested.block);
                    line = 0;
                }
                if line > 0 {
                    out.push(' ');
                    line += 1;
                }
                out.push_str(item);
                if i + 1 < n || trailing {
                    out.push(',');
                }
                line += total;
            }
        }
        Tactic::SpecialMacro(k) => {
            for (i, item) in items.iter().enumerate() {
                if i == 0 {
                } else if i < k || i > k + 1 {
                    out.push(' ');
                } else {
                    out.push('\n');
                    pad(&mut out, nested.block);
                }
                out.push_str(item);
                if i + 1 < n || trailing {
                    out.push(',');
                }
            }
        }
    }
    out
}

/// A struct literal (rustfmt's `rewrite_struct_lit`): its fields on one line
/// when they fit in `struct_lit_width`, else one per line.
fn struct_lit(path: &str, fields: &[(String, Expr)], shape: Shape) -> Option<String> {
    if width(path) + 2 > shape.width {
        return None;
    }
    if fields.is_empty() {
        return Some(format!("{path} {{}}"));
    }
    let v_shape = shape.nested(0);
    let field_shape = v_shape.offset(1)?;
    let rw: Vec<String> = fields
        .iter()
        .map(|(name, e)| field(name, e, field_shape))
        .collect::<Option<_>>()?;
    let h_width = shape
        .width
        .checked_sub(width(path) + 5)
        .map(|w| w.min(STRUCT_LIT_WIDTH));
    // `fits_horizontally` of the fields.
    let one_line = !rw.iter().any(|f| f.contains('\n'));
    let total = rw.iter().map(|f| width(f)).sum::<usize>() + 2 * (rw.len() - 1);
    if one_line && h_width.is_some_and(|w| total <= w) {
        return Some(format!("{path} {{ {} }}", rw.join(", ")));
    }
    let mut out = format!("{path} {{");
    for f in &rw {
        out.push('\n');
        pad(&mut out, v_shape.block);
        out.push_str(f);
        out.push(',');
    }
    out.push('\n');
    pad(&mut out, shape.block);
    out.push('}');
    Some(out)
}

/// `name: value` in a struct literal (rustfmt's `rewrite_field`): the value
/// after the name, or on the next line when it cannot go there at all.
fn field(name: &str, e: &Expr, shape: Shape) -> Option<String> {
    let mut text = String::with_capacity(64);
    field_into(name, e, shape, &mut text).then_some(text)
}

/// [`field`], appended to `out`; `false` (nothing appended) where it gives
/// up.
fn field_into(name: &str, e: &Expr, shape: Shape, out: &mut String) -> bool {
    let start = out.len();
    out.push_str(name);
    out.push(':');
    let overhead = width(name) + 2;
    if let Some(s) = shape.offset(overhead) {
        out.push(' ');
        if e.rewrite_into(s, out) {
            return true;
        }
        out.pop();
    }
    let next = shape.nested(0);
    out.push('\n');
    pad(out, next.block);
    if e.rewrite_into(next, out) {
        return true;
    }
    out.truncate(start);
    false
}

/// `recv.method(args)` and `tries` `?` (rustfmt's chains): on one line
/// when it fits, else the call on the next line, one block further in.
fn chain(recv: &str, method: &str, args: &[Expr], tries: usize, shape: Shape) -> Option<String> {
    let call = Expr::Call(format!(".{method}"), args.to_vec());
    let joined = shape
        .offset(width(recv))
        .and_then(|s| call.rewrite(s))
        .filter(|s| !s.contains('\n'));
    let q = "?".repeat(tries);
    if let Some(j) = joined {
        // Each `?` costs three columns: rustfmt counts it in the chain's
        // budget, in the last call's shape, and wants a column left after.
        if width(recv) + width(&j) + 3 * tries <= shape.width {
            return Some(format!("{recv}{j}{q}"));
        }
    }
    if width(recv) > shape.width {
        return None;
    }
    // The `?` and the `,` or `;` after the chain.
    let child = shape.nested(tries + 1);
    let c = call.rewrite(child)?;
    Some(format!("{recv}\n{}{c}{q}", spaces(child.block)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic pseudo-random source (xorshift64).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Text of about `n` columns: ASCII, or with non-ASCII characters (one
    /// column each, several bytes), backticks, quotes and `*/`.
    fn text(rng: &mut Rng, n: usize) -> String {
        const PIECES: [&str; 8] = ["a", "_", "é", "`", "\"", "*/", "漢", "x9"];
        let mut s = String::new();
        while width(&s) < n {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
        s
    }

    /// A random expression of at most `depth` levels of nesting, with
    /// widths spread around the layout's limits.
    fn expr(rng: &mut Rng, depth: usize) -> Expr {
        let widths = [1, 3, 8, 10, 11, 17, 18, 19, 30, 55, 60, 61, 95];
        let atom = |rng: &mut Rng| {
            let w = widths[rng.below(widths.len())];
            let leaf = [Leaf::Simple, Leaf::Call, Leaf::Other][rng.below(3)];
            Expr::Atom(text(rng, w), leaf)
        };
        if depth == 0 {
            return atom(rng);
        }
        let items = |rng: &mut Rng| -> Vec<Expr> {
            let n = [0, 1, 1, 2, 3, 5, 12][rng.below(7)];
            (0..n).map(|_| expr(rng, depth - 1)).collect()
        };
        match rng.below(9) {
            0 => atom(rng),
            1 => reference(expr(rng, depth - 1)),
            2 => {
                let w = widths[rng.below(5)];
                Expr::Call(text(rng, w), items(rng))
            }
            3 => {
                let args = items(rng);
                Expr::Macro("write!".into(), rng.below(2), args)
            }
            4 => Expr::Array(items(rng)),
            5 => Expr::Tuple(items(rng)),
            6 => {
                let w = widths[rng.below(6)];
                let fields = items(rng)
                    .into_iter()
                    .map(|e| {
                        let w = 1 + rng.below(12);
                        (text(rng, w), e)
                    })
                    .collect();
                Expr::Struct(text(rng, w), fields)
            }
            _ => {
                let w = widths[rng.below(6)];
                let recv = text(rng, w);
                let w = 1 + rng.below(8);
                let method = text(rng, w);
                Expr::Chain(recv, method, items(rng), rng.below(3))
            }
        }
    }

    /// Lays `e` out in `shape` with the one-line fast path on or off.
    fn laid_out(e: &Expr, shape: Shape, fast: bool) -> Option<String> {
        FAST_PATH.with(|f| f.set(fast));
        let text = e.rewrite(shape);
        FAST_PATH.with(|f| f.set(true));
        text
    }

    #[test]
    fn the_one_line_fast_path_agrees_with_the_layout_rules() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut flat = 0;
        for _ in 0..3000 {
            let depth = 1 + rng.below(3);
            let e = expr(&mut rng, depth);
            let mut one_line = String::new();
            e.write_flat(&mut one_line);
            let w = width(&one_line);
            let mut shapes = vec![Shape::loose(8)];
            for block in [0, 4, 8, 12, 36, 40, 60, 92] {
                for suffix in [0, 1, 2] {
                    shapes.extend(Shape::line(block, suffix));
                }
                // Widths at and around the expression's own width.
                for d in [0, 1, 2, 3, 5] {
                    for width in [w.saturating_sub(d), w + d] {
                        let shape = Shape {
                            block,
                            width,
                            max: MAX_WIDTH,
                        };
                        shapes.push(shape);
                    }
                }
            }
            for shape in shapes {
                let fast = laid_out(&e, shape, true);
                assert_eq!(fast, laid_out(&e, shape, false), "{e:?} in {shape:?}");
                let mut into = String::new();
                let written = e.rewrite_into(shape, &mut into);
                assert_eq!(written.then_some(into), fast);
                if e.flat_width(shape).is_some() {
                    flat += 1;
                    assert_eq!(fast.as_deref(), Some(one_line.as_str()));
                }
            }
        }
        // The fast path was taken, and not only for atoms.
        assert!(flat > 10_000, "{flat}");
    }

    /// Lays `e` out at every indent, in a statement's, an argument's and a
    /// loose shape, with and without the fast paths, and asserts the same
    /// text; returns how many times it was written by [`Expr::vertical_into`].
    fn agrees_in_every_indent(e: &Expr) -> usize {
        let mut direct = 0;
        for block in (0..=96).step_by(4) {
            for shape in [Shape::line(block, 0), Shape::line(block, 1)]
                .into_iter()
                .flatten()
                .chain([Shape::loose(block)])
            {
                let fast = laid_out(e, shape, true);
                assert_eq!(fast, laid_out(e, shape, false), "{e:?} in {shape:?}");
                if e.vertical_into(shape, &mut String::new()) == Some(true) {
                    direct += 1;
                }
            }
        }
        direct
    }

    #[test]
    fn arrays_one_item_per_line_are_written_as_the_rules_lay_them_out() {
        // Column names and IAM actions: arrays of atoms, short and long,
        // behind a `&` or not, in every indent.
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        let mut direct = 0;
        for _ in 0..600 {
            let items: Vec<Expr> = (0..[1, 2, 3, 6, 12, 40][rng.below(6)])
                .map(|_| {
                    let w = [1, 4, 8, 10, 11, 20, 40, 90][rng.below(8)];
                    let leaf = [Leaf::Simple, Leaf::Simple, Leaf::Call, Leaf::Other][rng.below(4)];
                    Expr::Atom(text(&mut rng, w), leaf)
                })
                .collect();
            let array = Expr::Array(items);
            for e in [reference(array.clone()), array] {
                direct += agrees_in_every_indent(&e);
            }
        }
        assert!(direct > 5_000, "{direct}");
    }

    #[test]
    fn calls_one_argument_per_line_are_written_as_the_rules_lay_them_out() {
        // The method bodies: `rt::X::new(&methods::X, &[columns], &[(wire,
        // value), ...], ...)`, with arguments short and long (atoms, arrays
        // of atoms and of tuples, nested calls), in every indent.
        let mut rng = Rng(0x6a09_e667_f3bc_c908);
        let mut direct = 0;
        for _ in 0..500 {
            let args: Vec<Expr> = (0..2 + rng.below(4))
                .map(|_| {
                    let w = [1, 5, 10, 11, 20, 40, 70][rng.below(7)];
                    let atom = simple(text(&mut rng, w));
                    let n = [0, 1, 2, 3, 8][rng.below(5)];
                    match rng.below(5) {
                        0 => atom,
                        1 => reference(other(format!("methods::{}", text(&mut rng, w)))),
                        2 => reference(Expr::Array(
                            (0..n)
                                .map(|_| {
                                    let w = [3, 8, 12, 30][rng.below(4)];
                                    simple(format!("\"{}\"", text(&mut rng, w)))
                                })
                                .collect(),
                        )),
                        3 => reference(Expr::Array(
                            (0..n)
                                .map(|_| {
                                    let w = [3, 8, 12, 30][rng.below(4)];
                                    let wire = simple(format!("\"{}\"", text(&mut rng, w)));
                                    let value = if rng.below(2) == 0 {
                                        simple(text(&mut rng, w))
                                    } else {
                                        reference(leaf_call("identifier.to_string()"))
                                    };
                                    Expr::Tuple(vec![wire, value])
                                })
                                .collect(),
                        )),
                        _ => Expr::Call(
                            "rt::PatchRecord::to_patch".into(),
                            vec![simple(text(&mut rng, w))],
                        ),
                    }
                })
                .collect();
            let callee = ["rt::Select::new", "rt::Update::patch", "f"][rng.below(3)];
            direct += agrees_in_every_indent(&Expr::Call(callee.into(), args));
        }
        assert!(direct > 3_000, "{direct}");
    }

    #[test]
    fn struct_literals_one_field_per_line_are_written_as_the_rules_lay_them_out() {
        // The `new` and `read_fields` bodies and `rt::Method` statics: struct
        // literals, alone or the one argument of a call, with fields of every
        // width from short to past the line, in every indent.
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut direct = 0;
        for _ in 0..400 {
            let fields: Vec<(String, Expr)> = (0..1 + rng.below(6))
                .map(|_| {
                    let w = 1 + rng.below(40);
                    let name = text(&mut rng, w);
                    let lit = {
                        let w = [1, 10, 30, 50, 70, 90][rng.below(6)];
                        simple(format!("\"{}\"", text(&mut rng, w)))
                    };
                    let value = match rng.below(4) {
                        0 => Expr::Chain("fields".into(), "take".into(), vec![lit], 1),
                        1 => other("::std::option::Option::None"),
                        2 => Expr::Chain(name.clone(), "into".into(), vec![], 0),
                        _ => reference(Expr::Array(vec![lit.clone(), lit])),
                    };
                    (name, value)
                })
                .collect();
            let w = [2, 10, 30, 58, 70][rng.below(5)];
            let literal = Expr::Struct(text(&mut rng, w), fields);
            let w = [1, 4, 18, 40, 57][rng.below(5)];
            let call = Expr::Call(text(&mut rng, w), vec![literal.clone()]);
            for e in [literal, call] {
                direct += agrees_in_every_indent(&e);
            }
        }
        // Most of them were written directly.
        assert!(direct > 10_000, "{direct}");
    }

    #[test]
    fn calls_break_their_arguments_past_sixty_columns() {
        let call = |a: &str| {
            Expr::Call(
                "out.opt".into(),
                vec![simple(format!("{a:?}")), simple(format!("&self.{a}"))],
            )
        };
        let shape = Shape::line(8, 1).unwrap();
        assert_eq!(
            call("worker_configuration_arn").rewrite(shape).unwrap(),
            "out.opt(\"worker_configuration_arn\", &self.worker_configuration_arn)"
        );
        assert_eq!(
            call("integration_association_id").rewrite(shape).unwrap(),
            "out.opt(\n            \"integration_association_id\",\n            &self.integration_association_id,\n        )"
        );
    }

    #[test]
    fn short_simple_items_are_packed() {
        let items: Vec<Expr> = (0..30).map(|i| simple(format!("\"c{i}\""))).collect();
        let text = reference(Expr::Array(items))
            .rewrite(Shape::line(8, 1).unwrap())
            .unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "&[");
        assert!(
            lines[1].starts_with("            \"c0\", \"c1\", "),
            "{text}"
        );
        assert!(lines.iter().all(|l| l.len() <= MAX_WIDTH), "{text}");
        assert_eq!(*lines.last().unwrap(), "        ]");
    }

    #[test]
    fn a_right_hand_side_moves_to_the_next_line_when_it_fits_there() {
        let rhs = Expr::Call(
            "::std::option::Option::Some".into(),
            vec![leaf_call("value.into()")],
        );
        let lhs = format!("self.{} =", "a_very_long_field_name_that_goes_on".repeat(2));
        let text = assign(&lhs, &rhs, Shape::line(8, 1).unwrap()).unwrap();
        assert_eq!(
            text,
            format!("{lhs}\n            ::std::option::Option::Some(value.into())")
        );
    }
}
