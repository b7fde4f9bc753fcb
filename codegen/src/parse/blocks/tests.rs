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
    s.tables()
        .map(|t| {
            (
                t.tab.clone(),
                t.rows.iter().map(|r| r.cells.clone()).collect(),
            )
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

#[test]
fn line_index_walks_lines_as_split_inclusive_does() {
    // Longer texts cross the index's 16-byte blocks: newlines at a block's
    // first and last byte, runs of them, a block without one.
    let long = [
        "0123456789abcde\n0123456789abcdef\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\nx",
        "\n123456789abcdef0123456789abcdef0123456789\né\n",
        "a very long line without any newline at all in the first blocks\nend\n",
    ];
    for text in ["", "\n", "a", "a\nb", "a\nb\n", "\n\nx\r\n\n", "é\nü\n\n"]
        .into_iter()
        .chain(long)
    {
        let index = LineIndex::new(text);
        let mut pos = 0;
        let want: Vec<(usize, &str)> = text
            .split_inclusive('\n')
            .map(|l| {
                pos += l.len();
                (pos - l.len(), l)
            })
            .collect();
        assert_eq!(index.lines(text).collect::<Vec<_>>(), want, "{text:?}");
    }
    // Joining lines (newlines become spaces) drops the starts after them.
    let text = "| a | b |\n|---|---|\n| x\ny | z |\nnext\n";
    let (joined, joins) = prepass::join_broken_rows(text, &LineIndex::new(text));
    assert_eq!(joins, [23]);
    assert_eq!(
        LineIndex::new(text).joined(&joins).starts,
        LineIndex::new(&joined).starts
    );
}

/// The code blocks of a section: (lang, code, tab, line).
fn codes(s: &Section) -> Vec<(String, String, Option<String>, usize)> {
    s.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Code(c) => Some((c.lang.clone(), c.code.clone(), c.tab.clone(), c.line)),
            _ => None,
        })
        .collect()
}

#[test]
fn an_mdx_code_block_is_a_code_block_of_its_language_in_its_tab() {
    let text = "## `INSERT` examples\n\n<Tabs\n    defaultValue=\"m\"\n    values={[\n        { label: 'Manifest', value: 'manifest' }\n    ]}\n>\n<TabItem value=\"manifest\">\n\n<CodeBlock language=\"yaml\">{`# a comment\n- name: x\n  props:\n    - name: A\n      value: \"\\`{{ A }}\\` costs \\${1} \\\\ \"\n`}</CodeBlock>\n\n</TabItem>\n</Tabs>\n\nafter\n";
    let s = parse(text);
    assert_eq!(
        codes(&s[1]),
        [(
            "yaml".to_string(),
            "# a comment\n- name: x\n  props:\n    - name: A\n      value: \"`{{ A }}` costs ${1} \\ \"\n"
                .to_string(),
            Some("manifest".to_string()),
            11
        )]
    );
    // The Markdown after it is read as before.
    assert!(s[1]
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Paragraph(p) if p.text == "after")));
}

#[test]
fn a_code_block_element_that_does_not_close_is_markdown() {
    for text in [
        "## S\n\n<CodeBlock language=\"yaml\">{`- name: x\n\nno end\n",
        "## S\n\n<CodeBlock language=\"yaml\">{`- name: x`}\n\nno closing tag\n",
        "## S\n\n<CodeBlock language=\"yaml\">\n- name: x\n</CodeBlock>\n",
        "## S\n\n<CodeBlock language=\"yaml\">{`\\",
    ] {
        let s = parse(text);
        assert!(codes(&s[1]).is_empty(), "{text:?}");
    }
    // The opening tag over several lines: the code's first line is the
    // one after `{``, not the tag's first.
    let s = parse("## S\n<CodeBlock\n  language=\"yaml\"\n>{`a: 1\nb: 2`}</CodeBlock>\n");
    let c = codes(&s[1]);
    assert_eq!((c[0].1.as_str(), c[0].3), ("a: 1\nb: 2", 2));
    let Block::Code(block) = &s[1].blocks[0] else {
        panic!("a code block")
    };
    assert_eq!(block.code_line, Some(4));
    // Indented four spaces: indented code, not MDX.
    let s = parse("## S\n\n    <CodeBlock language=\"yaml\">{`a: 1`}</CodeBlock>\n");
    assert!(
        codes(&s[1]).iter().all(|c| c.0.is_empty()),
        "{:?}",
        codes(&s[1])
    );
    // Many opening tags that never close: each looks a bounded way ahead,
    // and once no literal can end, no further line is tried.
    let hostile = "<CodeBlock {`\n".repeat(20_000);
    let s = parse(&format!("## S\n{hostile}"));
    assert!(codes(&s[1]).is_empty());
    let no_gt = format!("## S\n{}", "<CodeBlock language=\"yaml\"\n".repeat(20_000));
    assert!(codes(&parse(&no_gt)[1]).is_empty());
    // Without a language: an empty one; the element may end a line early.
    let s = parse("## S\n<CodeBlock>{`SELECT 1;`}</CodeBlock> tail\n");
    assert_eq!(
        codes(&s[1]),
        [(String::new(), "SELECT 1;".to_string(), None, 2)]
    );
}

