//! The page's lines before the Markdown parser sees them: pipe-table rows
//! broken across lines are joined, and the lines of MDX tab sets and MDX
//! `<CodeBlock>` elements are split off from the Markdown around them.

use super::LineIndex;

/// What a page's lines are, for the Markdown parser: Markdown, or the lines
/// of an MDX tab set (`<Tabs ...>`, `<TabItem value="...">`, `</TabItem>`,
/// `</Tabs>`), which end whatever Markdown block precedes them. A GFM pipe
/// table only ends at a blank line, so without this split a `</TabItem>`
/// line would be read as a row of the table before it, and a `<TabItem>`
/// line right above a table would swallow it into an HTML block.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Segment {
    /// Markdown, a byte range of the page.
    Markdown(std::ops::Range<usize>),
    /// A `<TabItem>`, `</TabItem>` or `</Tabs>` line.
    TabMarker(std::ops::Range<usize>),
    /// A `<Tabs ...>` opening tag, over one or more lines.
    TabsOpen(std::ops::Range<usize>),
    /// An MDX code block, `<CodeBlock language="yaml">{`...`}</CodeBlock>`:
    /// the block's range, its language and the range of its code (a
    /// JavaScript template literal's text, still escaped).
    CodeBlock {
        /// The whole element.
        range: std::ops::Range<usize>,
        /// The `language` attribute, lower-cased; empty without one.
        lang: String,
        /// The template literal's text, between `` {` `` and `` `} ``.
        code: std::ops::Range<usize>,
    },
    /// An MDX schema table, `<SchemaTable fields={[{"name": ..., "type": ...,
    /// "description": ..., "children": [...]}, ...]} />`: the element's range
    /// and its fields, each with the offset of its object in the page.
    SchemaTable {
        /// The whole element.
        range: std::ops::Range<usize>,
        /// The top-level fields, with their offsets.
        fields: Vec<(usize, SchemaField)>,
    },
}

/// One field of a `<SchemaTable>`: a Fields-table row, with the fields of
/// an object (or of an array's items) as children.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default)]
pub struct SchemaField {
    /// The field's name.
    pub name: String,
    /// Its datatype (`string`, `object`, `array`, ...).
    #[serde(rename = "type")]
    pub datatype: String,
    /// Its description.
    pub description: String,
    /// The fields of an object, or of an array's items.
    pub children: Vec<SchemaField>,
}

/// How far the opening tag of a `<CodeBlock>` may reach for its `>`: a
/// page of `<CodeBlock` lines that never close must not be read to its end
/// once per line.
const OPEN_TAG_MAX: usize = 4096;

/// The `<CodeBlock language="...">{`...`}</CodeBlock>` element opening at
/// `start` of `text` (on a line of its own), if it is one: see
/// [`Segment::CodeBlock`]. `Err(true)` when no element opening at or after
/// `start` can close (no backtick ends a literal before the page does), so
/// the caller need not try again further down.
fn code_block(text: &str, start: usize) -> Result<Segment, bool> {
    let rest = &text[start..];
    let head = &rest.as_bytes()[..rest.len().min(OPEN_TAG_MAX)];
    // `>` is ASCII: its index is a char boundary.
    let open_end = memchr::memchr(b'>', head).ok_or(false)?;
    let tag = &rest[..open_end];
    let lang = tag
        .find("language=")
        .and_then(|i| {
            let v = &tag[i + "language=".len()..];
            let q = v.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            v[1..].find(q).map(|e| v[1..1 + e].to_ascii_lowercase())
        })
        .unwrap_or_default();
    let after = &rest[open_end + 1..];
    let body = after.strip_prefix("{`").ok_or(false)?;
    let code_start = start + open_end + 1 + 2;
    // The literal ends at the first backtick not escaped by a backslash;
    // none before the page ends, and no later element can close either.
    let bytes = body.as_bytes();
    let mut i = 0;
    let code_end = loop {
        match bytes.get(i).ok_or(true)? {
            b'\\' => i += 2,
            b'`' => break i,
            _ => i += 1,
        }
    };
    let close = body[code_end..]
        .strip_prefix("`}")
        .ok_or(false)?
        .trim_start_matches([' ', '\t']);
    let close = close.strip_prefix("</CodeBlock>").ok_or(false)?;
    let end = text.len() - close.len();
    Ok(Segment::CodeBlock {
        range: start..end,
        lang,
        code: code_start..code_start + code_end,
    })
}

