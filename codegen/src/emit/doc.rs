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
//! (intra-doc links), `<`/`>` (HTML tags) and `&` (entities); and what
//! would change how the text reads: `*`, `#`, `~`, and a `_` that could start
//! or end emphasis (not one between letters, as in `snake_case`), and `\`,
//! which is doubled: a page's `\.` is as often a regular expression's as a
//! Markdown escape, and showing the backslash loses neither. Markdown links to
//! web pages (`[text](https://...)`, the label may hold code spans) are
//! kept, other URLs are wrapped in `<...>` so they become links. Code spans,
//! found as CommonMark finds them (a run of backticks closed by the next run
//! of the same length), are kept as written, but for line breaks; a
//! backtick that opens no span becomes `'`.

/// Escapes one paragraph of page text for rustdoc and comments: one line
/// (see the module docs).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    escape_into(text, &mut out);
    out
}

/// [`escape`], appended to `out`; `true` when the trimmed text was plain
/// and copied as it is (printable ASCII: nothing in it can end a line).
pub fn escape_into(text: &str, out: &mut String) -> bool {
    let text = text.trim();
    // Plain text (most page text, and every generated setter doc) is
    // copied without looking it up: the scan costs no more than the
    // lookup's hash, and unique texts do not fill the memo.
    if is_plain(text) {
        out.push_str(text);
        return true;
    }
    if text.len() < MEMO_FROM {
        escape_general(text, out);
        return false;
    }
    // A description is written once per type it appears in (the row, the
    // properties to create and update, the patch): long texts are escaped
    // once per thread and copied after.
    MEMO.with_borrow_mut(|memo| {
        if let Some(e) = memo.get(text) {
            out.push_str(e);
            return;
        }
        let start = out.len();
        escape_general(text, out);
        if memo.len() >= MEMO_ENTRIES {
            memo.clear();
        }
        memo.insert(text.into(), out[start..].into());
    });
    false
}

/// The length from which [`escape_into`] remembers what it escaped.
const MEMO_FROM: usize = 48;

/// How many texts a thread remembers at most (a few tens of MB for the
/// whole AWS provider's descriptions); then it starts over.
const MEMO_ENTRIES: usize = 1 << 16;

thread_local! {
    /// Texts [`escape_into`] escaped on this thread, and what they became.
    static MEMO: std::cell::RefCell<foldhash::HashMap<Box<str>, Box<str>>> =
        std::cell::RefCell::default();
}

/// Whether trimmed `text` is escaped as itself (most page text is, and so
/// are the generated setter docs): printable ASCII, balanced single
/// backticks (code spans, kept as written), outside code spans nothing
/// [`escape_word`] escapes (a `_` only between letters or digits) and no
/// link (no `[`), no URL (no `http`) and words one space apart. One pass
/// over the bytes: every doc line is scanned.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut code = false;
    for (i, &b) in bytes.iter().enumerate() {
        match BYTE[usize::from(b)] {
            Byte::Prose => {}
            Byte::Space | Byte::H => {
                if starts_break(bytes, i) {
                    return false;
                }
            }
            // A run of backticks is read as CommonMark reads it by the
            // general path only.
            Byte::Tick if bytes.get(i + 1) == Some(&b'`') => return false,
            Byte::Tick => code = !code,
            Byte::Under => {
                if !code && !between_alphanumerics(bytes, i) {
                    return false;
                }
            }
            Byte::Markup => {
                if !code {
                    return false;
                }
            }
            Byte::Other => return false,
        }
    }
    !code
}

/// Whether `text` inside a code span of otherwise plain text leaves it
/// plain (see [`is_plain`]): not empty (two backticks in a row are not
/// plain), printable ASCII without a backtick, no two spaces in a row and
/// no `http`. The generated setter docs name fields
/// and wire names so, and are written without being escaped then.
pub fn is_plain_code(text: &str) -> bool {
    // One pass, as `is_plain` (a substring search per name cost more than
    // the names).
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && bytes
            .iter()
            .enumerate()
            .all(|(i, &b)| match BYTE[usize::from(b)] {
                Byte::Prose | Byte::Markup | Byte::Under => true,
                Byte::Space | Byte::H => !starts_break(bytes, i),
                Byte::Tick | Byte::Other => false,
            })
}

