//! Items and types: right-hand sides of `=` and `:`, `static`/`const`
//! items, generic types, and function signatures, as rustfmt lays them out.

use super::{
    fast_path, first_line, newlines, pad, spaces, width, write_list, Expr, Shape, Tactic,
    MAX_WIDTH, TAB,
};

/// `lhs = rhs` or `lhs: Type` (rustfmt's `rewrite_assign_rhs` /
/// `choose_rhs`): the right-hand side after `lhs ` when it fits there on one
/// line; else on the next line, one block in, when it fits there on one
/// line or breaks into fewer lines; else broken after `lhs `. `shape` is the
/// whole line's (its width less the `;` or `,` that follows).
pub fn assign(lhs: &str, rhs: &dyn Rewrite, shape: Shape) -> Option<String> {
    // The last line of a broken `lhs` is indented absolutely.
    let last = match lhs.rsplit_once('\n') {
        Some((_, l)) => width(l).saturating_sub(shape.block),
        None => width(lhs),
    };
    let orig_shape = shape
        .offset(last + 1)
        .unwrap_or(Shape { width: 0, ..shape });
    let orig = rhs.rewrite_in(orig_shape);
    if let Some(o) = &orig {
        if !o.contains('\n') && width(o) <= orig_shape.width {
            return Some(format!("{lhs} {o}"));
        }
    }
    let new_shape = Shape {
        block: shape.block + TAB,
        width: shape.width.saturating_sub(TAB),
        ..shape
    };
    let new = rhs.rewrite_in(new_shape);
    let next = |n: &str| format!("{lhs}\n{}{n}", spaces(new_shape.block));
    match (orig, new) {
        (Some(o), Some(n)) if prefer_next_line(&o, &n) => Some(next(&n)),
        (None, Some(n)) => Some(next(&n)),
        (Some(o), _) => Some(format!("{lhs} {o}")),
        (None, None) => None,
    }
}

/// [`assign`], appended to `out`; `false` (nothing appended) where it gives
/// up. Most right-hand sides fit after `lhs ` on one line: that layout is
/// written straight into `out`, without laying out the others.
pub fn assign_into(out: &mut String, lhs: &str, rhs: &dyn Rewrite, shape: Shape) -> bool {
    if !lhs.contains('\n') {
        if let Some(orig_shape) = shape.offset(width(lhs) + 1) {
            if rhs
                .flat_width_in(orig_shape)
                .is_some_and(|w| w <= orig_shape.width)
            {
                out.push_str(lhs);
                out.push(' ');
                rhs.write_flat_in(out);
                return true;
            }
        }
    }
    match assign(lhs, rhs, shape) {
        Some(text) => {
            out.push_str(&text);
            true
        }
        None => false,
    }
}

/// rustfmt's `prefer_next_line`.
fn prefer_next_line(orig: &str, next: &str) -> bool {
    let ends = |s: &str, c: char| first_line(s).ends_with(c);
    !next.contains('\n')
        || newlines(orig) > newlines(next) + 1
        || ['(', '{', '[']
            .iter()
            .any(|&c| ends(orig, c) && !ends(next, c))
}

/// `prefix ty = rhs` for a `static` or `const` at `indent` (rustfmt's
/// `rewrite_static`): the type after `prefix` when it fits there with ` =`,
/// else on the next line; then the right-hand side as [`assign`] lays it
/// out. `None` where rustfmt gives up.
pub fn item_into(
    out: &mut String,
    indent: usize,
    prefix: &str,
    ty: &str,
    rhs: &dyn Rewrite,
) -> bool {
    // `prefix ` and ` =` must fit before anything else does.
    let Some(ty_room) = MAX_WIDTH.checked_sub(indent + width(prefix) + 1 + 2) else {
        return false;
    };
    let Some(shape) = Shape::line(indent, 1) else {
        return false;
    };
    let mut lhs = String::with_capacity(prefix.len() + ty.len() + indent + 8);
    lhs.push_str(prefix);
    if width(ty) <= ty_room {
        lhs.push(' ');
    } else {
        lhs.push('\n');
        lhs.extend(std::iter::repeat_n(' ', indent + TAB));
    }
    lhs.push_str(ty);
    lhs.push_str(" =");
    assign_into(out, &lhs, rhs, shape)
}

