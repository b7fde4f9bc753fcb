//! First pass: the page's block structure, from pulldown-cmark events.
//!
//! A page becomes a flat list of [`Section`]s (one per heading, plus the
//! preamble before the first heading), each holding its paragraphs, fenced
//! code blocks and tables in page order. Pipe tables come from
//! pulldown-cmark; HTML tables, `<TabItem>` markers and links inside raw HTML
//! come from the [`super::html`] tokenizer pass over the section's HTML.

use super::html::{self, HtmlItem};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A heading and what lies under it up to the next heading.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Heading text, inline code unwrapped (`` `SELECT` examples `` → `SELECT examples`).
    pub title: String,
    /// Heading level (1–6); 0 for the preamble.
    pub level: u8,
    /// Line of the heading.
    pub line: usize,
    /// Blocks in page order.
    pub blocks: Vec<Block>,
    /// The `(value, label)` of each tab its `<Tabs values={[...]}>` sets
    /// declare, in page order (a tab without a label is labelled by its value).
    pub tab_labels: Vec<(String, String)>,
}

/// A block of content under a heading.
#[derive(Debug, Clone)]
pub enum Block {
    /// A paragraph (or other flow text).
    Paragraph(Paragraph),
    /// A fenced or indented code block.
    Code(CodeBlock),
    /// A pipe table or an HTML table.
    Table(Table),
}

impl Block {
    fn line(&self) -> usize {
        match self {
            Block::Paragraph(p) => p.line,
            Block::Code(c) => c.line,
            Block::Table(t) => t.line,
        }
    }
}

/// Flow text with inline code kept in backticks.
#[derive(Debug, Clone, Default)]
pub struct Paragraph {
    /// The text.
    pub text: String,
    /// `href`s of links in it (Markdown or HTML).
    pub links: Vec<String>,
    /// First line.
    pub line: usize,
}

/// A code block.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    /// The info string's first word (`sql`, `yaml`, `json`), lower-cased; empty if none.
    pub lang: String,
    /// The code.
    pub code: String,
    /// The `<TabItem value>` the block sits in.
    pub tab: Option<String>,
    /// Line of the opening fence.
    pub line: usize,
    /// Byte offset of the block (to place it among tab markers).
    pub offset: usize,
    /// Fenced (```` ``` ````) rather than indented.
    pub fenced: bool,
}

/// A table: rows of cell texts.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Line of the table's start.
    pub line: usize,
    /// Byte offset of the table (to place it among tab markers).
    pub offset: usize,
    /// The `<TabItem value>` the table sits in.
    pub tab: Option<String>,
    /// Rows in order; header rows included, marked.
    pub rows: Vec<Row>,
}

/// One table row.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// Line of the row.
    pub line: usize,
    /// Whether this is a header row (`<th>` cells or a pipe table's head).
    pub header: bool,
    /// Cell texts; inline code in backticks, `CopyableCode` as its `code` attribute.
    pub cells: Vec<String>,
}

/// Maps byte offsets to 1-based lines.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// Where an inline container (paragraph, heading, cell) collects its text.
#[derive(Default)]
struct Inline {
    text: String,
    links: Vec<String>,
    start: usize,
}

impl Inline {
    fn push_html(&mut self, raw: &str) {
        for item in html::inline_items(raw) {
            match item {
                html::InlineHtml::Code => self.text.push('`'),
                html::InlineHtml::Break => self.text.push(' '),
                html::InlineHtml::Text(t) => self.text.push_str(&t),
                html::InlineHtml::Link(href) => self.links.push(href),
            }
        }
    }
}