/// Whether the byte at `i` has an ASCII letter or digit on each side: a
/// `_` there (`snake_case`) opens or closes no emphasis.
fn between_alphanumerics(bytes: &[u8], i: usize) -> bool {
    i > 0
        && bytes[i - 1].is_ascii_alphanumeric()
        && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
}

/// Whether the [`Byte::Space`] or [`Byte::H`] at `i` starts what plain text
/// has none of: two spaces in a row, or `http`.
fn starts_break(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b' ' => bytes.get(i + 1) == Some(&b' '),
        _ => bytes[i + 1..].starts_with(b"ttp"),
    }
}

/// What a byte is to [`is_plain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Byte {
    /// Printable ASCII that prose keeps as it is.
    Prose,
    /// A space: plain unless another follows.
    Space,
    /// `h`: plain unless `ttp` follows (a URL is wrapped).
    H,
    /// A backtick: starts or ends a code span.
    Tick,
    /// `_`: plain in code spans and between letters or digits, where it
    /// opens or closes no emphasis.
    Under,
    /// Printable ASCII that [`escaped`] changes in prose (kept in code).
    Markup,
    /// Anything else: control characters, DEL, the bytes of non-ASCII text.
    Other,
}

/// [`Byte`] of each byte: [`escaped`]'s rule for printable ASCII, looked up
/// rather than matched per byte (every doc line is scanned).
const BYTE: [Byte; 256] = {
    let mut t = [Byte::Other; 256];
    let mut b = b' ';
    while b <= b'~' {
        t[b as usize] = match b {
            b'`' => Byte::Tick,
            b'_' => Byte::Under,
            b'[' | b']' | b'<' | b'>' | b'&' | b'\\' | b'*' | b'#' | b'~' => Byte::Markup,
            b' ' => Byte::Space,
            b'h' => Byte::H,
            _ => Byte::Prose,
        };
        b += 1;
    }
    t
};

/// [`escape_into`] of trimmed text, by the rules of the module docs: code
/// spans as CommonMark reads them are kept, backticks that open none become
/// `'`; links to web pages (their labels may hold code spans) stay links;
/// the prose around is escaped.
fn escape_general(text: &str, out: &mut String) {
    let spans = code_spans(text);
    let mut at = 0;
    while let Some(link) = find_link(text, at, &spans) {
        escape_pieces(text, at..link.open, &spans, out);
        out.push('[');
        escape_pieces(text, link.label, &spans, out);
        out.push_str("](");
        out.push_str(&text[link.url.clone()]);
        out.push(')');
        at = link.url.end + 1;
    }
    escape_pieces(text, at..text.len(), &spans, out);
}

/// The code spans of `text` as CommonMark reads them, in order: a run of
/// backticks opens a span that the next run of the same length closes; a
/// run that no run closes is no span. Byte ranges, delimiters included.
fn code_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while let Some(j) = memchr::memchr(b'`', &bytes[i..]).map(|j| i + j) {
        let len = bytes[j..].iter().take_while(|&&b| b == b'`').count();
        runs.push((j, len));
        i = j + len;
    }
    let mut spans = Vec::new();
    let mut r = 0;
    while r < runs.len() {
        let (start, len) = runs[r];
        match runs[r + 1..].iter().position(|&(_, l)| l == len) {
            Some(k) => {
                let (end, _) = runs[r + 1 + k];
                spans.push(start..end + len);
                r += k + 2;
            }
            None => r += 1,
        }
    }
    spans
}