/// Something laid out in a shape: an expression or a type.
pub trait Rewrite {
    /// The text in `shape`, or `None` where rustfmt's rewrite fails.
    fn rewrite_in(&self, shape: Shape) -> Option<String>;

    /// The width of the one-line text [`Rewrite::write_flat_in`] writes,
    /// when [`Rewrite::rewrite_in`] gives exactly that text in `shape`;
    /// `None` when it may not (or this cannot tell).
    fn flat_width_in(&self, shape: Shape) -> Option<usize>;

    /// Appends the one-line text (see [`Rewrite::flat_width_in`]).
    fn write_flat_in(&self, out: &mut String);
}

impl Rewrite for Expr {
    fn rewrite_in(&self, shape: Shape) -> Option<String> {
        self.rewrite(shape)
    }

    fn flat_width_in(&self, shape: Shape) -> Option<usize> {
        // [`Expr::rewrite`] gives the flat text where its fast path does.
        if fast_path() {
            self.flat_width(shape)
        } else {
            None
        }
    }

    fn write_flat_in(&self, out: &mut String) {
        self.write_flat(out);
    }
}

/// A type, as far as layout is concerned.
#[derive(Debug, Clone)]
pub enum Type {
    /// A path without generic arguments (`i64`, `::std::string::String`).
    Path(String),
    /// `path<args>`.
    Generic(String, Vec<Type>),
    /// `impl bound`.
    Impl(Box<Type>),
    /// `&type`.
    Ref(Box<Type>),
}

impl Type {
    /// The type on one line.
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(self.width());
        self.write(&mut out);
        out
    }

    /// The width of [`Type::text`], without writing it.
    fn width(&self) -> usize {
        match self {
            Type::Path(p) => width(p),
            Type::Generic(p, args) => width(p) + 2 + list_width(args.iter().map(Type::width)),
            Type::Impl(t) => "impl ".len() + t.width(),
            Type::Ref(t) => 1 + t.width(),
        }
    }

    /// Appends [`Type::text`].
    fn write(&self, out: &mut String) {
        match self {
            Type::Path(p) => out.push_str(p),
            Type::Generic(p, args) => {
                out.push_str(p);
                out.push('<');
                write_joined(out, args, Type::write);
                out.push('>');
            }
            Type::Impl(t) => {
                out.push_str("impl ");
                t.write(out);
            }
            Type::Ref(t) => {
                out.push('&');
                t.write(out);
            }
        }
    }
}

/// Appends `items`, each by `write`, separated by `, `.
fn write_joined<T>(out: &mut String, items: &[T], write: impl Fn(&T, &mut String)) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write(item, out);
    }
}

/// The width of items of `widths` on one line, separated by `, `.
fn list_width(widths: impl Iterator<Item = usize>) -> usize {
    let (n, sum) = widths.fold((0usize, 0), |(n, sum), w| (n + 1, sum + w));
    sum + 2 * n.saturating_sub(1)
}

impl Rewrite for Type {
    /// A type as wide as `shape` or narrower is its one line: a path or
    /// generic type by the test below, `impl T` and `&T` because `T` is then
    /// narrower than its own shape too.
    fn flat_width_in(&self, shape: Shape) -> Option<usize> {
        Some(self.width()).filter(|&w| w <= shape.width)
    }

    fn write_flat_in(&self, out: &mut String) {
        self.write(out);
    }

