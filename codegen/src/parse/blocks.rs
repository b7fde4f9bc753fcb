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

/// Splits a page into sections.
pub fn sections(text: &str, lines: &LineIndex) -> Vec<Section> {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_STRIKETHROUGH;
    let mut out = Vec::new();
    let mut cur = Section::default();
    // Raw HTML of the current section: (source offset, text).
    let mut html_chunks: Vec<(usize, String)> = Vec::new();
    let mut inline: Option<Inline> = None;
    let mut heading: Option<(u8, Inline)> = None;
    let mut code: Option<CodeBlock> = None;
    let mut table: Option<Table> = None;
    let mut row: Option<Row> = None;
    let mut in_meta = false;

    for (event, range) in Parser::new_ext(text, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_meta = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_meta = false,
            _ if in_meta => {}
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((
                    heading_level(level),
                    Inline {
                        start: range.start,
                        ..Inline::default()
                    },
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, h)) = heading.take() {
                    finish_section(&mut cur, &mut html_chunks, lines);
                    out.push(std::mem::take(&mut cur));
                    cur = Section {
                        title: h.text.trim().to_string(),
                        level,
                        line: lines.line(h.start),
                        blocks: Vec::new(),
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
                code = Some(CodeBlock {
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
                table = Some(Table {
                    line: lines.line(range.start),
                    rows: Vec::new(),
                });
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    cur.blocks.push(Block::Table(t));
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                row = Some(Row {
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
            Event::Start(Tag::TableCell) => inline = Some(Inline::default()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(c), Some(r)) = (inline.take(), row.as_mut()) {
                    r.cells.push(html::collapse_ws(&c.text));
                }
            }
            Event::Start(Tag::Paragraph) => {
                inline = Some(Inline {
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
                if let Some(i) = target(&mut heading, &mut inline) {
                    i.links.push(dest_url.to_string());
                }
            }
            Event::Text(t) => {
                if let Some(c) = code.as_mut() {
                    c.code.push_str(&t);
                } else if let Some(i) = target(&mut heading, &mut inline) {
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
                if let Some(i) = target(&mut heading, &mut inline) {
                    i.text.push(' ');
                }
            }
            Event::InlineHtml(raw) => {
                html_chunks.push((range.start, raw.to_string()));
                if let Some(i) = target(&mut heading, &mut inline) {
                    i.push_html(&raw);
                }
            }
            Event::Html(raw) => html_chunks.push((range.start, raw.to_string())),
            _ => {}
        }
    }
    finish_section(&mut cur, &mut html_chunks, lines);
    out.push(cur);
    out
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
    for block in &mut cur.blocks {
        if let Block::Code(c) = block {
            c.tab = tabs
                .iter()
                .take_while(|(off, _)| *off < c.offset)
                .last()
                .and_then(|(_, v)| v.clone());
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
}