/// The part `range` of `text` (no span crosses its ends): code spans copied
/// (on one line), the prose between escaped, backticks in it made `'`.
fn escape_pieces(
    text: &str,
    range: std::ops::Range<usize>,
    spans: &[std::ops::Range<usize>],
    out: &mut String,
) {
    let mut at = range.start;
    let first = spans.partition_point(|s| s.start < range.start);
    for span in spans[first..].iter().take_while(|s| s.end <= range.end) {
        escape_prose(&text[at..span.start], out);
        out.push_str(&one_line(&text[span.clone()]));
        at = span.end;
    }
    escape_prose(&text[at..range.end], out);
}

/// A Markdown link to a web page found by [`find_link`]: where its `[` is,
/// its label's range and its URL's.
struct Link {
    open: usize,
    label: std::ops::Range<usize>,
    url: std::ops::Range<usize>,
}

/// The first `[label](http...)` of `text` from `from` on whose brackets lie
/// outside code spans (`spans`): the label, not empty, holds no bracket but
/// in its code spans; the URL is one [`url_of`] reads whole.
fn find_link(text: &str, from: usize, spans: &[std::ops::Range<usize>]) -> Option<Link> {
    // The spans are in order and apart: the one that could hold `i` is
    // found by a binary search (a scan per bracket was quadratic).
    let in_span = |i: usize| {
        let k = spans.partition_point(|s| s.end <= i);
        spans.get(k).is_some_and(|s| s.start <= i)
    };
    let bytes = text.as_bytes();
    let mut open_from = from;
    while let Some(open) = text[open_from..].find('[').map(|i| open_from + i) {
        open_from = open + 1;
        if in_span(open) {
            continue;
        }
        // The first bracket after it outside code spans.
        let close =
            (open + 1..bytes.len()).find(|&i| matches!(bytes[i], b'[' | b']') && !in_span(i))?;
        if bytes[close] != b']' {
            continue;
        }
        let after = &text[close + 1..];
        if !after.starts_with("(http") {
            continue;
        }
        let url_len = after[1..].find([')', ' ', '<', '>', '"', '`', '[', ']']);
        let Some(n) = url_len.filter(|n| after[1 + n..].starts_with(')')) else {
            continue;
        };
        let url = &after[1..1 + n];
        let label = &text[open + 1..close];
        // A URL Markdown would end elsewhere (at a `(` it balances) is no
        // link to keep: it goes the way of other text, wrapped.
        if url_of(url) == Some(url.len()) && !url.contains('(') && !label.trim().is_empty() {
            let lead = label.len() - label.trim_start().len();
            let start = open + 1 + lead;
            return Some(Link {
                open,
                label: start..start + label.trim().len(),
                url: close + 2..close + 2 + n,
            });
        }
    }
    None
}

/// `text` with every character that may end a line (see [`breaks_line`])
/// made a space, and nothing else changed: for names and ids (not page
/// prose, which goes through [`escape`]) written into a comment line, so
/// that no text can end the comment and put code after it.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if has_line_break(text) {
        text.chars()
            .map(|c| if breaks_line(c) { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Whether `text` holds a character [`breaks_line`] is true of, by its
/// UTF-8 bytes: an ASCII control character, U+0080..=U+009F (`C2 80..9F`)
/// or U+2028/U+2029 (`E2 80 A8/A9`). Every doc line of a resource file is
/// looked at: a scan without branches first (it vectorizes), the exact one
/// only when it finds a candidate byte (`’` and `—` start with `E2` too).
fn has_line_break(text: &str) -> bool {
    let b = text.as_bytes();
    let candidate = b.iter().fold(false, |any, &c| {
        any | (c < 0x20) | (c == 0x7F) | (c == 0xC2) | (c == 0xE2)
    });
    candidate
        && b.iter().enumerate().any(|(i, &c)| match c {
            0..0x20 | 0x7F => true,
            0xC2 => matches!(b.get(i + 1), Some(0x80..=0x9F)),
            0xE2 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)),
            _ => false,
        })
}