    /// rustfmt's type rewrite: one line when it fits, else the generic
    /// arguments one per line (a path's arguments never overflow).
    fn rewrite_in(&self, shape: Shape) -> Option<String> {
        match self {
            Type::Path(p) => (width(p) <= shape.width).then(|| p.clone()),
            // rustfmt formats an `impl` type's bounds in the shape of the
            // whole type, not counting `impl ` (edition 2021 and before).
            Type::Impl(t) => Some(format!("impl {}", t.rewrite_in(shape)?)),
            Type::Ref(t) => Some(format!("&{}", t.rewrite_in(shape.offset(1)?)?)),
            Type::Generic(p, args) => {
                if self.width() <= shape.width {
                    return Some(self.text());
                }
                if width(p) + 1 > shape.width {
                    return None;
                }
                let nested = shape.nested(1);
                let rw: Vec<String> = args
                    .iter()
                    .map(|a| a.rewrite_in(nested))
                    .collect::<Option<_>>()?;
                let body = write_list(&rw, Tactic::Vertical, nested, true);
                Some(format!(
                    "{p}<\n{}{body}\n{}>",
                    spaces(nested.block),
                    spaces(shape.block)
                ))
            }
        }
    }
}

/// A function parameter: `name: Type`, or `self` forms (no type).
#[derive(Debug, Clone)]
pub struct Param {
    /// `name:` (with the colon) or `&self`, `mut self`.
    pub head: String,
    /// The type, if any.
    pub ty: Option<Type>,
}

impl Param {
    /// `name: ty`.
    pub fn new(name: &str, ty: Type) -> Param {
        let mut head = String::with_capacity(name.len() + 1);
        head.push_str(name);
        head.push(':');
        Param { head, ty: Some(ty) }
    }

    /// A parameter without a type (`&self`, `mut self`).
    pub fn receiver(text: &str) -> Param {
        Param {
            head: text.to_string(),
            ty: None,
        }
    }

    /// The width of the parameter on one line.
    fn width(&self) -> usize {
        width(&self.head) + self.ty.as_ref().map_or(0, |t| 1 + t.width())
    }

    /// Appends the parameter on one line.
    fn write(&self, out: &mut String) {
        out.push_str(&self.head);
        if let Some(t) = &self.ty {
            out.push(' ');
            t.write(out);
        }
    }

    fn rewrite(&self, shape: Shape) -> String {
        match &self.ty {
            Some(t) => {
                let at = shape.offset(width(&self.head) + 1);
                let ty = at.and_then(|s| t.rewrite_in(s)).unwrap_or_else(|| t.text());
                let mut text = String::with_capacity(self.head.len() + 1 + ty.len());
                text.push_str(&self.head);
                text.push(' ');
                text.push_str(&ty);
                text
            }
            None => self.head.clone(),
        }
    }
}

/// A function signature up to its opening brace (rustfmt's
/// `rewrite_fn_base`), appended to `out`: `head(params) tail {` on one line
/// when it fits, else one parameter per line. `head` is `pub fn name` (with
/// generics), `tail` the ` -> Type` or nothing.
pub fn fn_sig(out: &mut String, indent: usize, head: &str, params: &[Param], tail: &str) {
    let one = width(head) + 1 + list_width(params.iter().map(Param::width)) + 1 + width(tail) + 2;
    if indent + one <= MAX_WIDTH {
        pad(out, indent);
        out.push_str(head);
        out.push('(');
        write_joined(out, params, Param::write);
        out.push(')');
        out.push_str(tail);
        out.push_str(" {");
        return;
    }
    if params.is_empty() {
        // Without parameters: the brace on a line of its own, else the
        // return type after an empty parameter list broken open. rustfmt
        // budgets the one-line form without `(`, `->` and the brace, so
        // it keeps a line of up to `MAX_WIDTH + 2` columns.
        pad(out, indent);
        out.push_str(head);
        if indent + width(head) + 2 + width(tail) <= MAX_WIDTH + 2 {
            out.push_str("()");
            out.push_str(tail);
            out.push('\n');
            pad(out, indent);
            out.push('{');
        } else {
            out.push_str("(\n");
            pad(out, indent);
            out.push(')');
            out.push_str(tail);
            out.push_str(" {");
        }
        return;
    }
    let inner = indent + TAB;
    let shape = Shape::line(inner, 1).unwrap_or(Shape::loose(inner));
    pad(out, indent);
    out.push_str(head);
    out.push_str("(\n");
    for p in params {
        pad(out, inner);
        out.push_str(&p.rewrite(shape));
        out.push_str(",\n");
    }
    pad(out, indent);
    out.push(')');
    out.push_str(tail);
    out.push_str(" {");
}