/// The `<SchemaTable fields={[...]} />` element opening at `start` of
/// `text` (on a line of its own), if it is one: see [`Segment::SchemaTable`].
/// The `fields` expression must be a JSON array of objects (as StackQL's
/// docs generator writes it); `Err(true)` when its JSON runs to the page's
/// end, so that no element further down is tried (each try would read to
/// the end again).
fn schema_table(text: &str, start: usize) -> Result<Segment, bool> {
    let rest = &text[start..];
    let attr = rest["<SchemaTable".len()..].trim_start();
    let json = attr
        .strip_prefix("fields")
        .map(str::trim_start)
        .and_then(|a| a.strip_prefix('='))
        .map(str::trim_start)
        .and_then(|a| a.strip_prefix('{'))
        .map(str::trim_start)
        .ok_or(false)?;
    let json_start = text.len() - json.len();
    let mut values = serde_json::Deserializer::from_str(json).into_iter::<Vec<SchemaField>>();
    let fields = match values.next() {
        Some(Ok(fields)) => fields,
        Some(Err(e)) => return Err(e.is_eof()),
        None => return Err(true),
    };
    let json_end = json_start + values.byte_offset();
    let close = text[json_end..]
        .trim_start()
        .strip_prefix('}')
        .map(str::trim_start)
        .and_then(|c| c.strip_prefix("/>"))
        .ok_or(false)?;
    let starts = object_starts(&text[json_start..json_end]);
    Ok(Segment::SchemaTable {
        range: start..text.len() - close.len(),
        fields: starts
            .into_iter()
            .map(|at| json_start + at)
            .zip(fields)
            .collect(),
    })
}

/// The offsets of the objects directly inside a JSON array (`json`, valid,
/// starting with `[`), in order.
fn object_starts(json: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in json.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                if b == b'{' && depth == 1 {
                    out.push(i);
                }
                depth += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    out
}

