//! The HTML and JSX-ish parts of a page, read with a real HTML tokenizer
//! (html5gum): `<table>`s, `<CopyableCode code="..." />`, `<TabItem value>`,
//! `<code>`, `<br />` and `<a href>`. Entities are decoded by the tokenizer.

use html5gum::emitters::callback::{Callback, CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Span, Tokenizer};
use std::convert::Infallible;

/// What a piece of inline HTML contributes to flow text.
#[derive(Debug, Clone, PartialEq)]
pub enum InlineHtml {
    /// `<code>` or `</code>`: a backtick.
    Code,
    /// `<br />`: a space.
    Break,
    /// Text (e.g. a `CopyableCode`'s `code` attribute, in backticks).
    Text(String),
    /// An `<a href>`.
    Link(String),
}

/// What the HTML of a section holds.
#[derive(Debug, Clone, PartialEq)]
pub enum HtmlItem {
    /// A table at a source offset: rows of (offset, is-header, cells).
    Table(usize, Vec<(usize, bool, Vec<String>)>),
    /// `<TabItem value="...">` at an offset.
    TabOpen(usize, String),
    /// `</TabItem>` at an offset.
    TabClose(usize),
    /// `<a href="...">` at an offset.
    Link(usize, String),
}

/// The tags the parse acts on; every other tag is [`Name::Other`].
#[derive(Debug, Clone, Copy, PartialEq)]
enum Name {
    Table,
    Tr,
    Td,
    Th,
    TabItem,
    A,
    Code,
    Br,
    CopyableCode,
    Other,
}

impl Name {
    /// The tag of a (lower-cased) tag name.
    fn of(name: &[u8]) -> Name {
        match name {
            b"table" => Name::Table,
            b"tr" => Name::Tr,
            b"td" => Name::Td,
            b"th" => Name::Th,
            b"tabitem" => Name::TabItem,
            b"a" => Name::A,
            b"code" => Name::Code,
            b"br" => Name::Br,
            b"copyablecode" => Name::CopyableCode,
            _ => Name::Other,
        }
    }

    /// The one attribute the parse reads on this tag.
    fn attribute(self) -> Option<&'static [u8]> {
        match self {
            Name::TabItem => Some(b"value"),
            Name::A => Some(b"href"),
            Name::CopyableCode => Some(b"code"),
            _ => None,
        }
    }
}

/// A token, as far as the parse reads it; strings are borrowed from the
/// tokenizer's buffers.
enum Tok<'a> {
    /// A start tag at a byte offset, with the value of the one attribute
    /// [`Name::attribute`] names (its first occurrence), if present.
    Start(Name, usize, Option<&'a [u8]>),
    /// An end tag at a byte offset.
    End(Name, usize),
    /// Text between tags, entities decoded.
    Text(&'a [u8]),
}

/// Assembles html5gum's callback events into [`Tok`]s for `on`, keeping
/// only the attribute the tag's [`Name`] reads: no per-tag map or string
/// is built.
struct Events<F> {
    on: F,
    /// The start tag being read and its offset.
    tag: Name,
    start: usize,
    /// The wanted attribute's value, once its name was seen.
    value: Option<Vec<u8>>,
    /// Whether attribute values now belong to the wanted attribute.
    capturing: bool,
}

impl<F: FnMut(Tok<'_>)> Callback<Infallible, usize> for Events<F> {
    fn handle_event(&mut self, event: CallbackEvent<'_>, span: Span<usize>) -> Option<Infallible> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.tag = Name::of(name);
                self.start = span.start;
                self.value = None;
                self.capturing = false;
            }
            CallbackEvent::AttributeName { name } => {
                // The first of repeated attributes counts (WHATWG).
                self.capturing =
                    self.value.is_none() && self.tag.attribute().is_some_and(|a| a == name);
                if self.capturing {
                    self.value = Some(Vec::new());
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if let (true, Some(v)) = (self.capturing, self.value.as_mut()) {
                    v.extend_from_slice(value);
                }
            }
            CallbackEvent::CloseStartTag { .. } => {
                (self.on)(Tok::Start(self.tag, self.start, self.value.as_deref()));
                self.reset();
            }
            CallbackEvent::EndTag { name } => {
                // Attributes of an end tag are dropped.
                self.reset();
                (self.on)(Tok::End(Name::of(name), span.start));
            }
            CallbackEvent::String { value } => (self.on)(Tok::Text(value)),
            _ => {}
        }
        None
    }
}

impl<F> Events<F> {
    fn reset(&mut self) {
        self.tag = Name::Other;
        self.value = None;
        self.capturing = false;
    }
}

/// The callback emitter with error reporting off: the parse reads no
/// tokenizer errors, and validating every byte for them costs time.
struct Quiet<E>(E);

impl<E: Emitter> ForwardingEmitter for Quiet<E> {
    type Token = E::Token;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.0
    }

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn emit_error(&mut self, _: html5gum::Error) {}
}

