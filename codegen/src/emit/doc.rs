//! Page text → rustdoc that renders without warnings.
//!
//! This is the one escaping rule for any text from the specs that reaches
//! generated code outside a string literal: descriptions, page paths and
//! names in `//` headers and `//!` docs. The result is always one line
//! (control characters, line and paragraph separators become spaces, even in
//! code spans), so no text can end a comment and put code after it.
//!
//! Descriptions arrive with entities already decoded. Outside code spans we
//! escape what rustdoc would read as markup it warns about: `[`/`]`
//! (intra-doc links), `<`/`>` (HTML tags) and `&` (entities); Markdown
//! links to web pages (`[text](https://...)`) are kept, other URLs are
//! wrapped in `<...>` so they become links. Code spans (balanced backticks)
//! are kept as written, but for line breaks.

/// Escapes one paragraph of page text for rustdoc and comments: one line
/// (see the module docs).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    escape_into(text, &mut out);
    out
}

/// [`escape`], appended to `out`.
pub fn escape_into(text: &str, out: &mut String) {
    let text = text.trim();
    if is_plain(text) {
        out.push_str(text);
    } else {
        escape_general(text, out);
    }
}

/// Whether trimmed `text` is escaped as itself (most page text is): printable
/// ASCII with nothing [`escape_word`] escapes, no code span, no link or URL
/// (no `[` nor `http`), and words one space apart.
fn is_plain(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' '..=b'~') && escaped(char::from(b)).is_none() && b != b'`')
        && !text.contains("  ")
        && !text.contains("http")
}

/// [`escape_into`] of trimmed text, by the rules of the module docs.
fn escape_general(text: &str, out: &mut String) {
    let ticks = text.matches('`').count();
    if ticks % 2 == 1 {
        // Unbalanced: no code spans at all.
        escape_prose(&text.replace('`', "'"), out);
        return;
    }
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push('`');
            out.push_str(&one_line(part));
            out.push('`');
        } else {
            escape_prose(part, out);
        }
    }
}