/// What a page's lines are, for the Markdown parser: Markdown, or the lines
/// of an MDX tab set (`<Tabs ...>`, `<TabItem value="...">`, `</TabItem>`,
/// `</Tabs>`), which end whatever Markdown block precedes them. A GFM pipe
/// table only ends at a blank line, so without this split a `</TabItem>`
/// line would be read as a row of the table before it, and a `<TabItem>`
/// line right above a table would swallow it into an HTML block.
#[derive(Debug, Clone, PartialEq)]
enum Segment {
    /// Markdown, a byte range of the page.
    Markdown(std::ops::Range<usize>),
    /// A `<TabItem>`, `</TabItem>` or `</Tabs>` line.
    TabMarker(std::ops::Range<usize>),
    /// A `<Tabs ...>` opening tag, over one or more lines.
    TabsOpen(std::ops::Range<usize>),
}

/// Whether `line` (without its indentation) opens with the tag `name`.
fn opens_tag(line: &str, name: &str) -> bool {
    line.strip_prefix(name)
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
}

/// Tracks fenced code blocks line by line.
#[derive(Default)]
struct Fence(Option<(char, usize)>);

impl Fence {
    /// Whether `line` is code: a fence line, or inside a fenced block.
    fn code(&mut self, line: &str) -> bool {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        if let (Some(c), true) = (fence_char, indent <= 3) {
            let n = trimmed.chars().take_while(|x| *x == c).count();
            if n >= 3 {
                match self.0 {
                    None => self.0 = Some((c, n)),
                    Some((open, len))
                        if open == c && n >= len && trimmed[n..].trim().is_empty() =>
                    {
                        self.0 = None
                    }
                    Some(_) => {}
                }
                return true;
            }
        }
        self.0.is_some()
    }
}

/// The number of unescaped `|` in a pipe-table line.
fn pipes(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in line.chars() {
        if c == '|' && !escaped {
            n += 1;
        }
        escaped = c == '\\' && !escaped;
    }
    n
}

/// Whether `line` (trimmed) is a pipe table's delimiter row (`|:---|---:|`).
fn delimiter_row(t: &str) -> bool {
    t.contains('-')
        && t.contains('|')
        && t.trim_matches('|').split('|').all(|cell| {
            let c = cell.trim().trim_start_matches(':').trim_end_matches(':');
            !c.is_empty() && c.chars().all(|x| x == '-')
        })
}

/// Whether a line cannot continue a broken row: a new row, a heading, a
/// tab-set line.
fn starts_block(t: &str) -> bool {
    t.starts_with('|')
        || t.starts_with("# ")
        || t.starts_with("##")
        || t.starts_with("<Tab")
        || t.starts_with("</Tab")
}

/// Joins pipe-table rows broken across lines (a description holding a
/// newline): in a table whose header starts and ends with `|`, a row with
/// fewer cells than the header continues on the next lines, up to a blank
/// line or a line that starts a block of its own (a new row, a heading, a
/// tab-set line). The newlines become spaces, so every byte keeps its
/// offset (and line) in the page.
fn join_broken_rows(text: &str) -> std::borrow::Cow<'_, str> {
    let mut lines = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        lines.push((pos, line));
        pos += line.len();
    }
    let mut joins: Vec<usize> = Vec::new();
    let mut fence = Fence::default();
    // The pipes of a full row of the current table.
    let mut full: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let (_, line) = lines[i];
        let t = line.trim();
        i += 1;
        if fence.code(line) || t.is_empty() {
            full = None;
            continue;
        }
        if delimiter_row(t) {
            full = i
                .checked_sub(2)
                .map(|h| lines[h].1.trim())
                .filter(|h| h.starts_with('|') && h.ends_with('|'))
                .map(pipes);
            continue;
        }
        let Some(n) = full.filter(|_| t.starts_with('|')) else {
            full = None;
            continue;
        };
        let mut have = pipes(t);
        while have < n {
            let Some(&(start, next)) = lines.get(i) else {
                break;
            };
            let nt = next.trim();
            if nt.is_empty() || starts_block(nt) || nt.starts_with("```") || nt.starts_with("~~~") {
                break;
            }
            // The newline ending the line before `next`.
            joins.push(start - 1);
            have += pipes(nt);
            i += 1;
        }
    }
    if joins.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for j in joins {
        bytes[j] = b' ';
        if j > 0 && bytes[j - 1] == b'\r' {
            bytes[j - 1] = b' ';
        }
    }
    // Only ASCII newlines were replaced by spaces: still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
}