/// Whether `c` may end a line for rustc or for a reader's editor: control
/// characters (`\n`, `\r`, NUL, ...), U+0085 and the Unicode line and
/// paragraph separators U+2028/U+2029.
fn breaks_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Prose between code spans (and links): escaped word by word; a backtick
/// here opens no span, and becomes `'`.
fn escape_prose(text: &str, out: &mut String) {
    if text.contains('`') {
        escape_words(&text.replace('`', "'"), out);
    } else {
        escape_words(text, out);
    }
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
    // Up to what Markdown or a comment would not keep in a URL: markup,
    // a backslash, white space and control characters (a line break would
    // end the comment).
    let end = word
        .find(|c: char| {
            matches!(c, '<' | '>' | '"' | '`' | '[' | ']' | '\\')
                || c.is_whitespace()
                || breaks_line(c)
        })
        .unwrap_or(word.len());
    let url = word[..end].trim_end_matches(['.', ',', ';', ':', ')', '(', '\'', '!', '?']);
    (url.len() > "https://".len()).then_some(url.len())
}

/// `word` with what rustdoc would read as markup escaped (see
/// [`escaped`]), the text between copied as it is. A `_` depends on its
/// neighbours: one that could open or close emphasis (not between two
/// letters or digits, as in `snake_case`) is escaped.
fn escape_word(word: &str, out: &mut String) {
    let mut from = 0;
    let mut chars = word.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        let e = match c {
            '_' if !(prev.is_some_and(char::is_alphanumeric)
                && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric())) =>
            {
                Some("\\_")
            }
            c => escaped(c),
        };
        if let Some(e) = e {
            out.push_str(&word[from..i]);
            out.push_str(e);
            from = i + c.len_utf8();
        }
        prev = Some(c);
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
        '~' => "\\~",
        c if breaks_line(c) => " ",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text of up to `n` of `pieces`, joined in order (the empty one
    /// too).
    fn joined(pieces: &[&str], n: usize) -> Vec<String> {
        let mut texts = vec![String::new()];
        for _ in 0..n {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
        }
        texts
    }

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
    fn long_texts_escaped_again_come_out_the_same() {
        let texts = [
            "  A long description of a field, long enough to be remembered by the memo.  ",
            "A long description with [brackets], <tags> & a link https://example.com/x.",
            "A long description with `code <b>` and an unbalanced ` tick, remembered too.",
        ];
        for t in texts {
            let mut direct = String::new();
            if is_plain(t.trim()) {
                direct.push_str(t.trim());
            } else {
                escape_general(t.trim(), &mut direct);
            }
            // Once computed, once remembered; appended after other text.
            for _ in 0..2 {
                assert_eq!(escape(t), direct);
                let mut out = String::from("x ");
                escape_into(t, &mut out);
                assert_eq!(out, format!("x {direct}"));
            }
        }
    }

    #[test]
    fn the_byte_table_follows_the_escaping_rule() {
        for b in 0..=u8::MAX {
            let c = char::from(b);
            let want = if b == b'`' {
                Byte::Tick
            } else if b == b'_' {
                Byte::Under
            } else if !b.is_ascii() || !matches!(b, b' '..=b'~') {
                Byte::Other
            } else if escaped(c).is_some() {
                Byte::Markup
            } else if b == b' ' {
                Byte::Space
            } else if b == b'h' {
                Byte::H
            } else {
                Byte::Prose
            };
            assert_eq!(BYTE[usize::from(b)], want, "{b:#04x}");
        }
    }

    #[test]
    fn plain_text_is_escaped_as_itself() {
        let plain = [
            "The Amazon Resource Name (ARN) of the resource, e.g. arn:aws:x:y:z/a_b.",
            "Key-value pairs: {\"a\": 1}; 'quoted' !@$%^()+-=|:;?,./",
            "x",
            "",
            "Sets `name` (`Wire`) to `Some(value)`.",
            "`with_*` and `[a] <b> & #c` then ` x ` done",
            "snake_case and `_lead` and `a_` x_1",
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
            "a `b` c*d",
            "odd ` tick",
            "`a  b` c",
            "`a\nb`",
            "a#b",
            "x\u{7f}",
            "`` a ``",
            "_lead",
            "trail_",
            "a _b",
            "__init__",
            "`a`_b",
        ] {
            assert!(!is_plain(text), "{text:?}");
        }
    }

    #[test]
    fn the_one_pass_plain_test_is_the_rule_as_written() {
        // The rule of `is_plain`'s docs, as separate checks.
        fn rule(text: &str) -> bool {
            let b = text.as_bytes();
            let mut code = false;
            let snake = |i: usize| {
                i > 0
                    && b[i - 1].is_ascii_alphanumeric()
                    && i + 1 < b.len()
                    && b[i + 1].is_ascii_alphanumeric()
            };
            b.iter().enumerate().all(|(i, &c)| match c {
                b'`' => {
                    code = !code;
                    true
                }
                b'_' => code || snake(i),
                b' '..=b'~' => code || escaped(char::from(c)).is_none(),
                _ => false,
            }) && !code
                && !text.contains("  ")
                && !text.contains("``")
                && !text.contains("http")
        }
        const PIECES: [&str; 10] = ["`", "h", "ttp", " ", "a", "[", "t", "\t", "é", "_"];
        let texts = joined(&PIECES, 5);
        for text in &texts {
            assert_eq!(is_plain(text), rule(text), "{text:?}");
        }
    }

    #[test]
    fn plain_code_keeps_a_plain_line_plain() {
        // Names of up to four pieces, in a setter doc's code spans.
        const PIECES: [&str; 8] = ["a", " ", "h", "ttp", "`", "[", "\u{7f}", "é"];
        let names = joined(&PIECES, 4);
        let mut plain = 0;
        for name in &names {
            let rule = !name.is_empty()
                && name.bytes().all(|b| matches!(b, b' '..=b'~') && b != b'`')
                && !name.contains("  ")
                && !name.contains("http");
            assert_eq!(is_plain_code(name), rule, "{name:?}");
            if is_plain_code(name) {
                plain += 1;
                let line = format!("Sets `x` (`{name}`) to `Some(value)`.");
                assert!(is_plain(&line), "{line:?}");
            }
        }
        assert!(plain > 100, "{plain}");
    }

    #[test]
    fn texts_with_code_spans_taken_as_plain_are_escaped_as_themselves() {
        // Every text of up to five pieces of these: code spans, markup in
        // and out of them, spaces, URLs.
        const PIECES: [&str; 10] = ["`", "a", " ", "*", "[", "]", "(", "http://x.io", "&", "."];
        let texts = joined(&PIECES, 5);
        let mut plain = 0;
        for text in &texts {
            let text = text.trim();
            if is_plain(text) {
                plain += 1;
                let mut general = String::new();
                escape_general(text, &mut general);
                assert_eq!(general, text);
            }
        }
        assert!(plain > 1000, "{plain}");
    }

    #[test]
    fn escape_word_copies_runs_as_escaping_each_character_would() {
        // Each character with its neighbours, as the escaping rule reads.
        let per_char = |word: &str| -> String {
            let chars: Vec<char> = word.chars().collect();
            let mut out = String::new();
            let mut i = 0;
            while i < chars.len() {
                let c = chars[i];
                let next = chars.get(i + 1).copied();
                let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                let prev = i.checked_sub(1).map(|p| chars[p]);
                if c == '_' {
                    out.push_str(if alnum(prev) && alnum(next) {
                        "_"
                    } else {
                        "\\_"
                    });
                } else {
                    out.push_str(&escaped(c).map_or_else(|| c.to_string(), str::to_string));
                }
                i += 1;
            }
            out
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
        // The byte scan finds every character that breaks a line, and no
        // other: each character up to U+3000, between words, as the char
        // test does.
        for c in (0..0x3000).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            let want: String = text
                .chars()
                .map(|c| if breaks_line(c) { ' ' } else { c })
                .collect();
            assert_eq!(one_line(&text), want, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn markdown_links_stay_links_and_inner_urls_are_wrapped() {
        assert_eq!(
            escape("see [Name Type](https://docs.aws/x_y.html). If [a] b"),
            "see [Name Type](https://docs.aws/x_y.html). If \\[a\\] b"
        );
        // A label may hold code spans; a bracket in a code span is code.
        assert_eq!(
            escape("the [`Issue`](https://x.io/a) action"),
            "the [`Issue`](https://x.io/a) action"
        );
        assert_eq!(
            escape("[a `]` b](https://x.io/a) `[c](https://x.io/c)`"),
            "[a `]` b](https://x.io/a) `[c](https://x.io/c)`"
        );
        assert_eq!(escape("(see:https://x.io/a)."), "(see:<https://x.io/a>).");
        assert_eq!(
            escape("[Output Only] [x](not-a-url) [](https://x.io)"),
            "\\[Output Only\\] \\[x\\](not-a-url) \\[\\](<https://x.io>)"
        );
    }

    #[test]
    fn underscores_that_could_be_emphasis_are_escaped() {
        assert_eq!(
            escape(r#"name + "_" + value, allow "_" later"#),
            r#"name + "\_" + value, allow "\_" later"#
        );
        assert_eq!(escape("snake_case x_1 é_ü"), "snake_case x_1 é_ü");
        assert_eq!(
            escape("_not_ __init__ a_ `_code_`"),
            "\\_not\\_ \\_\\_init\\_\\_ a\\_ `_code_`"
        );
    }

    #[test]
    fn backslashes_are_shown_as_written() {
        // A regular expression's `\.` keeps its backslash; so does a
        // Markdown escape on the page (shown, not applied).
        assert_eq!(
            escape(r"pattern: [0-9]{1,3}(?:\.[0-9]){3} ISSUE\_TEMPLATE"),
            r"pattern: \[0-9\]{1,3}(?:\\.\[0-9\]){3} ISSUE\\\_TEMPLATE"
        );
        // Before a backtick: the backtick stays a code span's.
        assert_eq!(escape(r"a\`b` c"), r"a\\`b` c");
    }

    #[test]
    fn code_spans_are_found_as_commonmark_finds_them() {
        // A span of two backticks holding one, and one holding `x&y`.
        assert_eq!(
            escape("quoted using `` ` `` (backtick), path `` foo.`x&y` `` [a]"),
            "quoted using `` ` `` (backtick), path `` foo.`x&y` `` \\[a\\]"
        );
        // A run no run of its length closes is no span; the rest still is.
        assert_eq!(escape("`` a `b` <c>"), "'' a `b` &lt;c&gt;");
        assert_eq!(escape("``a``b`"), "``a``b'");
    }

    #[test]
    fn no_link_or_url_carries_a_line_break_or_markup_rustdoc_would_misread() {
        for (text, want) in [
            // A line break inside a link's URL: not a link, and one line.
            (
                "see [a](https://x.io/\nconst/**/X:u8=0;//x) end",
                "see \\[a\\](<https://x.io/> const/\\*\\*/X:u8=0;//x) end",
            ),
            ("see https://x.io/a\0b", "see <https://x.io/a> b"),
            ("see https://x.io/a\u{2028}b", "see <https://x.io/a> b"),
            // A backslash or a `(` the URL would balance: not kept as a link.
            (
                "see [docs](https://x.io/a\\) now",
                "see \\[docs\\](<https://x.io/a>\\\\) now",
            ),
            (
                "see [docs](https://x.io/a(b) now",
                "see \\[docs\\](<https://x.io/a(b>) now",
            ),
            // `~~~` would open a code block, `~~x~~` strike text through.
            ("~~~ not code", "\\~\\~\\~ not code"),
            ("~~gone~~", "\\~\\~gone\\~\\~"),
        ] {
            let e = escape(text);
            assert_eq!(e, want, "{text:?}");
            assert!(!e.chars().any(breaks_line), "{e:?}");
        }
    }
}