/// `text` with every character that may end a line (see [`breaks_line`])
/// made a space, and nothing else changed: for names and ids (not page
/// prose, which goes through [`escape`]) written into a comment line, so
/// that no text can end the comment and put code after it.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(breaks_line) {
        text.chars()
            .map(|c| if breaks_line(c) { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Whether `c` may end a line for rustc or for a reader's editor: control
/// characters (`\n`, `\r`, NUL, ...), U+0085 and the Unicode line and
/// paragraph separators U+2028/U+2029.
fn breaks_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

fn escape_prose(text: &str, out: &mut String) {
    // Markdown links to web pages stay links; the rest is escaped word by word.
    let mut rest = text;
    while let Some((start, end, label, url)) = find_link(rest) {
        escape_words(&rest[..start], out);
        out.push('[');
        escape_words(label.trim(), out);
        out.push_str("](");
        out.push_str(url);
        out.push(')');
        rest = &rest[end..];
    }
    escape_words(rest, out);
}

/// The first `[label](http...)` of `text`: its byte range, label and URL.
fn find_link(text: &str) -> Option<(usize, usize, &str, &str)> {
    let mut from = 0;
    while let Some(open) = text[from..].find('[').map(|i| from + i) {
        let close = open + 1 + text[open + 1..].find(']')?;
        let label = &text[open + 1..close];
        let after = &text[close + 1..];
        if !label.contains('[') && after.starts_with("(http") {
            let url_len = after[1..].find([')', ' ', '<', '>', '"', '`', '[', ']']);
            if let Some(n) = url_len.filter(|n| after[1 + n..].starts_with(')')) {
                let url = &after[1..1 + n];
                if url_of(url) == Some(url.len()) && !label.trim().is_empty() {
                    return Some((open, close + 2 + n + 1, label, url));
                }
            }
        }
        from = open + 1;
    }
    None
}

fn escape_words(text: &str, out: &mut String) {
    let mut first = true;
    // Keep leading/trailing spaces of the fragment (it sits next to code spans).
    let lead = text.len() - text.trim_start().len();
    out.push_str(&" ".repeat(lead.min(1)));
    // Without `http` anywhere, no word holds a URL.
    let urls = text.contains("http");
    for word in text.split_whitespace() {
        if !first {
            out.push(' ');
        }
        first = false;
        if !urls {
            escape_word(word, out);
            continue;
        }
        // A URL may start mid-word (`(see:https://...)`).
        let at = url_start(word).unwrap_or(0);
        let (before, from_url) = word.split_at(at);
        if let Some(url) = url_of(from_url) {
            escape_word(before, out);
            let (link, rest) = from_url.split_at(url);
            out.push('<');
            out.push_str(link);
            out.push('>');
            escape_word(rest, out);
        } else {
            escape_word(word, out);
        }
    }
    if !first && text.ends_with(char::is_whitespace) {
        out.push(' ');
    }
}

/// Where the first `http://` or `https://` of `word` starts: a scan for
/// `h` (memchr) rather than a substring search per word, which was a few
/// percent of a whole generation.
fn url_start(word: &str) -> Option<usize> {
    word.match_indices('h')
        .map(|(i, _)| i)
        .find(|&i| word[i..].starts_with("http://") || word[i..].starts_with("https://"))
}

/// The length of the URL a word starts with, without trailing punctuation.
fn url_of(word: &str) -> Option<usize> {
    if !(word.starts_with("http://") || word.starts_with("https://")) {
        return None;
    }
    let end = word
        .find(['<', '>', '"', '`', '[', ']'])
        .unwrap_or(word.len());
    let url = word[..end].trim_end_matches(['.', ',', ';', ':', ')', '(', '\'', '!', '?']);
    (url.len() > "https://".len()).then_some(url.len())
}

/// `word` with what rustdoc would read as markup escaped (see
/// [`escaped`]), the text between copied as it is.
fn escape_word(word: &str, out: &mut String) {
    let mut from = 0;
    for (i, c) in word.char_indices() {
        if let Some(e) = escaped(c) {
            out.push_str(&word[from..i]);
            out.push_str(e);
            from = i + c.len_utf8();
        }
    }
    out.push_str(&word[from..]);
}

/// What `c` becomes in prose, when not itself.
fn escaped(c: char) -> Option<&'static str> {
    Some(match c {
        '[' => "\\[",
        ']' => "\\]",
        '<' => "&lt;",
        '>' => "&gt;",
        '&' => "&amp;",
        '\\' => "\\\\",
        '*' => "\\*",
        '#' => "\\#",
        c if breaks_line(c) => " ",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_tags_entities_and_urls() {
        assert_eq!(
            escape("[Output Only] a <b> & c"),
            "\\[Output Only\\] a &lt;b&gt; &amp; c"
        );
        assert_eq!(
            escape("see https://x.io/a. Done"),
            "see <https://x.io/a>. Done"
        );
        assert_eq!(escape("use `[a-z]` here"), "use `[a-z]` here");
        assert_eq!(escape("odd ` tick [x]"), "odd ' tick \\[x\\]");
    }

    #[test]
    fn the_result_is_one_line_whatever_the_text() {
        for hostile in [
            "x\ncompile_error!(\"boom\");\n",
            "a\r\nb",
            "a\u{2028}b\u{2029}c\u{85}d",
            "nul\0byte",
            "`code\nspan` and `\u{2028}`",
            "*/ \"quoted\" /*",
        ] {
            let e = escape(hostile);
            assert!(!e.chars().any(breaks_line), "{e:?}");
            assert_eq!(e.lines().count(), 1, "{e:?}");
        }
        assert_eq!(
            escape("x\ncompile_error!(\"boom\");"),
            "x compile_error!(\"boom\");"
        );
        assert_eq!(escape("`a\nb`"), "`a b`");
    }

    /// Hostile text: markup, entities, backticks, comment ends, line breaks,
    /// non-ASCII (multi-byte) characters next to escaped ones, URLs.
    const HOSTILE: [&str; 10] = [
        "a[b]c<d>e&f\\g*h_i#j",
        "*/ \"quoted\" /* `tick` ``",
        "é[漢]ü\u{2028}x\u{85}y\0z\r\n",
        "  lead and trail  \t",
        "[x](https://x.io/a_b) and http://y.io/[z] (see:https://z.io/a).",
        "httpx http:/ https//x h",
        "`code [x]` [y] `odd",
        "#![allow] ## *bold* __init__",
        "",
        "\u{feff}ﬁ [\u{200b}]",
    ];

    #[test]
    fn plain_text_is_escaped_as_itself() {
        let plain = [
            "The Amazon Resource Name (ARN) of the resource, e.g. arn:aws:x:y:z/a_b.",
            "Key-value pairs: {\"a\": 1}; 'quoted' ~!@$%^()_+-=|:;?,./",
            "x",
            "",
        ];
        for text in plain {
            assert!(is_plain(text), "{text:?}");
        }
        for text in plain.iter().chain(&HOSTILE) {
            let text = text.trim();
            let mut general = String::new();
            escape_general(text, &mut general);
            if is_plain(text) {
                assert_eq!(general, text);
            }
        }
        for text in [
            "a  b",
            "see http://x.io",
            "a\tb",
            "é",
            "a `b`",
            "a#b",
            "x\u{7f}",
        ] {
            assert!(!is_plain(text), "{text:?}");
        }
    }

    #[test]
    fn escape_word_copies_runs_as_escaping_each_character_would() {
        // Each character on its own, as the escaping rule reads.
        let per_char = |word: &str| -> String {
            word.chars()
                .map(|c| escaped(c).map_or_else(|| c.to_string(), str::to_string))
                .collect()
        };
        for word in HOSTILE.iter().flat_map(|t| t.split_whitespace()) {
            let mut out = String::new();
            escape_word(word, &mut out);
            assert_eq!(out, per_char(word), "{word:?}");
        }
    }

    #[test]
    fn words_without_http_are_escaped_as_words_with_a_url_check() {
        // The shortcut for text without `http` gives what the URL search
        // would: compare with the same words next to a URL.
        for text in HOSTILE {
            let url = "https://x.io/u";
            let with = escape(&format!("{url} {text}"));
            let without = escape(text);
            let rest = with.strip_prefix(&format!("<{url}>")).unwrap();
            assert_eq!(rest.trim_start(), without, "{text:?}");
        }
    }

    #[test]
    fn one_line_only_replaces_line_breaks() {
        assert_eq!(one_line("a.b_c `d` [e] <f>"), "a.b_c `d` [e] <f>");
        assert_eq!(one_line("a\nb\rc\u{2028}d\u{85}e"), "a b c d e");
    }

    #[test]
    fn markdown_links_stay_links_and_inner_urls_are_wrapped() {
        assert_eq!(
            escape("see [Name Type](https://docs.aws/x_y.html). If [a] b"),
            "see [Name Type](https://docs.aws/x_y.html). If \\[a\\] b"
        );
        // A label with a code span is split by it: escaped, URL wrapped.
        assert_eq!(
            escape("the [`Issue`](https://x.io/a) action"),
            "the \\[`Issue`\\](<https://x.io/a>) action"
        );
        assert_eq!(escape("(see:https://x.io/a)."), "(see:<https://x.io/a>).");
        assert_eq!(
            escape("[Output Only] [x](not-a-url) [](https://x.io)"),
            "\\[Output Only\\] \\[x\\](not-a-url) \\[\\](<https://x.io>)"
        );
    }
}
