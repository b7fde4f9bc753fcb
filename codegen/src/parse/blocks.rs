//! First pass: the page's block structure, from pulldown-cmark events.
//!
//! A page becomes a flat list of [`Section`]s (one per heading, plus the
//! preamble before the first heading), each holding its paragraphs, fenced
//! code blocks and tables in page order. Pipe tables come from
//! pulldown-cmark; HTML tables, `<TabItem>` markers and links inside raw HTML
//! come from the [`super::html`] tokenizer pass over the section's HTML.

mod prepass;

use super::html::{self, HtmlItem};
pub use prepass::tab_labels;
use prepass::{join_broken_rows, segments, SchemaField, Segment};
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

impl Section {
    /// The section's tables, in page order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }
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
    /// The line of the code's first line where it is not the line after
    /// [`CodeBlock::line`]: an MDX `<CodeBlock>`'s code starts on the
    /// element's own line.
    pub code_line: Option<usize>,
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

impl Row {
    /// The text of cell `i` (a column index that may be missing); empty when
    /// the row has no such cell.
    pub fn cell(&self, i: Option<usize>) -> String {
        self.text(i).to_string()
    }

    /// The text of cell `i`, borrowed; empty when the row has no such cell.
    pub fn text(&self, i: Option<usize>) -> &str {
        i.and_then(|i| self.cells.get(i)).map_or("", String::as_str)
    }
}

/// Maps byte offsets to 1-based lines.
pub struct LineIndex {
    /// The offset each line starts at (and the text's length when the
    /// text ends with a newline).
    starts: Vec<usize>,
    /// The length of the text indexed.
    len: usize,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 48 + 1);
        starts.push(0);
        // Blocks of 16 bytes, most without a newline: the test of a whole
        // block compiles to a few vector instructions; lines are too short
        // for a search call per line to pay.
        const BLOCK: usize = 16;
        let bytes = text.as_bytes();
        let mut blocks = bytes.chunks_exact(BLOCK);
        let mut base = 0;
        for block in blocks.by_ref() {
            if block.iter().fold(false, |any, &b| any | (b == b'\n')) {
                newlines(block, base, &mut starts);
            }
            base += BLOCK;
        }
        newlines(blocks.remainder(), base, &mut starts);
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Whether this indexes `text` (by length: callers index one text).
    fn indexes(&self, text: &str) -> bool {
        self.len == text.len()
    }

    /// The number of lines, as `str::split_inclusive('\n')` counts them.
    fn count(&self) -> usize {
        match self.starts.last() {
            Some(&last) if last == self.len => self.starts.len() - 1,
            _ => self.starts.len(),
        }
    }

    /// Line `i` (0-based) of `text` with its newline, and its offset.
    fn get<'t>(&self, text: &'t str, i: usize) -> Option<(usize, &'t str)> {
        if i >= self.count() {
            return None;
        }
        let start = self.starts[i];
        let end = self.starts.get(i + 1).copied().unwrap_or(self.len);
        text.get(start..end).map(|l| (start, l))
    }

    /// The lines of `text` (which this indexes) with their offsets, as
    /// `str::split_inclusive('\n')` yields them.
    fn lines<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        (0..self.count()).filter_map(move |i| self.get(text, i))
    }

    /// The index of the same text once the newlines at `joined` (sorted
    /// offsets) are replaced by spaces.
    fn joined(&self, joined: &[usize]) -> LineIndex {
        let mut gone = joined.iter().map(|j| j + 1).peekable();
        let starts = self
            .starts
            .iter()
            .copied()
            .filter(|s| {
                while gone.next_if(|g| g < s).is_some() {}
                gone.next_if_eq(s).is_none()
            })
            .collect();
        LineIndex {
            starts,
            len: self.len,
        }
    }
}

