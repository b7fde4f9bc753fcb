//! The HTML and JSX-ish parts of a page, read with a real HTML tokenizer
//! (html5gum): `<table>`s, `<CopyableCode code="..." />`, `<TabItem value>`,
//! `<code>`, `<br />` and `<a href>`. Entities are decoded by the tokenizer.

use html5gum::{Emitter, State, Tokenizer};
use std::convert::Infallible;

mod plain;

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

    /// The tag of a tag name in any ASCII case (the tokenizer lowers it):
    /// each name the parse acts on compared once, chosen by its length.
    fn of_any_case(name: &[u8]) -> Name {
        // As pages write them, most of the time.
        match name {
            b"td" => return Name::Td,
            b"tr" => return Name::Tr,
            b"code" => return Name::Code,
            b"CopyableCode" => return Name::CopyableCode,
            _ => {}
        }
        let (known, tag): (&[u8], Name) = match name.len() {
            1 => (b"a", Name::A),
            2 => match name[1].to_ascii_lowercase() {
                b'r' if name[0].eq_ignore_ascii_case(&b'b') => (b"br", Name::Br),
                b'r' => (b"tr", Name::Tr),
                b'd' => (b"td", Name::Td),
                _ => (b"th", Name::Th),
            },
            4 => (b"code", Name::Code),
            5 => (b"table", Name::Table),
            7 => (b"tabitem", Name::TabItem),
            12 => (b"copyablecode", Name::CopyableCode),
            _ => return Name::Other,
        };
        if name.eq_ignore_ascii_case(known) {
            tag
        } else {
            Name::Other
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

/// An html5gum [`Emitter`] that hands the tokenizer's output to `on` as
/// [`Tok`]s as it comes: text straight from the tokenizer (nothing is
/// buffered for text the parse does not read), tag names classified once,
/// and only the value of the one attribute the tag's [`Name`] reads kept.
/// Errors are not reported (the parse reads none, and validating every byte
/// for them costs time). What `on` sees is what html5gum's callback emitter
/// would report, in the same order.
struct Events<F> {
    on: F,
    /// The byte offset the tokenizer is at, and where the tag being read
    /// starts (its `<`).
    position: usize,
    tag_start: usize,
    /// Whether the tag being read is a start tag (else an end tag).
    start_tag: bool,
    /// The name of the tag being read, until a start tag's name is taken
    /// (at its first attribute or its end).
    tag_name: Vec<u8>,
    /// The most recent start tag's name (for the tokenizer's end tag checks).
    last_start_tag: Vec<u8>,
    /// The start tag being read, once its name is taken.
    tag: Name,
    /// The current attribute's name, until it is complete.
    attribute: Vec<u8>,
    /// The wanted attribute's value, once its name was seen.
    value: Option<Vec<u8>>,
    /// Whether attribute values now belong to the wanted attribute.
    capturing: bool,
}

impl<F: FnMut(Tok<'_>)> Events<F> {
    /// The emitter of a text that starts at byte offset `position` of the
    /// whole text (offsets reported are the whole text's).
    fn new(on: F, position: usize) -> Self {
        Events {
            on,
            position,
            tag_start: 0,
            start_tag: false,
            tag_name: Vec::new(),
            last_start_tag: Vec::new(),
            tag: Name::Other,
            attribute: Vec::new(),
            value: None,
            capturing: false,
        }
    }

    /// Takes a start tag's name, once complete: its attributes follow.
    fn open_start_tag(&mut self) {
        if self.start_tag && !self.tag_name.is_empty() {
            self.tag = Name::of(&self.tag_name);
            self.value = None;
            self.capturing = false;
            std::mem::swap(&mut self.last_start_tag, &mut self.tag_name);
            self.tag_name.clear();
        }
    }

    /// Decides, once an attribute's name is complete, whether its value is
    /// the one wanted: the first attribute of that name (WHATWG).
    fn attribute_named(&mut self) {
        self.open_start_tag();
        if self.attribute.is_empty() {
            return;
        }
        self.capturing = self.value.is_none()
            && self
                .tag
                .attribute()
                .is_some_and(|a| a == self.attribute.as_slice());
        if self.capturing {
            self.value = Some(Vec::new());
        }
        self.attribute.clear();
    }

    fn reset(&mut self) {
        self.tag = Name::Other;
        self.value = None;
        self.capturing = false;
    }
}

impl<F: FnMut(Tok<'_>)> Emitter for Events<F> {
    type Token = Infallible;

    fn move_position(&mut self, offset: isize) {
        self.position = self.position.saturating_add_signed(offset);
    }

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start_tag.clear();
        self.last_start_tag
            .extend_from_slice(last_start_tag.unwrap_or_default());
    }

    fn emit_eof(&mut self) {}

    fn emit_error(&mut self, _: html5gum::Error) {}

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn pop_token(&mut self) -> Option<Infallible> {
        None
    }

    fn emit_string(&mut self, s: &[u8]) {
        (self.on)(Tok::Text(s));
    }

    fn init_start_tag(&mut self) {
        self.tag_name.clear();
        self.start_tag = true;
    }

    fn init_end_tag(&mut self) {
        self.tag_name.clear();
        self.start_tag = false;
    }

    fn init_comment(&mut self) {}

    fn emit_current_tag(&mut self) -> Option<State> {
        self.attribute_named();
        if self.start_tag {
            (self.on)(Tok::Start(self.tag, self.tag_start, self.value.as_deref()));
            self.reset();
        } else {
            // Attributes of an end tag are dropped.
            self.reset();
            self.last_start_tag.clear();
            (self.on)(Tok::End(Name::of(&self.tag_name), self.tag_start));
        }
        None
    }

    fn emit_current_comment(&mut self) {}

    fn emit_current_doctype(&mut self) {}

    fn set_self_closing(&mut self) {}

    fn set_force_quirks(&mut self) {}

    fn push_tag_name(&mut self, s: &[u8]) {
        self.tag_name.extend_from_slice(s);
    }

    fn push_comment(&mut self, _: &[u8]) {}

    fn push_doctype_name(&mut self, _: &[u8]) {}

    fn init_doctype(&mut self) {}

    fn init_attribute(&mut self) {
        self.attribute_named();
    }

    fn push_attribute_name(&mut self, s: &[u8]) {
        self.attribute.extend_from_slice(s);
    }

    fn push_attribute_value(&mut self, s: &[u8]) {
        self.attribute_named();
        if let (true, Some(v)) = (self.capturing, self.value.as_mut()) {
            v.extend_from_slice(s);
        }
    }

    fn set_doctype_public_identifier(&mut self, _: &[u8]) {}

    fn set_doctype_system_identifier(&mut self, _: &[u8]) {}

    fn push_doctype_public_identifier(&mut self, _: &[u8]) {}

    fn push_doctype_system_identifier(&mut self, _: &[u8]) {}

    fn start_open_tag(&mut self) {
        self.tag_start = self.position.saturating_sub(1);
    }

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        !self.start_tag && !self.last_start_tag.is_empty() && self.last_start_tag == self.tag_name
    }
}