/// Tokenizes `text`, handing each [`Tok`] to `on` in order.
fn scan(text: &str, on: impl FnMut(Tok<'_>)) {
    let events = Events {
        on,
        tag: Name::Other,
        start: 0,
        value: None,
        capturing: false,
    };
    let emitter = Quiet(CallbackEmitter::<_, Infallible, usize>::new(events));
    // The callback takes every token: the iterator yields none (its items
    // are uninhabited) and ends when the tokenizer reaches the end.
    Tokenizer::new_with_emitter(text, emitter).for_each(drop);
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Reads a piece of inline HTML (one tag, usually).
pub fn inline_items(raw: &str) -> Vec<InlineHtml> {
    // The tags met most by far, read as the tokenizer reads them.
    match raw {
        "<code>" | "</code>" => return vec![InlineHtml::Code],
        "<br>" | "<br/>" | "<br />" => return vec![InlineHtml::Break],
        "</a>" => return Vec::new(),
        _ => {}
    }
    let mut out = Vec::new();
    scan(raw, |tok| match tok {
        Tok::Start(Name::Code, _, _) | Tok::End(Name::Code, _) => out.push(InlineHtml::Code),
        Tok::Start(Name::Br, _, _) => out.push(InlineHtml::Break),
        Tok::Start(Name::CopyableCode, _, Some(code)) => out.push(InlineHtml::Text(format!(
            "`{}`",
            String::from_utf8_lossy(code)
        ))),
        Tok::Start(Name::A, _, Some(href)) => out.push(InlineHtml::Link(lossy(href))),
        _ => {}
    });
    out
}

/// Collapses runs of white space to one space and trims.
pub fn collapse_ws(s: &str) -> String {
    if collapsed(s) {
        return s.to_string();
    }
    collapse_words(s)
}

/// [`collapse_ws`] of an owned string: kept as it is when there is nothing
/// to collapse (most cells and paragraphs).
pub(crate) fn collapse_ws_owned(s: String) -> String {
    if collapsed(&s) {
        return s;
    }
    collapse_words(&s)
}

/// Whether `s` has no leading or trailing white space and no white space
/// but single spaces between words: what [`collapse_ws`] leaves as it is.
fn collapsed(s: &str) -> bool {
    let mut after_space = true;
    if s.is_ascii() {
        for &b in s.as_bytes() {
            // `char::is_whitespace` on ASCII.
            let space = matches!(b, b' ' | b'\t'..=b'\r');
            if space && (after_space || b != b' ') {
                return false;
            }
            after_space = space;
        }
        return !after_space || s.is_empty();
    }
    for c in s.chars() {
        let space = c.is_whitespace();
        if space && (after_space || c != ' ') {
            return false;
        }
        after_space = space;
    }
    !after_space || s.is_empty()
}

fn collapse_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[derive(Default)]
struct TableState {
    offset: usize,
    rows: Vec<(usize, bool, Vec<String>)>,
    row: Option<(usize, bool, Vec<String>)>,
    cell: Option<String>,
}

/// Tokenizes the raw HTML chunks of one section, given as (source offset, text).
pub fn block_items(chunks: &[(usize, String)]) -> Vec<HtmlItem> {
    let mut joined = Chunks::default();
    for (src, text) in chunks {
        joined.push(*src, text);
    }
    joined.items()
}

/// The raw HTML chunks of one section, joined into one text for the
/// tokenizer, with the page offset of each.
#[derive(Default)]
pub struct Chunks {
    joined: String,
    /// (offset in `joined`, offset in the page) of each chunk.
    map: Vec<(usize, usize)>,
}

impl Chunks {
    /// Adds the chunk `text` found at page offset `src`.
    pub fn push(&mut self, src: usize, text: &str) {
        self.map.push((self.joined.len(), src));
        self.joined.push_str(text);
    }

    /// Whether no chunk was added since the last [`Chunks::clear`].
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Forgets the chunks (keeping the memory for the next section's).
    pub fn clear(&mut self) {
        self.joined.clear();
        self.map.clear();
    }

    /// Tokenizes the chunks: their tables, tab markers and links.
    pub fn items(&self) -> Vec<HtmlItem> {
        let (joined, map) = (&self.joined, &self.map);
        let to_src = |pos: usize| -> usize {
            let i = map.partition_point(|(j, _)| *j <= pos).saturating_sub(1);
            map.get(i).map_or(0, |(j, src)| src + (pos - j))
        };

        let mut out = Vec::new();
        let mut table: Option<TableState> = None;
        scan(joined, |tok| match tok {
            Tok::Start(name, start, attr) => {
                let pos = to_src(start);
                match name {
                    Name::Table => {
                        table.get_or_insert(TableState {
                            offset: pos,
                            ..TableState::default()
                        });
                    }
                    Name::Tr => {
                        if let Some(t) = table.as_mut() {
                            close_row(t);
                            t.row = Some((pos, false, Vec::new()));
                        }
                    }
                    Name::Td | Name::Th => {
                        if let Some(t) = table.as_mut() {
                            close_cell(t);
                            if t.row.is_none() {
                                t.row = Some((pos, false, Vec::new()));
                            }
                            if name == Name::Th {
                                if let Some(r) = t.row.as_mut() {
                                    r.1 = true;
                                }
                            }
                            t.cell = Some(String::new());
                        }
                    }
                    Name::TabItem => {
                        out.push(HtmlItem::TabOpen(pos, attr.map(lossy).unwrap_or_default()))
                    }
                    _ => {
                        if let (Name::A, Some(href)) = (name, attr) {
                            out.push(HtmlItem::Link(pos, lossy(href)));
                        }
                        if let Some(cell) = table.as_mut().and_then(|t| t.cell.as_mut()) {
                            match (name, attr) {
                                (Name::Code, _) => cell.push('`'),
                                (Name::Br, _) => cell.push(' '),
                                (Name::CopyableCode, Some(code)) => {
                                    cell.push_str(&String::from_utf8_lossy(code))
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
            Tok::End(name, start) => match name {
                Name::Table => {
                    if let Some(mut t) = table.take() {
                        close_row(&mut t);
                        out.push(HtmlItem::Table(t.offset, t.rows));
                    }
                }
                Name::Tr => {
                    if let Some(t) = table.as_mut() {
                        close_row(t);
                    }
                }
                Name::Td | Name::Th => {
                    if let Some(t) = table.as_mut() {
                        close_cell(t);
                    }
                }
                Name::TabItem => out.push(HtmlItem::TabClose(to_src(start))),
                Name::Code => {
                    if let Some(cell) = table.as_mut().and_then(|t| t.cell.as_mut()) {
                        cell.push('`');
                    }
                }
                _ => {}
            },
            Tok::Text(s) => {
                if let Some(cell) = table.as_mut().and_then(|t| t.cell.as_mut()) {
                    match std::str::from_utf8(s) {
                        Ok(text) => cell.push_str(text),
                        Err(_) => cell.push_str(&String::from_utf8_lossy(s)),
                    }
                }
            }
        });
        if let Some(mut t) = table.take() {
            // An unterminated table still yields its rows.
            close_row(&mut t);
            out.push(HtmlItem::Table(t.offset, t.rows));
        }
        out
    }
}

fn close_cell(t: &mut TableState) {
    if let Some(cell) = t.cell.take() {
        if let Some(r) = t.row.as_mut() {
            r.2.push(collapse_ws_owned(cell));
        }
    }
}

fn close_row(t: &mut TableState) {
    close_cell(t);
    if let Some(r) = t.row.take() {
        if !r.2.is_empty() {
            t.rows.push(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_decode_entities_and_copyable_code() {
        let items = block_items(&[(
            10,
            "<table><tr><th>Name</th></tr><tr><td><CopyableCode code=\"a&quot;b\" /></td><td>x &#91;1&#93; &lt;y&gt;<br/>z</td></tr></table>".into(),
        )]);
        let HtmlItem::Table(off, rows) = &items[0] else {
            panic!()
        };
        assert_eq!(*off, 10);
        assert_eq!(rows[0].2, ["Name"]);
        assert!(rows[0].1);
        assert_eq!(rows[1].2, ["a\"b", "x [1] <y> z"]);
    }

    #[test]
    fn offsets_map_back_through_chunks() {
        let items = block_items(&[(0, "<p>".into()), (100, "<TabItem value=\"all\">".into())]);
        assert_eq!(items, [HtmlItem::TabOpen(100, "all".into())]);
    }

    #[test]
    fn collapsing_keeps_collapsed_text_and_collapses_the_rest() {
        for s in [
            "",
            " ",
            "a",
            "a b",
            " a",
            "a ",
            "a  b",
            "a\tb",
            "a\nb",
            "a\u{a0}b",
            "é ü",
            "a \u{2003}b",
        ] {
            let words = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_ws(s), words, "{s:?}");
            assert_eq!(collapse_ws_owned(s.to_string()), words, "{s:?}");
        }
    }

    #[test]
    fn common_inline_tags_read_as_the_tokenizer_reads_them() {
        for raw in ["<code>", "</code>", "<br>", "<br/>", "<br />", "</a>"] {
            let mut tokenized = Vec::new();
            scan(raw, |tok| match tok {
                Tok::Start(Name::Code, _, _) | Tok::End(Name::Code, _) => {
                    tokenized.push(InlineHtml::Code)
                }
                Tok::Start(Name::Br, _, _) => tokenized.push(InlineHtml::Break),
                _ => {}
            });
            assert_eq!(inline_items(raw), tokenized, "{raw}");
        }
    }

    #[test]
    fn inline_copyable_code_and_links() {
        assert_eq!(
            inline_items("<CopyableCode code=\"x\" />"),
            [InlineHtml::Text("`x`".into())]
        );
        assert_eq!(
            inline_items("<a href=\"/p/#permissions\">"),
            [InlineHtml::Link("/p/#permissions".into())]
        );
    }
}
