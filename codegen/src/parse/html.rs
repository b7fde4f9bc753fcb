//! The HTML and JSX-ish parts of a page, read with a real HTML tokenizer
//! (html5gum): `<table>`s, `<CopyableCode code="..." />`, `<TabItem value>`,
//! `<code>`, `<br />` and `<a href>`. Entities are decoded by the tokenizer.

use html5gum::{DefaultEmitter, Token, Tokenizer};

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

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn attr(tag: &html5gum::StartTag<usize>, name: &str) -> Option<String> {
    tag.attributes
        .iter()
        .find(|(k, _)| k.as_slice() == name.as_bytes())
        .map(|(_, v)| lossy(&v.value))
}

fn tokens(text: &str) -> impl Iterator<Item = Token<usize>> + '_ {
    Tokenizer::new_with_emitter(text, DefaultEmitter::<usize>::new_with_span())
        .filter_map(Result::ok)
}

/// Reads a piece of inline HTML (one tag, usually).
pub fn inline_items(raw: &str) -> Vec<InlineHtml> {
    let mut out = Vec::new();
    for token in tokens(raw) {
        match token {
            Token::StartTag(tag) => match tag.name.as_slice() {
                b"code" => out.push(InlineHtml::Code),
                b"br" => out.push(InlineHtml::Break),
                b"copyablecode" => {
                    if let Some(code) = attr(&tag, "code") {
                        out.push(InlineHtml::Text(format!("`{code}`")));
                    }
                }
                b"a" => {
                    if let Some(href) = attr(&tag, "href") {
                        out.push(InlineHtml::Link(href));
                    }
                }
                _ => {}
            },
            Token::EndTag(tag) if tag.name.as_slice() == b"code" => out.push(InlineHtml::Code),
            _ => {}
        }
    }
    out
}

/// Collapses runs of white space to one space and trims.
pub fn collapse_ws(s: &str) -> String {
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
    let mut joined = String::new();
    let mut map: Vec<(usize, usize)> = Vec::with_capacity(chunks.len());
    for (src, text) in chunks {
        map.push((joined.len(), *src));
        joined.push_str(text);
    }
    let to_src = |pos: usize| -> usize {
        let i = map.partition_point(|(j, _)| *j <= pos).saturating_sub(1);
        map.get(i).map_or(0, |(j, src)| src + (pos - j))
    };

    let mut out = Vec::new();
    let mut table: Option<TableState> = None;
    for token in tokens(&joined) {
        match token {
            Token::StartTag(tag) => {
                let pos = to_src(tag.span.start);
                match tag.name.as_slice() {
                    b"table" => {
                        table.get_or_insert(TableState {
                            offset: pos,
                            ..TableState::default()
                        });
                    }
                    b"tr" => {
                        if let Some(t) = table.as_mut() {
                            close_row(t);
                            t.row = Some((pos, false, Vec::new()));
                        }
                    }
                    b"td" | b"th" => {
                        if let Some(t) = table.as_mut() {
                            close_cell(t);
                            if t.row.is_none() {
                                t.row = Some((pos, false, Vec::new()));
                            }
                            if tag.name.as_slice() == b"th" {
                                if let Some(r) = t.row.as_mut() {
                                    r.1 = true;
                                }
                            }
                            t.cell = Some(String::new());
                        }
                    }
                    b"tabitem" => out.push(HtmlItem::TabOpen(
                        pos,
                        attr(&tag, "value").unwrap_or_default(),
                    )),
                    name => {
                        if name == b"a" {
                            if let Some(href) = attr(&tag, "href") {
                                out.push(HtmlItem::Link(pos, href));
                            }
                        }
                        if let Some(cell) = table.as_mut().and_then(|t| t.cell.as_mut()) {
                            match name {
                                b"code" => cell.push('`'),
                                b"br" => cell.push(' '),
                                b"copyablecode" => {
                                    cell.push_str(&attr(&tag, "code").unwrap_or_default())
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
            Token::EndTag(tag) => match tag.name.as_slice() {
                b"table" => {
                    if let Some(mut t) = table.take() {
                        close_row(&mut t);
                        out.push(HtmlItem::Table(t.offset, t.rows));
                    }
                }
                b"tr" => {
                    if let Some(t) = table.as_mut() {
                        close_row(t);
                    }
                }
                b"td" | b"th" => {
                    if let Some(t) = table.as_mut() {
                        close_cell(t);
                    }
                }
                b"tabitem" => out.push(HtmlItem::TabClose(to_src(tag.span.start))),
                b"code" => {
                    if let Some(cell) = table.as_mut().and_then(|t| t.cell.as_mut()) {
                        cell.push('`');
                    }
                }
                _ => {}
            },
            Token::String(s) => {
                if let Some(cell) = table.as_mut().and_then(|t| t.cell.as_mut()) {
                    cell.push_str(&String::from_utf8_lossy(&s.value));
                }
            }
            _ => {}
        }
    }
    if let Some(mut t) = table.take() {
        // An unterminated table still yields its rows.
        close_row(&mut t);
        out.push(HtmlItem::Table(t.offset, t.rows));
    }
    out
}

fn close_cell(t: &mut TableState) {
    if let Some(cell) = t.cell.take() {
        if let Some(r) = t.row.as_mut() {
            r.2.push(collapse_ws(&cell));
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