/// Splits the page into Markdown and tab-set lines (never inside a fenced
/// code block).
fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut md_start = 0;
    let mut fence = Fence::default();
    let mut lines = text.split_inclusive('\n').scan(0, |pos, l| {
        let start = *pos;
        *pos += l.len();
        Some((start, l))
    });
    while let Some((start, line)) = lines.next() {
        if fence.code(line) {
            continue;
        }
        let trimmed = line.trim_start();
        let marker = ["<TabItem", "</TabItem", "</Tabs"]
            .iter()
            .any(|t| opens_tag(trimmed, t));
        let tabs = opens_tag(trimmed, "<Tabs");
        if !marker && !tabs {
            continue;
        }
        if md_start < start {
            out.push(Segment::Markdown(md_start..start));
        }
        let mut end = start + line.len();
        if tabs {
            // `<Tabs` may span lines (`values={[` ... `]}>`): up to the
            // first line that ends the tag.
            let mut last = line;
            while !last.trim_end().ends_with('>') {
                match lines.next() {
                    Some((s, l)) => {
                        end = s + l.len();
                        last = l;
                    }
                    None => break,
                }
            }
            out.push(Segment::TabsOpen(start..end));
        } else {
            out.push(Segment::TabMarker(start..end));
        }
        md_start = end;
    }
    if md_start < text.len() {
        out.push(Segment::Markdown(md_start..text.len()));
    }
    out
}

/// The `(value, label)` pairs of a `<Tabs values={[{ label: 'A', value: 'a', }, ...]}>`
/// tag, in order; a pair without a label is labelled by its value.
pub fn tab_labels(tag: &str) -> Vec<(String, String)> {
    let Some(values) = tag.find("values") else {
        return Vec::new();
    };
    tag[values..]
        .split('{')
        .filter_map(|object| {
            let object = object.split('}').next().unwrap_or("");
            let value = js_string(object, "value")?;
            let label = js_string(object, "label").unwrap_or_else(|| value.clone());
            Some((value, label))
        })
        .collect()
}

/// The quoted string of `key: '...'` (or `"..."`, `` `...` ``) in a JS object literal.
fn js_string(object: &str, key: &str) -> Option<String> {
    let mut rest = object;
    while let Some(i) = rest.find(key) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + key.len()..].trim_start();
        rest = &rest[i + key.len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let Some(after) = after.strip_prefix(':') else {
            continue;
        };
        let after = after.trim_start();
        let quote = after
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))?;
        let body = &after[1..];
        return body.find(quote).map(|end| body[..end].to_string());
    }
    None
}

/// Splits a page into sections.
pub fn sections(text: &str, lines: &LineIndex) -> Vec<Section> {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_STRIKETHROUGH;
    let joined = join_broken_rows(text);
    let text = joined.as_ref();
    let mut b = Builder::default();
    for segment in segments(text) {
        match segment {
            Segment::Markdown(range) => {
                let base = range.start;
                for (event, r) in Parser::new_ext(&text[range], opts).into_offset_iter() {
                    b.event(event, r.start + base..r.end + base, lines);
                }
            }
            Segment::TabMarker(range) => {
                b.html_chunks.push((range.start, text[range].to_string()));
            }
            Segment::TabsOpen(range) => b.cur.tab_labels.extend(tab_labels(&text[range])),
        }
    }
    finish_section(&mut b.cur, &mut b.html_chunks, lines);
    b.out.push(b.cur);
    b.out
}