/// Pushes the offset after each newline of `bytes` (found at `base`).
fn newlines(bytes: &[u8], base: usize, starts: &mut Vec<usize>) {
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            starts.push(base + i + 1);
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

/// Splits a page into sections; `lines` indexes `text`.
pub fn sections(text: &str, lines: &LineIndex) -> Vec<Section> {
    if !lines.indexes(text) {
        return sections(text, &LineIndex::new(text));
    }
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_STRIKETHROUGH;
    let (joined, joins) = join_broken_rows(text, lines);
    let text = joined.as_ref();
    let joined_lines;
    let text_lines = if joins.is_empty() {
        lines
    } else {
        joined_lines = lines.joined(&joins);
        &joined_lines
    };
    let mut b = Builder::default();
    for segment in segments(text, text_lines) {
        match segment {
            Segment::Markdown(range) => {
                let base = range.start;
                for (event, r) in Parser::new_ext(&text[range], opts).into_offset_iter() {
                    b.event(event, r.start + base..r.end + base, lines);
                }
            }
            Segment::TabMarker(range) => {
                b.html_chunks.push(range.start, &text[range]);
            }
            Segment::TabsOpen(range) => b.cur.tab_labels.extend(tab_labels(&text[range])),
            Segment::CodeBlock { range, lang, code } => b.cur.blocks.push(Block::Code(CodeBlock {
                lang,
                // The code starts after `{``, on the opening tag's last line.
                code_line: Some(lines.line(code.start)),
                code: prepass::template_text(&text[code]),
                tab: None,
                line: lines.line(range.start),
                offset: range.start,
                fenced: true,
            })),
            Segment::SchemaTable { range, fields } => {
                b.cur
                    .blocks
                    .push(Block::Table(schema_rows(range.start, fields, lines)))
            }
        }
    }
    finish_section(&mut b.cur, &mut b.html_chunks, lines);
    b.out.push(b.cur);
    b.out
}

/// A `<SchemaTable>` as the Fields table it shows: a `Name`, `Datatype`
/// and `Description` head, then one row per top-level field (nested
/// fields are not columns of the row).
fn schema_rows(offset: usize, fields: Vec<(usize, SchemaField)>, lines: &LineIndex) -> Table {
    let head = Row {
        line: lines.line(offset),
        header: true,
        cells: ["Name", "Datatype", "Description"]
            .map(String::from)
            .to_vec(),
    };
    let rows = fields.into_iter().map(|(at, f)| Row {
        line: lines.line(at),
        header: false,
        cells: vec![f.name, f.datatype, html::fragment_text(&f.description)],
    });
    Table {
        line: lines.line(offset),
        offset,
        tab: None,
        rows: std::iter::once(head).chain(rows).collect(),
    }
}

/// The state of the walk over the page's events.
#[derive(Default)]
struct Builder {
    out: Vec<Section>,
    cur: Section,
    /// Raw HTML of the current section: (source offset, text).
    html_chunks: html::Chunks,
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
                    // The code is at most the block's source: one allocation.
                    code: String::with_capacity(range.len()),
                    tab: None,
                    line: lines.line(range.start),
                    offset: range.start,
                    fenced,
                    code_line: None,
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
                    r.cells.push(html::collapse_ws_owned(c.text));
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
                    let text = html::collapse_ws_owned(p.text);
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
                    html::code_span(&html::decode_references(&t), &mut i.text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(i) = target(heading, inline) {
                    i.text.push(' ');
                }
            }
            Event::InlineHtml(raw) => {
                html_chunks.push(range.start, &raw);
                if let Some(i) = target(heading, inline) {
                    i.push_html(&raw);
                }
            }
            Event::Html(raw) => html_chunks.push(range.start, &raw),
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
fn finish_section(cur: &mut Section, chunks: &mut html::Chunks, lines: &LineIndex) {
    if chunks.is_empty() {
        return;
    }
    let items = chunks.items();
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

/// Calls `f` with every code block of every page of the shared corpus
/// (`../shared/corpus` beside the workspace), page by page in discovery
/// order; the number of pages read, or `None` (with a message) when the
/// corpus is not there. For tests that check a reader against its oracle
/// over real examples.
#[cfg(test)]
pub(crate) fn corpus_code_blocks(mut f: impl FnMut(&CodeBlock)) -> Option<usize> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let Ok(files) = crate::specs::discover_only(&root, &[]) else {
        eprintln!("skipped: no corpus at {}", root.display());
        return None;
    };
    for file in &files {
        let Ok(text) = std::fs::read_to_string(&file.path) else {
            continue;
        };
        for section in sections(&text, &LineIndex::new(&text)) {
            for block in &section.blocks {
                if let Block::Code(c) = block {
                    f(c);
                }
            }
        }
    }
    Some(files.len())
}

#[cfg(test)]
mod tests;