/// The text of a JavaScript template literal's source (a
/// [`Segment::CodeBlock`]'s code): `` \` ``, `\$` and `\\` unescaped.
pub(super) fn template_text(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut chars = src.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(e @ ('`' | '$' | '\\')) => out.push(e),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Whether `line` (without its indentation) opens with the tag `name`.
fn opens_tag(line: &str, name: &str) -> bool {
    line.strip_prefix(name)
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
}

/// The first byte of `line.trim_start()` when it is ASCII and found without
/// decoding (white space before it is ASCII); `None` otherwise (the line
/// is blank, or a non-ASCII char comes first): a cheap first look.
fn first_ascii(line: &str) -> Option<u8> {
    // `char::is_whitespace` on ASCII: space and \t to \r.
    line.bytes()
        .find(|b| !matches!(b, b' ' | b'\t'..=b'\r'))
        .filter(u8::is_ascii)
}

/// Tracks fenced code blocks line by line.
#[derive(Default)]
struct Fence(Option<(char, usize)>);

impl Fence {
    /// Whether `line` is code: a fence line, or inside a fenced block.
    fn code(&mut self, line: &str) -> bool {
        if first_ascii(line).is_some_and(|b| b != b'`' && b != b'~') {
            return self.0.is_some();
        }
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
    // A first cell of dashes, or a leading `|` or `:`.
    t.starts_with(['|', ':', '-'])
        && t.contains('-')
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
/// offset (and line) in the page. Returns the text and the offsets of the
/// newlines replaced, in order; `index` indexes `text`.
pub(super) fn join_broken_rows<'t>(
    text: &'t str,
    index: &LineIndex,
) -> (std::borrow::Cow<'t, str>, Vec<usize>) {
    let line_at = |i: usize| index.get(text, i);
    let mut joins: Vec<usize> = Vec::new();
    if !has_delimiter_row(text) {
        // No table: nothing to join (most pages hold HTML tables only).
        return (std::borrow::Cow::Borrowed(text), joins);
    }
    let mut fence = Fence::default();
    // The pipes of a full row of the current table.
    let mut full: Option<usize> = None;
    let mut i = 0;
    while let Some((_, line)) = line_at(i) {
        i += 1;
        let code = fence.code(line);
        // Most lines start with a char no table line starts with.
        let other = first_ascii(line).is_some_and(|b| !matches!(b, b'|' | b':' | b'-'));
        let t = if code || other { "" } else { line.trim() };
        if t.is_empty() {
            full = None;
            continue;
        }
        if delimiter_row(t) {
            full = i
                .checked_sub(2)
                .and_then(line_at)
                .map(|(_, h)| h.trim())
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
            let Some((start, next)) = line_at(i) else {
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
        return (std::borrow::Cow::Borrowed(text), joins);
    }
    let mut bytes = text.as_bytes().to_vec();
    for &j in &joins {
        bytes[j] = b' ';
        if j > 0 && bytes[j - 1] == b'\r' {
            bytes[j - 1] = b' ';
        }
    }
    // Only ASCII newlines were replaced by spaces: still UTF-8.
    let joined = String::from_utf8(bytes).unwrap_or_else(|_| text.to_string());
    (std::borrow::Cow::Owned(joined), joins)
}

/// Whether a line of `text` (inside a fenced block or not) is a pipe
/// table's delimiter row. Such a row holds a `|`, so only the lines holding
/// one are looked at, found with the standard library's byte search: a
/// page without one has no table rows to join.
fn has_delimiter_row(text: &str) -> bool {
    let mut from = 0;
    while let Some(at) = text[from..].find('|').map(|i| from + i) {
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        if delimiter_row(text[start..end].trim()) {
            return true;
        }
        from = end;
    }
    false
}

/// Splits the page into Markdown, tab-set lines and `<CodeBlock>` elements
/// (never inside a fenced code block); `index` indexes `text`.
pub(super) fn segments(text: &str, index: &LineIndex) -> Vec<Segment> {
    let mut out = Vec::new();
    // Searched with memchr's SIMD `memmem`: most pages have none of them,
    // so each search reads the whole page (one pass over its `<`s, of which
    // HTML tables have many, costs more).
    let has = |needle: &str| memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some();
    if !has("<Tab") && !has("</Tab") && !has("<CodeBlock") && !has("<SchemaTable") {
        // No tab-set line: all Markdown (most pages have no tabs).
        if !text.is_empty() {
            out.push(Segment::Markdown(0..text.len()));
        }
        return out;
    }
    let mut md_start = 0;
    let mut fence = Fence::default();
    // Whether a `<CodeBlock>` (a `<SchemaTable>`) element may still close
    // further down.
    let mut code_blocks = true;
    let mut schema_tables = true;
    let mut lines = index.lines(text);
    while let Some((start, line)) = lines.next() {
        // Most lines open with a byte that neither moves a fence nor opens
        // a tag: nothing to do (the fence keeps its state on such a line).
        if first_ascii(line).is_some_and(|b| !matches!(b, b'`' | b'~' | b'<')) {
            continue;
        }
        if fence.code(line) {
            continue;
        }
        let trimmed = line.trim_start();
        if !trimmed.starts_with('<') {
            continue;
        }
        // Indented 4 spaces or more, a line is indented code, not MDX.
        let indent = line.len() - trimmed.len();
        let element = if indent > 3 {
            None
        } else if code_blocks && opens_tag(trimmed, "<CodeBlock") {
            Some((code_block(text, start + indent), &mut code_blocks))
        } else if schema_tables && opens_tag(trimmed, "<SchemaTable") {
            Some((schema_table(text, start + indent), &mut schema_tables))
        } else {
            None
        };
        if let Some((found, may_close)) = element {
            if found == Err(true) {
                *may_close = false;
            }
            if let Ok(block) = found {
                let (Segment::CodeBlock { range, .. } | Segment::SchemaTable { range, .. }) =
                    &block
                else {
                    unreachable!("elements are code blocks or schema tables")
                };
                let end = range.end;
                if md_start < start {
                    out.push(Segment::Markdown(md_start..start));
                }
                out.push(block);
                md_start = end;
                // On past the other lines the element spans.
                if end > start + line.len() {
                    for (s, l) in lines.by_ref() {
                        if s + l.len() >= end {
                            break;
                        }
                    }
                }
            }
            continue;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delimiter_row_is_found_on_any_line_holding_a_pipe() {
        for text in [
            "",
            "|",
            "a | b\n",
            "| a |\n|---|\n| 1 |\n",
            "x\n  |:--|--:|  \r\nz",
            "true|false\n---\n",
            "| a | b |\n| - | x |\n",
            "|---|",
            "é|é\n-|-",
        ] {
            let any = text.lines().any(|l| delimiter_row(l.trim()));
            assert_eq!(has_delimiter_row(text), any, "{text:?}");
        }
    }

    #[test]
    fn a_code_block_that_cannot_close_says_whether_a_later_one_could() {
        // No `>` within reach of the tag: not one, later lines may be.
        let far = format!(
            "<CodeBlock {}>{{`a`}}</CodeBlock>",
            " ".repeat(OPEN_TAG_MAX)
        );
        assert_eq!(code_block(&far, 0), Err(false));
        // No backtick ends the literal before the page does: none can.
        assert_eq!(code_block("<CodeBlock>{`a: 1\\`", 0), Err(true));
        assert_eq!(code_block("<CodeBlock>{`a: 1", 0), Err(true));
        // A literal that ends without the closing tag: later ones may close.
        assert_eq!(code_block("<CodeBlock>{`a`} x", 0), Err(false));
        assert!(code_block("<CodeBlock>{`a`}</CodeBlock>", 0).is_ok());
    }

    #[test]
    fn a_page_without_tab_sets_is_one_markdown_segment() {
        for text in [
            "",
            "# a\n\n<table>\n",
            "<Tabs>\n</Tabs>\n",
            "x\n</TabItem>\n",
        ] {
            let index = LineIndex::new(text);
            let got = segments(text, &index);
            if text.contains("<Tab") || text.contains("</Tab") {
                assert!(got.len() > 1, "{text:?}");
            } else {
                let want: Vec<Segment> = (!text.is_empty())
                    .then_some(Segment::Markdown(0..text.len()))
                    .into_iter()
                    .collect();
                assert_eq!(got, want, "{text:?}");
            }
        }
    }

    #[test]
    fn first_ascii_is_the_first_byte_of_the_trimmed_line_or_nothing() {
        for line in [
            "",
            "   ",
            "\n",
            "x",
            "  |a|",
            "\t```",
            "\u{b}```",
            "\u{c}~~~",
            "\u{a0}```",
            " é",
            "-",
        ] {
            if let Some(b) = first_ascii(line) {
                assert_eq!(line.trim_start().bytes().next(), Some(b), "{line:?}");
            }
        }
        // A vertical tab is white space to `trim_start`: the fence is seen.
        assert!(Fence::default().code("\u{b}```sql\n"));
        assert!(!Fence::default().code("\u{a0}x\n"));
    }
}