/// The state of the walk over the page's events.
#[derive(Default)]
struct Builder {
    out: Vec<Section>,
    cur: Section,
    /// Raw HTML of the current section: (source offset, text).
    html_chunks: Vec<(usize, String)>,
    inline: Option<Inline>,
    heading: Option<(u8, Inline)>,
    code: Option<CodeBlock>,
    table: Option<Table>,
    row: Option<Row>,
    in_meta: bool,
}

impl Builder {
    fn event(&mut self, event: Event, range: std::ops::Range<usize>, lines: &LineIndex) {
        let Builder {
            out,
            cur,
            html_chunks,
            inline,
            heading,
            code,
            table,
            row,
            in_meta,
        } = self;
        match event {
            Event::Start(Tag::MetadataBlock(_)) => *in_meta = true,
            Event::End(TagEnd::MetadataBlock(_)) => *in_meta = false,
            _ if *in_meta => {}
            Event::Start(Tag::Heading { level, .. }) => {
                *heading = Some((
                    heading_level(level),
                    Inline {
                        start: range.start,
                        ..Inline::default()
                    },
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, h)) = heading.take() {
                    finish_section(cur, html_chunks, lines);
                    out.push(std::mem::take(cur));
                    *cur = Section {
                        title: h.text.trim().to_string(),
                        level,
                        line: lines.line(h.start),
                        ..Section::default()
                    };
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let fenced = matches!(kind, CodeBlockKind::Fenced(_));
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == '{' || c == ',')
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                *code = Some(CodeBlock {
                    lang,
                    code: String::new(),
                    tab: None,
                    line: lines.line(range.start),
                    offset: range.start,
                    fenced,
                });
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(c) = code.take() {
                    cur.blocks.push(Block::Code(c));
                }
            }
            Event::Start(Tag::Table(_)) => {
                *table = Some(Table {
                    line: lines.line(range.start),
                    offset: range.start,
                    ..Table::default()
                });
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    cur.blocks.push(Block::Table(t));
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                *row = Some(Row {
                    line: lines.line(range.start),
                    header: matches!(event, Event::Start(Tag::TableHead)),
                    cells: Vec::new(),
                });
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let (Some(r), Some(t)) = (row.take(), table.as_mut()) {
                    t.rows.push(r);
                }
            }
            Event::Start(Tag::TableCell) => *inline = Some(Inline::default()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(c), Some(r)) = (inline.take(), row.as_mut()) {
                    r.cells.push(html::collapse_ws(&c.text));
                }
            }
            Event::Start(Tag::Paragraph) => {
                *inline = Some(Inline {
                    start: range.start,
                    ..Inline::default()
                })
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(p) = inline.take() {
                    let text = html::collapse_ws(&p.text);
                    if !text.is_empty() || !p.links.is_empty() {
                        cur.blocks.push(Block::Paragraph(Paragraph {
                            text,
                            links: p.links,
                            line: lines.line(p.start),
                        }));
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(i) = target(heading, inline) {
                    i.links.push(dest_url.to_string());
                }
            }
            Event::Text(t) => {
                if let Some(c) = code.as_mut() {
                    c.code.push_str(&t);
                } else if let Some(i) = target(heading, inline) {
                    i.text.push_str(&t);
                }
            }
            Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.text.push_str(&t);
                } else if let Some(i) = inline.as_mut() {
                    i.text.push('`');
                    i.text.push_str(&t);
                    i.text.push('`');
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(i) = target(heading, inline) {
                    i.text.push(' ');
                }
            }
            Event::InlineHtml(raw) => {
                html_chunks.push((range.start, raw.to_string()));
                if let Some(i) = target(heading, inline) {
                    i.push_html(&raw);
                }
            }
            Event::Html(raw) => html_chunks.push((range.start, raw.to_string())),
            _ => {}
        }
    }
}