/// Tokenizes `text`, handing each [`Tok`] to `on` in order: the start of
/// it in the plain subset pages' tables are written in by [`plain::scan`],
/// the rest (if any) by html5gum.
fn scan(text: &str, mut on: impl FnMut(Tok<'_>)) {
    let rest = plain::scan(text, &mut on);
    if let Some(tail) = text.get(rest..).filter(|t| !t.is_empty()) {
        tokenize(tail, rest, on);
    }
}

/// Tokenizes `text`, which starts at byte offset `at` of the whole text,
/// with html5gum, handing each [`Tok`] to `on` in order.
fn tokenize(text: &str, at: usize, on: impl FnMut(Tok<'_>)) {
    // The emitter takes every token: the iterator yields none (its items
    // are uninhabited) and ends when the tokenizer reaches the end.
    Tokenizer::new_with_emitter(text, Events::new(on, at)).for_each(drop);
}

/// The text of `bytes`, invalid UTF-8 replaced.
fn lossy(bytes: &[u8]) -> String {
    text(bytes).into_owned()
}

/// [`String::from_utf8_lossy`], with valid UTF-8 (all an attribute of a
/// page holds) checked by the fast validator first: the lossy one walks
/// valid text chunk by chunk.
fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Reads a piece of inline HTML (one tag, usually).
pub fn inline_items(raw: &str) -> Vec<InlineHtml> {
    // The tags met most by far, read as the tokenizer reads them.
    match raw {
        "<code>" | "</code>" => return vec![InlineHtml::Code],
        "<br>" | "<br/>" | "<br />" => return vec![InlineHtml::Break],
        // A `<details>`'s summary ends a sentence: its text and the rest's
        // must not run together.
        "</summary>" => return vec![InlineHtml::Break],
        "</a>" => return Vec::new(),
        _ => {}
    }
    let mut out = Vec::new();
    scan(raw, |tok| out.extend(inline_of(&tok)));
    out
}

/// What a tag of inline HTML stands for: `<code>` and `</code>`, `<br>`, a
/// `<CopyableCode>`'s code (in backticks), an `<a>`'s link.
fn inline_of(tok: &Tok) -> Option<InlineHtml> {
    match tok {
        Tok::Start(Name::Code, _, _) | Tok::End(Name::Code, _) => Some(InlineHtml::Code),
        Tok::Start(Name::Br, _, _) => Some(InlineHtml::Break),
        Tok::Start(Name::CopyableCode, _, Some(code)) => {
            let mut span = String::new();
            code_span(&text(code), &mut span);
            Some(InlineHtml::Text(span))
        }
        Tok::Start(Name::A, _, Some(href)) => Some(InlineHtml::Link(lossy(href))),
        _ => None,
    }
}

/// `text` with the character references a page's generator writes for
/// text it escapes decoded: `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&apos;` and
/// numeric ones (`&#39;`, `&#x3C;`). A Markdown code span keeps them as
/// written, though the page means the characters (`` `&lt;REDACTED&gt;` ``);
/// anything else is left as it is.
pub(crate) fn decode_references(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // A reference is short: its `;` is looked for in the next bytes
        // only (a search of the whole rest per `&` was quadratic).
        let near = &rest.as_bytes()[..rest.len().min(11)];
        let decoded = near.iter().position(|&b| b == b';').and_then(|end| {
            let c = match &rest[1..end] {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                n => {
                    // Digits only: the number parsers take a sign too.
                    let code = match n.strip_prefix("#x").or_else(|| n.strip_prefix("#X")) {
                        Some(hex) if hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                            u32::from_str_radix(hex, 16).ok()
                        }
                        Some(_) => None,
                        None => n
                            .strip_prefix('#')
                            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
                            .and_then(|d| d.parse().ok()),
                    };
                    code.and_then(char::from_u32).filter(|c| *c != '\0')?
                }
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// Appends `code` to `out` as a Markdown code span that reads back as
/// `code` (CommonMark): delimited by one backtick more than the longest run
/// of backticks in it, and padded with a space on each side where it starts
/// or ends with a backtick, or with a space (which the reading strips).
pub(crate) fn code_span(code: &str, out: &mut String) {
    // No span is empty: two backticks would be text, or open a span.
    if code.is_empty() {
        return;
    }
    let mut longest = 0;
    let mut run = 0;
    for b in code.bytes() {
        run = if b == b'`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let ticks = "`".repeat(longest + 1);
    let pad = code.starts_with('`')
        || code.ends_with('`')
        || (code.len() > 1 && code.starts_with(' ') && code.ends_with(' ') && code.trim() != "");
    out.push_str(&ticks);
    if pad {
        out.push(' ');
    }
    out.push_str(code);
    if pad {
        out.push(' ');
    }
    out.push_str(&ticks);
}

/// The text an HTML fragment shows (a `<SchemaTable>` description): its
/// text with entities decoded, `<br />` and `</summary>` as a space,
/// `<code>` as a backtick, white space collapsed; the fragment as it is when it holds
/// no `<` or `&`.
pub fn fragment_text(raw: &str) -> String {
    if !raw.contains(['<', '&']) {
        return collapse_ws(raw);
    }
    let mut out = String::with_capacity(raw.len());
    scan(raw, |tok| match tok {
        Tok::Text(t) => out.push_str(&text(t)),
        // A `<details>`'s summary ends a sentence, as in Markdown text.
        Tok::End(Name::Other, at) if raw.get(at..at + 10) == Some("</summary>") => out.push(' '),
        tok => match inline_of(&tok) {
            Some(InlineHtml::Code) => out.push('`'),
            Some(InlineHtml::Break) => out.push(' '),
            Some(InlineHtml::Text(t)) => out.push_str(&t),
            Some(InlineHtml::Link(_)) | None => {}
        },
    });
    collapse_ws_owned(out)
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
    let bytes = s.as_bytes();
    if s.is_ascii() {
        // White space (`char::is_whitespace` on ASCII: space and \t to \r)
        // is only single spaces between words: no \t to \r, no space at
        // either end, no two spaces in a row. Each test is one pass the
        // compiler vectorises, with no branch per byte.
        let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
            return true;
        };
        let controls = bytes
            .iter()
            .fold(false, |any, &b| any | (b.wrapping_sub(b'\t') < 5));
        let doubled = bytes
            .iter()
            .zip(&bytes[1..])
            .fold(false, |any, (&a, &b)| any | (a == b' ') & (b == b' '));
        return first != b' ' && last != b' ' && !controls && !doubled;
    }
    let mut after_space = true;
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
    /// The bytes of the cell being read: text runs may reach the parse in
    /// pieces that split a character, so the cell is decoded once, whole.
    cell: Option<Vec<u8>>,
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
                let pos = || to_src(start);
                match name {
                    Name::Table => {
                        table.get_or_insert(TableState {
                            offset: pos(),
                            ..TableState::default()
                        });
                    }
                    Name::Tr => {
                        if let Some(t) = table.as_mut() {
                            close_row(t);
                            t.row = Some((pos(), false, Vec::new()));
                        }
                    }
                    Name::Td | Name::Th => {
                        if let Some(t) = table.as_mut() {
                            close_cell(t);
                            if t.row.is_none() {
                                t.row = Some((pos(), false, Vec::new()));
                            }
                            if name == Name::Th {
                                if let Some(r) = t.row.as_mut() {
                                    r.1 = true;
                                }
                            }
                            t.cell = Some(Vec::new());
                        }
                    }
                    Name::TabItem => out.push(HtmlItem::TabOpen(
                        pos(),
                        attr.map(lossy).unwrap_or_default(),
                    )),
                    _ => {
                        if let (Name::A, Some(href)) = (name, attr) {
                            out.push(HtmlItem::Link(pos(), lossy(href)));
                        }
                        if let Some(cell) = table.as_mut().and_then(|t| t.cell.as_mut()) {
                            match (name, attr) {
                                (Name::Code, _) => cell.push(b'`'),
                                (Name::Br, _) => cell.push(b' '),
                                (Name::CopyableCode, Some(code)) => {
                                    cell.extend_from_slice(text(code).as_bytes())
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
                        cell.push(b'`');
                    }
                }
                _ => {}
            },
            Tok::Text(s) => {
                if let Some(cell) = table.as_mut().and_then(|t| t.cell.as_mut()) {
                    cell.extend_from_slice(s);
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
            let cell = String::from_utf8(cell).unwrap_or_else(|e| lossy(e.as_bytes()));
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
    fn references_in_code_are_decoded() {
        assert_eq!(
            decode_references("&lt;REDACTED&gt; a&amp;b &#39;q&#x27; &quot;"),
            "<REDACTED> a&b 'q' \""
        );
        // Anything else stays as written.
        for kept in [
            "a & b",
            "&nbsp;",
            "&#0;",
            "&#xZZ;",
            "&lt",
            "&verylongname;",
            "&;",
            "&#+60;",
            "&#x+3C;",
        ] {
            assert_eq!(decode_references(kept), kept);
        }
    }

    #[test]
    fn code_spans_read_back_as_their_code() {
        let span = |code: &str| {
            let mut out = String::new();
            code_span(code, &mut out);
            out
        };
        assert_eq!(span("a"), "`a`");
        assert_eq!(span("`"), "`` ` ``");
        assert_eq!(span("foo.`x&y`"), "`` foo.`x&y` ``");
        assert_eq!(span(""), "");
        // What pulldown-cmark reads back is the code, whatever it holds.
        for code in [
            "a",
            "`",
            "``",
            "a``b`",
            "` a",
            " b ",
            "x ` y",
            "&lt;x&gt;",
            "\\",
        ] {
            let text = format!("x {} y", span(code));
            let read: Vec<String> = pulldown_cmark::Parser::new(&text)
                .filter_map(|e| match e {
                    pulldown_cmark::Event::Code(c) => Some(c.to_string()),
                    _ => None,
                })
                .collect();
            assert_eq!(read, [code], "{text:?}");
        }
    }

    /// A token as the parse sees it, owned; runs of text joined.
    #[derive(Debug, PartialEq)]
    enum Owned {
        Start(Name, usize, Option<Vec<u8>>),
        End(Name, usize),
        Text(Vec<u8>),
    }

    fn push(out: &mut Vec<Owned>, tok: Owned) {
        match (out.last_mut(), tok) {
            (Some(Owned::Text(t)), Owned::Text(more)) => t.extend(more),
            (_, tok) => out.push(tok),
        }
    }

    /// What [`scan`] reports.
    fn scanned(text: &str) -> Vec<Owned> {
        let mut out = Vec::new();
        scan(text, |tok| {
            let tok = match tok {
                Tok::Start(n, at, v) => Owned::Start(n, at, v.map(<[u8]>::to_vec)),
                Tok::End(n, at) => Owned::End(n, at),
                Tok::Text(t) => Owned::Text(t.to_vec()),
            };
            push(&mut out, tok);
        });
        out
    }

    /// What html5gum's own callback emitter reports, read as the parse
    /// reads it (the first of the tag's wanted attribute; end-tag attributes
    /// dropped): the oracle of [`Events`].
    fn by_callbacks(text: &str) -> Vec<Owned> {
        use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
        let mut out = Vec::new();
        let (mut tag, mut at) = (Name::Other, 0);
        let (mut value, mut capturing): (Option<Vec<u8>>, bool) = (None, false);
        let emitter =
            CallbackEmitter::new(|event: CallbackEvent<'_>, span: html5gum::Span<usize>| {
                match event {
                    CallbackEvent::OpenStartTag { name } => {
                        (tag, at, value, capturing) = (Name::of(name), span.start, None, false);
                    }
                    CallbackEvent::AttributeName { name } => {
                        capturing = value.is_none() && tag.attribute().is_some_and(|a| a == name);
                        if capturing {
                            value = Some(Vec::new());
                        }
                    }
                    CallbackEvent::AttributeValue { value: v } => {
                        if let (true, Some(x)) = (capturing, value.as_mut()) {
                            x.extend_from_slice(v);
                        }
                    }
                    CallbackEvent::CloseStartTag { .. } => {
                        push(&mut out, Owned::Start(tag, at, value.take()));
                        (tag, capturing) = (Name::Other, false);
                    }
                    CallbackEvent::EndTag { name } => {
                        (tag, value, capturing) = (Name::Other, None, false);
                        push(&mut out, Owned::End(Name::of(name), span.start));
                    }
                    CallbackEvent::String { value } => push(&mut out, Owned::Text(value.to_vec())),
                    _ => {}
                }
                None::<Infallible>
            });
        Tokenizer::new_with_emitter(text, emitter).for_each(drop);
        out
    }

    #[test]
    fn the_emitter_reports_what_the_callback_emitter_reports() {
        for text in [
            "<table><tr><th>Name</th></tr><tr><td><CopyableCode code=\"a&quot;b\" /></td></tr></table>",
            "<a title=x href=\"/one\" href=\"/two\">link</a><a>none</a><a href>empty</a>",
            "<TabItem value=\"all\" value=\"b\"></TabItem foo=\"bar\"><tabitem VALUE='x'>",
            "text <!-- comment <td> --> more<br/>&amp;&#91;&unknown; <é <", 
            "a\r\nb\rc <td>x</td\n><td\n>y</td> </ > <!doctype html> <? pi ?> </",
            "<td>caf\u{e9} \u{1f600}<é</td><td>&\u{e9}</td><code a=1 b='2' c>z</code>",
            "<CopyableCode code=\"x\" code=\"y\"/><CopyableCode/><a href=\"h\" / x>",
            "<table", "<td class=", "</", "<!--", "",
        ] {
            assert_eq!(scanned(text), by_callbacks(text), "{text:?}");
        }
    }

    /// Where [`plain::scan`] stops on `text`, and what it reported.
    fn plain_part(text: &str) -> (usize, Vec<Owned>) {
        let mut out = Vec::new();
        let rest = plain::scan(text, &mut |tok| {
            let tok = match tok {
                Tok::Start(n, at, v) => Owned::Start(n, at, v.map(<[u8]>::to_vec)),
                Tok::End(n, at) => Owned::End(n, at),
                Tok::Text(t) => Owned::Text(t.to_vec()),
            };
            push(&mut out, tok);
        });
        (rest, out)
    }

    #[test]
    fn the_plain_reader_reads_the_subset_and_stops_before_anything_else() {
        // Wholly plain: read to the end.
        for text in [
            "<table><tbody><tr><th>Name</th></tr></tbody></table>",
            "<tr>\n  <td><CopyableCode code=\"create_resource\" /></td>\n</tr>",
            "<TabItem value=\"all\"><a href=\"/x\" title=\"t\">l</a></TabItem>",
            "<br/><br /><BR><Code>x</CODE><td-x>y</td-x> a > b",
            "<a HREF=\"one\" href=\"two\"><CopyableCode CODE=\"\" code=\"y\"/>",
            "<a\thref=\"x\"\n\x0Cdata-x=\"y\"\n/>caf\u{e9} \u{1f600}",
            "",
        ] {
            assert_eq!(plain_part(text).0, text.len(), "{text:?}");
        }
        // Plain up to a point: the rest is the tokenizer's.
        for (text, stop) in [
            ("<td>a &amp; b</td>", 4),
            ("<td>x</td>a &amp; b", 10),
            ("<td>x</td><!-- c -->", 10),
            ("<td>x</td><a href='y'>", 10),
            ("<td>x</td><a href=y>", 10),
            ("<td>x</td><a href>", 10),
            ("<td>x</td><a href = \"y\">", 10),
            ("<td>x</td><a href=\"y\"title=\"z\">", 10),
            ("<td>x</td><a href=\"y&amp;\">", 10),
            ("<td>x</td><a href=\"y", 10),
            ("<td>x</td></td >", 10),
            ("<td>x</td></ td>", 10),
            ("<td>x</td><br/ >", 10),
            ("<td>x</td><a.b>", 10),
            ("<td>x</td>< td>", 10),
            ("<td>x</td>\r\n", 10),
            ("<td>x</td>\0", 10),
            ("<td>x</td><td", 10),
            ("<td>x</td><", 10),
            ("<td>x</td><a @click=\"f\">", 10),
        ] {
            assert_eq!(plain_part(text).0, stop, "{text:?}");
        }
    }

    #[test]
    fn plain_then_tokenizer_reports_what_the_callback_emitter_reports_on_generated_text() {
        // Texts made of the pieces the subset's edges are made of, every
        // one checked whole against html5gum's callback emitter.
        let pieces = [
            "<",
            ">",
            "/",
            "\"",
            "'",
            "=",
            " ",
            "\n",
            "\t",
            "\r",
            "&",
            "amp;",
            "#91;",
            "a",
            "td",
            "Code",
            "code",
            "href",
            "value",
            "é",
            "!",
            "-",
            "\0",
            "x",
            "\x0C",
            "TabItem",
            "<td>",
            "</td>",
            "<a href=\"",
            "\" />",
            "<CopyableCode code=\"",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut whole, mut partly) = (0, 0);
        for _ in 0..20_000 {
            let len = (next() % 12) as usize;
            let text: String = (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            assert_eq!(scanned(&text), by_callbacks(&text), "{text:?}");
            let (rest, _) = plain_part(&text);
            if rest == text.len() {
                whole += 1;
            } else if rest > 0 {
                partly += 1;
            }
        }
        // Both paths, and the hand-over between them, were exercised.
        assert!(whole > 1_000 && partly > 1_000, "{whole} {partly}");
    }

    #[test]
    fn plain_then_tokenizer_reports_what_the_callback_emitter_reports_on_the_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
        let Ok(files) = crate::specs::discover_only(&root, &[]) else {
            eprintln!("skipped: no corpus at {}", root.display());
            return;
        };
        let (mut texts, mut plain_whole) = (0, 0);
        let mut check = |text: &str| {
            assert_eq!(scanned(text), by_callbacks(text), "{text:?}");
            texts += 1;
            if plain_part(text).0 == text.len() {
                plain_whole += 1;
            }
        };
        for file in &files {
            let Ok(page) = std::fs::read_to_string(&file.path) else {
                continue;
            };
            // The whole page, each line, and each run of lines holding
            // tags (the shape of the HTML blocks the parse tokenizes).
            check(&page);
            let mut run = String::new();
            for line in page.split_inclusive('\n') {
                check(line);
                if line.contains('<') {
                    run.push_str(line);
                } else if !run.is_empty() {
                    check(&run);
                    run.clear();
                }
            }
            check(&run);
        }
        // Most of it is the plain subset: the reader, not only the
        // tokenizer, was checked.
        assert!(plain_whole * 10 > texts * 9, "{plain_whole} of {texts}");
    }

    #[test]
    fn a_name_in_any_case_is_the_name_lowered() {
        let names = [
            "a",
            "A",
            "b",
            "br",
            "BR",
            "bR",
            "tr",
            "Tr",
            "td",
            "TD",
            "th",
            "tH",
            "tx",
            "rr",
            "dr",
            "code",
            "CODE",
            "codes",
            "table",
            "TABLE",
            "tabitem",
            "TabItem",
            "tabitex",
            "copyablecode",
            "CopyableCode",
            "copyablecodx",
            "",
            "x",
            "p",
            "div",
        ];
        for name in names {
            let lowered = name.to_ascii_lowercase();
            assert_eq!(
                Name::of_any_case(name.as_bytes()),
                Name::of(lowered.as_bytes()),
                "{name}"
            );
        }
    }

    #[test]
    fn a_character_split_by_the_tokenizer_stays_whole_in_a_cell() {
        // `<` before a non-ASCII char: the tokenizer hands the char's bytes
        // on in two pieces.
        let items = block_items(&[(0, "<table><tr><td>a <é b</td></tr></table>".into())]);
        let HtmlItem::Table(_, rows) = &items[0] else {
            panic!()
        };
        assert_eq!(rows[0].2, ["a <é b"]);
    }

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
            "a b c",
            "ab  ",
            "a\u{b}b",
            "a\u{c}b",
            "a\rb",
            "a\u{1f}b",
            "a\u{8}b",
            "a\u{e}b",
        ] {
            let words = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapsed(s), s == words, "{s:?}");
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

    #[test]
    fn a_fragment_shows_its_text() {
        for (raw, shown) in [
            ("Plain text,  kept.", "Plain text, kept."),
            (
                "One.<br />Two &#123;x&#125; &amp; <code>y</code>",
                "One. Two {x} & `y`",
            ),
            ("<CopyableCode code=\"z\" /> is <b>bold</b>", "`z` is bold"),
            ("a < b", "a < b"),
            (
                "<details><summary>Short.</summary>Long.</details>",
                "Short. Long.",
            ),
        ] {
            assert_eq!(fragment_text(raw), shown, "{raw}");
        }
    }
}