fn table_blocks(s: &Section) -> Vec<&Table> {
    s.tables().collect()
}

#[test]
fn a_schema_table_is_a_fields_table_in_its_tab() {
    let text = "## Fields\n<Tabs values={[{ label: 'get', value: 'get' }]}>\n<TabItem value=\"get\">\n\n<SchemaTable fields={[\n  {\n    \"name\": \"a\",\n    \"type\": \"string\",\n    \"description\": \"say \\\"hi\\\" `x` ]} />\"\n  },\n  {\"name\": \"b\", \"type\": \"object\", \"description\": \"\", \"children\": [{\"name\": \"c\", \"type\": \"integer\", \"description\": \"{\"}]}\n]} />\n</TabItem>\n</Tabs>\n\nafter\n";
    let s = parse(text);
    let t = table_blocks(&s[1]);
    assert_eq!(t.len(), 1, "{:?}", s[1].blocks);
    assert_eq!(t[0].tab.as_deref(), Some("get"));
    assert_eq!(t[0].line, 5);
    let rows: Vec<(usize, bool, &[String])> = t[0]
        .rows
        .iter()
        .map(|r| (r.line, r.header, r.cells.as_slice()))
        .collect();
    let cells = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        rows[0],
        (5, true, &cells(&["Name", "Datatype", "Description"])[..])
    );
    // Each row at its object's line; JSON escapes read; children are no rows.
    assert_eq!(
        rows[1],
        (
            6,
            false,
            &cells(&["a", "string", "say \"hi\" `x` ]} />"])[..]
        )
    );
    assert_eq!(rows[2], (11, false, &cells(&["b", "object", ""])[..]));
    assert_eq!(rows.len(), 3);
    // The Markdown after the element is read as such.
    assert!(s[1]
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Paragraph(p) if p.text == "after")));
}

#[test]
fn a_schema_table_that_is_not_a_json_array_is_no_table() {
    for text in [
        // Not JSON (a JavaScript object with unquoted keys).
        "## F\n<SchemaTable fields={[{ name: 'a' }]} />\n",
        // A field that is no object, a name that is no string.
        "## F\n<SchemaTable fields={[1]} />\n",
        "## F\n<SchemaTable fields={[{\"name\": 1}]} />\n",
        // No closing `} />`, or no array.
        "## F\n<SchemaTable fields={[]}\n",
        "## F\n<SchemaTable fields={fields} />\n",
        "## F\n<SchemaTable rows={[]} />\n",
        // The JSON runs to the page's end.
        "## F\n<SchemaTable fields={[{\"name\": \"a\"",
        // Indented four spaces: code.
        "## F\n\n    <SchemaTable fields={[]} />\n",
    ] {
        let s = parse(text);
        assert!(table_blocks(&s[1]).is_empty(), "{text:?}");
    }
    // Fields without a type or description: empty cells.
    let s = parse("## F\n<SchemaTable fields={[{\"name\": \"a\"}]} />\n");
    assert_eq!(table_blocks(&s[1])[0].rows[1].cells, ["a", "", ""]);
    // Deep nesting is an error of the JSON reader, not a stack overflow.
    let deep = format!(
        "## F\n<SchemaTable fields={{[{}{}]}} />\n",
        "{\"children\": [".repeat(10_000),
        "]}".repeat(10_000)
    );
    assert!(table_blocks(&parse(&deep)[1]).is_empty());
    // Many elements whose JSON never ends: once one runs to the page's
    // end, no later line is tried (each try would read to the end).
    let hostile = format!("## F\n{}", "<SchemaTable fields={[\"\n".repeat(20_000));
    assert!(table_blocks(&parse(&hostile)[1]).is_empty());
}