fn target<'a>(
    heading: &'a mut Option<(u8, Inline)>,
    inline: &'a mut Option<Inline>,
) -> Option<&'a mut Inline> {
    match heading {
        Some((_, h)) => Some(h),
        None => inline.as_mut(),
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Tokenizes the section's raw HTML: adds its tables and links, and places
/// code blocks in the tabs that enclose them.
fn finish_section(cur: &mut Section, chunks: &mut Vec<(usize, String)>, lines: &LineIndex) {
    if chunks.is_empty() {
        return;
    }
    let items = html::block_items(chunks);
    chunks.clear();
    let mut tabs: Vec<(usize, Option<String>)> = Vec::new();
    let mut links = Vec::new();
    for item in items {
        match item {
            HtmlItem::Table(offset, rows) => cur.blocks.push(Block::Table(Table {
                line: lines.line(offset),
                offset,
                tab: None,
                rows: rows
                    .into_iter()
                    .map(|(off, header, cells)| Row {
                        line: lines.line(off),
                        header,
                        cells,
                    })
                    .collect(),
            })),
            HtmlItem::TabOpen(offset, value) => tabs.push((offset, Some(value))),
            HtmlItem::TabClose(offset) => tabs.push((offset, None)),
            HtmlItem::Link(offset, href) => links.push((offset, href)),
        }
    }
    let tab_at = |offset: usize| {
        tabs.iter()
            .take_while(|(off, _)| *off < offset)
            .last()
            .and_then(|(_, v)| v.clone())
    };
    for block in &mut cur.blocks {
        match block {
            Block::Code(c) => c.tab = tab_at(c.offset),
            Block::Table(t) => t.tab = tab_at(t.offset),
            Block::Paragraph(_) => {}
        }
    }
    // Links in HTML blocks (not paragraphs) become link-only paragraphs.
    let in_paragraphs: Vec<&String> = cur
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(&p.links),
            _ => None,
        })
        .flatten()
        .collect();
    let extra: Vec<Block> = links
        .into_iter()
        .filter(|(_, href)| !in_paragraphs.contains(&href))
        .map(|(off, href)| {
            Block::Paragraph(Paragraph {
                text: String::new(),
                links: vec![href],
                line: lines.line(off),
            })
        })
        .collect();
    cur.blocks.extend(extra);
    cur.blocks.sort_by_key(Block::line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Section> {
        sections(text, &LineIndex::new(text))
    }

    #[test]
    fn headings_split_sections_and_unwrap_code() {
        let s = parse("---\ntitle: x\n---\nintro\n\n## `SELECT` examples\n\ntext\n### Create\n");
        let titles: Vec<_> = s.iter().map(|s| (s.level, s.title.as_str())).collect();
        assert_eq!(titles, [(0, ""), (2, "SELECT examples"), (3, "Create")]);
        assert_eq!(s[1].line, 6);
    }

    #[test]
    fn pipe_table_with_escaped_pipe_and_copyable_code() {
        let s = parse(
            "## Fields\n| Name | Datatype |\n|:--|:--|\n| <CopyableCode code=\"a&amp;b\" /> | `string` a \\| b |\n",
        );
        let Block::Table(t) = &s[1].blocks[0] else {
            panic!("no table")
        };
        assert!(t.rows[0].header);
        assert_eq!(t.rows[1].cells, ["`a&b`", "`string` a | b"]);
        assert_eq!(t.rows[1].line, 4);
    }

    #[test]
    fn html_table_split_by_blank_line_and_tabs() {
        let text = "## T\n<table><tbody>\n<tr><th>Name</th></tr>\n\n<tr><td><code>x</code></td></tr>\n\n</tbody></table>\n\n<TabItem value=\"all\">\n\n```sql\nSELECT 1;\n```\n</TabItem>\n\n```sql\nSELECT 2;\n```\n";
        let s = parse(text);
        let tables: Vec<_> = s[1]
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].rows[1].cells, ["`x`"]);
        assert_eq!(tables[0].rows[1].line, 5);
        let codes: Vec<_> = s[1]
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Code(c) => Some((c.tab.clone(), c.code.trim().to_string())),
                _ => None,
            })
            .collect();
        assert_eq!(
            codes,
            [
                (Some("all".into()), "SELECT 1;".into()),
                (None, "SELECT 2;".into())
            ]
        );
    }

    fn tables(s: &Section) -> Vec<(Option<String>, Vec<Vec<String>>)> {
        s.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some((
                    t.tab.clone(),
                    t.rows.iter().map(|r| r.cells.clone()).collect(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn tab_markers_end_pipe_tables_with_or_without_blank_lines() {
        // One table per tab: `</TabItem>` and `<TabItem>` lines are no rows,
        // and a `<TabItem>` line right above a table does not swallow it.
        let text = "## Fields\n<Tabs defaultValue=\"view\" values={[{ label: 'vw_a', value: 'view', }, { label: \"a\", value: \"resource\" }]}>\n<TabItem value=\"view\">\n\n| Name | Datatype |\n|:--|:--|\n| x | `text` |\n</TabItem>\n<TabItem value=\"resource\">\n| Name | Datatype |\n|:--|:--|\n| y | `string` |\n</TabItem></Tabs>\n";
        let s = parse(text);
        assert_eq!(
            tables(&s[1]),
            [
                (
                    Some("view".into()),
                    vec![
                        vec!["Name".into(), "Datatype".into()],
                        vec!["x".into(), "`text`".into()]
                    ]
                ),
                (
                    Some("resource".into()),
                    vec![
                        vec!["Name".into(), "Datatype".into()],
                        vec!["y".into(), "`string`".into()]
                    ]
                ),
            ]
        );
        assert_eq!(
            s[1].tab_labels,
            [
                ("view".to_string(), "vw_a".to_string()),
                ("resource".to_string(), "a".to_string())
            ]
        );
    }

    #[test]
    fn tab_set_over_several_lines_and_markers_in_code_blocks() {
        let text = "## E\n<Tabs\n    defaultValue=\"all\"\n    values={[\n      { label: 'All', value: 'all', },\n      { value: 'bare' },\n    ]\n}>\n<TabItem value=\"all\">\n\n```mdx\n<TabItem value=\"x\">\n</TabItem>\n```\n</TabItem>\n";
        let s = parse(text);
        assert_eq!(
            s[1].tab_labels,
            [
                ("all".to_string(), "All".to_string()),
                ("bare".to_string(), "bare".to_string())
            ]
        );
        let Block::Code(c) = &s[1].blocks[0] else {
            panic!("no code block: {:?}", s[1].blocks)
        };
        assert_eq!(c.code, "<TabItem value=\"x\">\n</TabItem>\n");
        assert_eq!(c.tab.as_deref(), Some("all"));
        assert_eq!(s[1].blocks.len(), 1, "{:?}", s[1].blocks);
    }

    #[test]
    fn a_row_broken_across_lines_is_one_row() {
        let text = "## Methods\n| Name | Accessible by | Description |\n|:--|:--|:--|\n| `a` | `SELECT` | Lists the a\n- of one group. |\n| `b` | `EXEC` | Runs. |\n| `c` | `EXEC` |\n\nafter\n";
        let s = parse(text);
        let t = tables(&s[1]);
        assert_eq!(t.len(), 1);
        let rows: Vec<Vec<String>> = t[0].1.clone();
        assert_eq!(rows[1], ["`a`", "`SELECT`", "Lists the a - of one group."]);
        assert_eq!(rows[2], ["`b`", "`EXEC`", "Runs."]);
        // A short row followed by a blank line stays as it is.
        assert_eq!(rows[3], ["`c`", "`EXEC`", ""]);
        assert_eq!(rows.len(), 4);
        let Block::Table(table) = &s[1].blocks[0] else {
            panic!()
        };
        assert_eq!(table.rows[2].line, 6, "lines are the page's");
        assert!(matches!(&s[1].blocks[1], Block::Paragraph(p) if p.line == 9));
    }
}
