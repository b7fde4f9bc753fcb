//! Facts read from the SQL examples (the first keyword, INSERT columns,
//! predicate values, WHERE, SELECT and SET columns, the FROM table), from
//! the examples' tokens: comments such as `/*+ create */`, quoted strings
//! holding `|` or `<`, and StackQL template values never confuse them.
//!
//! The tokens are those of sqlparser's tokenizer (generic dialect), with the
//! kinds no fact reads folded into [`Token::Other`]. [`tokens`] reads a
//! statement with a small scanner when the statement holds only what the
//! scanner models: unquoted words of ASCII letters, digits and `_`, quoted
//! identifiers, `'strings'`, `--` and (nested) `/* */` comments, integers
//! and the common punctuation. That is nearly every example; any other
//! statement (a non-ASCII word, `$$` or `E'..'` literals, a `/*!` hint, an
//! unterminated string, ...) is handed to sqlparser's tokenizer, so errors
//! and rare constructs are read exactly as sqlparser reads them. The test
//! `the_scanner_reads_what_sqlparser_reads` compares the two over every
//! example of the corpus and over hostile statements.

use sqlparser::dialect::GenericDialect;
use sqlparser::tokenizer::Tokenizer;
use std::borrow::Cow;

/// A token of a statement as the facts read it: a sqlparser token, with the
/// kinds no fact tells apart folded into [`Token::Other`]. Words and
/// strings borrow from the statement where they can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'s> {
    /// A keyword or identifier, without its quotes (`"a ""b"""` is `a "b"`).
    Word(Cow<'s, str>),
    /// The value of a single-quoted string (`'it''s'` is `it's`).
    Str(Cow<'s, str>),
    /// `=`
    Eq,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `,`
    Comma,
    /// `+`
    Plus,
    /// `.`
    Period,
    /// `-` (not starting a comment)
    Minus,
    /// Any other token: a number, an operator, another kind of literal.
    Other,
}

/// The example's tokens without white space and comments, or the tokenizer's
/// error (see the module docs for how the statement is read).
pub fn tokens(sql: &str) -> Result<Vec<Token<'_>>, String> {
    scan(sql).or_else(|Unmodeled| sqlparser_tokens(sql))
}

/// The statement's tokens through sqlparser's tokenizer.
fn sqlparser_tokens(sql: &str) -> Result<Vec<Token<'static>>, String> {
    use sqlparser::tokenizer::Token as T;
    let toks = Tokenizer::new(&GenericDialect {}, sql)
        .tokenize()
        .map_err(|e| e.to_string())?;
    Ok(toks
        .into_iter()
        .filter_map(|t| {
            Some(match t {
                T::Whitespace(_) => return None,
                T::Word(w) => Token::Word(Cow::Owned(w.value)),
                // `$expand` (an OData query param) names a column as a word does.
                T::Placeholder(p)
                    if p.len() > 1 && p[1..].chars().all(|c| c.is_ascii_alphabetic()) =>
                {
                    Token::Word(Cow::Owned(p))
                }
                T::SingleQuotedString(s) => Token::Str(Cow::Owned(s)),
                T::Eq => Token::Eq,
                T::LParen => Token::LParen,
                T::RParen => Token::RParen,
                T::Comma => Token::Comma,
                T::Plus => Token::Plus,
                T::Period => Token::Period,
                T::Minus => Token::Minus,
                _ => Token::Other,
            })
        })
        .collect())
}

/// The scanner met something it does not model: sqlparser reads the
/// statement instead.
struct Unmodeled;

/// The statement's tokens as sqlparser's tokenizer (generic dialect) gives
/// them, for a statement of the constructs the module docs list; for any
/// other, [`Unmodeled`]. Each arm below is the tokenizer's rule for its
/// first byte, restricted to the cases the arm takes on.
fn scan(sql: &str) -> Result<Vec<Token<'_>>, Unmodeled> {
    let b = sql.as_bytes();
    // About one token per 8 bytes in the corpus' examples: room for most.
    let mut out = Vec::with_capacity(b.len() / 6);
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let next = b.get(i + 1).copied();
        let (token, len) = match c {
            b' ' | b'\t' | b'\n' | b'\r' => (None, run(&b[i..], is_space)),
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let len = run(&b[i..], |c| c.is_ascii_alphanumeric() || c == b'_');
                let word = &sql[i..i + len];
                // Words go on with `$`, `@`, `#` and non-ASCII letters; a
                // word before a quote or `&` may be a literal's prefix
                // (`E'..'`, `N'..'`, `U&'..'`); `COPY .. FROM STDIN` reads
                // raw data after its `;`.
                let after = b.get(i + len).copied();
                if matches!(
                    after,
                    Some(b'$' | b'@' | b'#' | b'\'' | b'"' | b'&' | 0x80..)
                ) || word.eq_ignore_ascii_case("copy")
                {
                    return Err(Unmodeled);
                }
                (Some(Token::Word(Cow::Borrowed(word))), len)
            }
            b'0'..=b'9' => {
                let len = run(&b[i..], |c| c.is_ascii_digit());
                // An integer: not `1.5`, `1e3`, `0x1F`, `1L`.
                if b.get(i + len)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'))
                {
                    return Err(Unmodeled);
                }
                (Some(Token::Other), len)
            }
            b'\'' => {
                let (value, len) = quoted(sql, i)?;
                (Some(Token::Str(value)), len)
            }
            b'"' | b'`' => {
                let (value, len) = quoted(sql, i)?;
                (Some(Token::Word(value)), len)
            }
            b'-' if next == Some(b'-') => (None, run(&b[i..], |c| c != b'\n')),
            b'-' if next != Some(b'>') => (Some(Token::Minus), 1),
            b'/' if next == Some(b'*') => (None, block_comment(&b[i..])?),
            b'/' if next == Some(b'/') => (Some(Token::Other), 2),
            b'/' => (Some(Token::Other), 1),
            // `.5` is a number, `._` depends on the token before.
            b'.' if next.is_some_and(|c| c.is_ascii_digit() || c == b'_') => return Err(Unmodeled),
            b'.' => (Some(Token::Period), 1),
            b'=' if matches!(next, Some(b'=' | b'>')) => (Some(Token::Other), 2),
            b'=' => (Some(Token::Eq), 1),
            b'(' => (Some(Token::LParen), 1),
            b')' => (Some(Token::RParen), 1),
            b',' => (Some(Token::Comma), 1),
            b'+' => (Some(Token::Plus), 1),
            b':' if matches!(next, Some(b':' | b'=')) => (Some(Token::Other), 2),
            b'*' | b';' | b':' | b'{' | b'}' | b'[' | b']' | b'\\' => (Some(Token::Other), 1),
            b'<' if !matches!(next, Some(b'=' | b'>' | b'<' | b'@')) => (Some(Token::Other), 1),
            b'>' if !matches!(next, Some(b'=' | b'>')) => (Some(Token::Other), 1),
            b'|' if !matches!(next, Some(b'/' | b'|' | b'>')) => (Some(Token::Other), 1),
            _ => return Err(Unmodeled),
        };
        out.extend(token);
        i += len;
    }
    Ok(out)
}

/// Whether `c` is white space the scanner models.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// The length of the run of bytes at the start of `b` that `f` accepts.
fn run(b: &[u8], f: impl Fn(u8) -> bool) -> usize {
    b.iter().position(|&c| !f(c)).unwrap_or(b.len())
}

/// The value and length of the quoted string or identifier at `sql[at..]`,
/// its quote doubled inside standing for itself.
fn quoted(sql: &str, at: usize) -> Result<(Cow<'_, str>, usize), Unmodeled> {
    let q = sql.as_bytes()[at];
    let body = &sql[at + 1..];
    let mut value = Cow::Borrowed("");
    let mut from = 0;
    loop {
        // Unterminated: sqlparser gives the error.
        let end = from + body[from..].find(q as char).ok_or(Unmodeled)?;
        if body.as_bytes().get(end + 1) != Some(&q) {
            let last = &body[from..end];
            if from == 0 {
                value = Cow::Borrowed(last);
            } else {
                value.to_mut().push_str(last);
            }
            return Ok((value, end + 2));
        }
        // Through the first quote of the pair.
        value.to_mut().push_str(&body[from..=end]);
        from = end + 2;
    }
}

/// The length of the `/* */` comment at the start of `b`, comments nested in
/// it included. A comment starting `/*!` is a hint whose text sqlparser
/// reads as tokens, and an unterminated one an error: both are unmodeled.
fn block_comment(b: &[u8]) -> Result<usize, Unmodeled> {
    if b.get(2) == Some(&b'!') {
        return Err(Unmodeled);
    }
    let (mut depth, mut i) = (1usize, 2);
    while let Some(pair) = b.get(i..i + 2) {
        match pair {
            b"/*" => (depth, i) = (depth + 1, i + 2),
            b"*/" if depth == 1 => return Ok(i + 2),
            b"*/" => (depth, i) = (depth - 1, i + 2),
            _ => i += 1,
        }
    }
    Err(Unmodeled)
}

fn word<'t>(t: &'t Token) -> Option<&'t str> {
    match t {
        Token::Word(w) => Some(w),
        _ => None,
    }
}

fn is_word(t: &Token, w: &str) -> bool {
    word(t).is_some_and(|v| v.eq_ignore_ascii_case(w))
}

/// The first keyword of the statement (`SELECT`, `INSERT`, ...), upper-cased.
pub fn first_keyword(toks: &[Token]) -> Option<String> {
    toks.iter().find_map(word).map(str::to_ascii_uppercase)
}

/// The column list of `INSERT INTO table (a, b, c) ...`.
pub fn insert_columns(toks: &[Token]) -> Option<Vec<String>> {
    let into = toks.iter().position(|t| is_word(t, "into"))?;
    let open = into + toks[into..].iter().position(|t| *t == Token::LParen)?;
    let close = open + toks[open..].iter().position(|t| *t == Token::RParen)?;
    // `+datasetId` (a Google path param), `header.bypassBillingFilter` and
    // `If-Match` (header params) are one column each.
    toks[open + 1..close]
        .split(|t| *t == Token::Comma)
        .filter(|item| !item.is_empty())
        .map(joined)
        .collect()
}

/// The name `toks` write, words joined by `+`, `.` and `-` as written;
/// `None` if another token is among them.
fn joined(toks: &[Token]) -> Option<String> {
    let mut name = String::new();
    for t in toks {
        match t {
            Token::Plus => name.push('+'),
            Token::Period => name.push('.'),
            Token::Minus => name.push('-'),
            t => name.push_str(word(t)?),
        }
    }
    Some(name)
}

/// The values compared to `column` in `column = '...'` predicates, in order.
pub fn predicate_values(toks: &[Token], column: &str) -> Vec<String> {
    toks.windows(3)
        .filter_map(|w| match (&w[0], &w[1], &w[2]) {
            (c, Token::Eq, Token::Str(v)) if is_word(c, column) => Some(v.to_string()),
            _ => None,
        })
        .collect()
}

/// The name whose last word is `toks[last]`, as written: words joined by
/// `.` or `-`, after a `+` that starts an item. Docs name columns and params
/// so: OData's `@odata.type`, a field `api_key.created`, a header
/// `If-Match`, a path param `attributeSet-id`, Google's `+datasetId`.
fn name_ending_at(toks: &[Token], last: usize) -> Option<String> {
    word(toks.get(last)?)?;
    let mut first = last;
    while first >= 2
        && matches!(toks[first - 1], Token::Period | Token::Minus)
        && word(&toks[first - 2]).is_some()
    {
        first -= 2;
    }
    // `WHERE +datasetId = ...`: a `+` where an item starts is the name's.
    let item_start = |t: &Token| {
        matches!(t, Token::Comma | Token::LParen)
            || ["where", "and", "or", "set", "select"]
                .iter()
                .any(|k| is_word(t, k))
    };
    if first >= 1 && toks[first - 1] == Token::Plus && (first == 1 || item_start(&toks[first - 2]))
    {
        first -= 1;
    }
    joined(&toks[first..=last])
}

/// The last word of a name `name_ending_at` reads: what SQL takes `a.b`
/// (a qualified column) and `a-b` (a difference) to name.
pub fn last_word(name: &str) -> &str {
    let last = name.rsplit(['.', '-']).next().unwrap_or(name);
    last.strip_prefix('+').unwrap_or(last)
}

/// The names assigned or compared by `name = ...` in `toks`, in order,
/// each with the index of its `=`.
fn assignments(toks: &[Token]) -> Vec<(usize, String)> {
    toks.iter()
        .enumerate()
        .skip(1)
        .filter(|(_, t)| **t == Token::Eq)
        .filter_map(|(i, _)| Some((i, name_ending_at(toks, i - 1)?)))
        .collect()
}

/// The names of [`assignments`].
fn assigned(toks: &[Token]) -> Vec<String> {
    assignments(toks).into_iter().map(|(_, n)| n).collect()
}

/// Columns compared with `=` after `WHERE`, in order, without repeats.
pub fn where_columns(toks: &[Token]) -> Vec<String> {
    let Some(start) = toks.iter().position(|t| is_word(t, "where")) else {
        return Vec::new();
    };
    // A set beside the list: a page may hold thousands of conditions.
    let mut seen = std::collections::HashSet::new();
    assigned(&toks[start..])
        .into_iter()
        .filter(|c| seen.insert(c.clone()))
        .collect()
}

/// The names of the columns of `SELECT a, b, c FROM ...`: each item's last
/// name as written (`x AS y` is `y`, `t.a` is `t.a`, `@odata.type` is
/// `@odata.type`; [`last_word`] gives what SQL would take it for).
pub fn select_columns(toks: &[Token]) -> Vec<String> {
    select_items(toks, name_ending_at)
}

/// The names a SELECT's output columns take: each item's last word, as SQL
/// names `t.a` `a` and `JSON_EXTRACT(...) as "b"` `b`, and a quoted
/// `"x-ms-client-tenant-id"` as it is (where [`select_columns`] followed
/// by [`last_word`] would give `id`).
pub fn select_output_names(toks: &[Token]) -> Vec<String> {
    select_items(toks, |toks, last| word(&toks[last]).map(str::to_string))
}

/// Each SELECT item's name, `name` reading it from the item's last word
/// outside parentheses (at that index).
fn select_items(toks: &[Token], name: impl Fn(&[Token], usize) -> Option<String>) -> Vec<String> {
    let Some(start) = toks.iter().position(|t| is_word(t, "select")) else {
        return Vec::new();
    };
    let mut cols = Vec::new();
    // The index of the item's last word.
    let mut last: Option<usize> = None;
    // Words inside parentheses (`JSON_EXTRACT(properties, '$.a') as a`)
    // name no column: the item's last word outside them does.
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().skip(start + 1) {
        match t {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            Token::Comma => cols.extend(last.take().and_then(|l| name(toks, l))),
            t if is_word(t, "from") => {
                cols.extend(last.take().and_then(|l| name(toks, l)));
                return cols;
            }
            Token::Word(_) => last = Some(i),
            _ => {}
        }
    }
    Vec::new()
}

/// The table named after `FROM` (`provider.service.resource`, its parts
/// joined by `.`), if the statement has one.
pub fn from_table(toks: &[Token]) -> Option<String> {
    let from = toks.iter().position(|t| is_word(t, "from"))?;
    let mut name = String::new();
    for t in &toks[from + 1..] {
        match t {
            Token::Period => name.push('.'),
            Token::Word(w) if name.is_empty() || name.ends_with('.') => name.push_str(w),
            _ => break,
        }
    }
    (!name.is_empty()).then_some(name)
}

/// Columns assigned after `SET` (UPDATE/REPLACE), in order.
pub fn set_columns(toks: &[Token]) -> Vec<String> {
    let Some(start) = toks.iter().position(|t| is_word(t, "set")) else {
        return Vec::new();
    };
    let end = toks
        .iter()
        .position(|t| is_word(t, "where"))
        .unwrap_or(toks.len())
        .max(start);
    assigned(&toks[start..end])
}

/// The names an EXEC example sends as `@name = ...` params (without the
/// `@`) and the value of its `@@json = '...'` body, from its tokens; none
/// where it does not tokenize.
fn exec_args(code: &str) -> (Vec<String>, Option<String>) {
    let Ok(toks) = tokens(code) else {
        return (Vec::new(), None);
    };
    let (mut names, mut json) = (Vec::new(), None);
    for (eq, name) in assignments(&toks) {
        if name.eq_ignore_ascii_case("@@json") {
            if let Some(Token::Str(body)) = toks.get(eq + 1) {
                json = Some(body.to_string());
            }
        } else if let Some(param) = name.strip_prefix('@') {
            names.push(param.to_string());
        }
    }
    (names, json)
}

/// What an example marks required with a comment on the line
/// (`--required`, `/* required */`; StackQL's newer docs, where Snowflake's
/// Methods tables leave required body properties out): the columns of
/// `name = ...` lines (`AND data__name = '{{ name }}' --required`), and the
/// placeholders of value lines (`'{{ name }}' --required,` in an INSERT's
/// `SELECT`), each in order.
pub fn marked_required(code: &str) -> Marked {
    let mut marked = Marked::default();
    for line in code.lines() {
        let Some(at) = marker_at(line) else {
            continue;
        };
        let before = &line[..at];
        match last_outside_strings(before, '=') {
            // `a = ...`, not `a >= ...`, `a != ...`, `a <= ...`.
            Some(eq) if !before[..eq].ends_with(['!', '<', '>']) => {
                let lhs = before[..eq].trim_end();
                let name = lhs
                    .rsplit(char::is_whitespace)
                    .next()
                    .unwrap_or("")
                    .trim_matches(|c| c == '"' || c == '`' || c == '(');
                if !name.is_empty() {
                    marked.columns.push(name.to_string());
                }
            }
            Some(_) => {}
            None => {
                if let Some((_, rest)) = before.rsplit_once("{{") {
                    if let Some((name, _)) = rest.split_once("}}") {
                        marked.values.push(name.trim().to_string());
                    }
                }
            }
        }
    }
    marked
}

/// Where a `--required` or `/* required */` comment starts on `line`
/// (`-- required` too), outside single-quoted strings; any other comment
/// ends what the line says.
fn marker_at(line: &str) -> Option<usize> {
    let mut in_str = false;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'\'' => in_str = !in_str,
            b'-' | b'/' if !in_str => {
                let rest = &line[i..];
                let Some(body) = rest.strip_prefix("--").or_else(|| rest.strip_prefix("/*")) else {
                    continue;
                };
                let after = body.trim_start().strip_prefix("required")?;
                let whole_word = after
                    .chars()
                    .next()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
                return whole_word.then_some(i);
            }
            _ => {}
        }
    }
    None
}

/// The byte index of the last `ch` in `text` outside single-quoted strings.
fn last_outside_strings(text: &str, ch: char) -> Option<usize> {
    let mut in_str = false;
    let mut last = None;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => in_str = !in_str,
            c if c == ch && !in_str => last = Some(i),
            _ => {}
        }
    }
    last
}

/// See [`marked_required`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Marked {
    /// Columns of `name = ...` lines, as written.
    pub columns: Vec<String>,
    /// Placeholders (`{{ name }}`) of value lines.
    pub values: Vec<String>,
}

/// The params an EXEC example (`EXEC p.s.r.m @a = '..', @@json = '{"b": ..}'`)
/// sends in its JSON body and not as `@` params: the top-level keys of
/// its `@@json` object, in order. Template values (`{{ b }}`) may stand
/// unquoted in the object.
pub fn exec_body_keys(code: &str) -> Vec<String> {
    let (names, Some(json)) = exec_args(code) else {
        return Vec::new();
    };
    let b = json.as_bytes();
    let (mut keys, mut depth, mut i) = (Vec::new(), 0usize, 0);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    while let Some(&c) = b.get(i) {
        match c {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let mut end = i + 1;
                while let Some(&c) = b.get(end) {
                    match c {
                        b'\\' => end += 2,
                        b'"' => break,
                        _ => end += 1,
                    }
                }
                let key = json.get(i + 1..end).unwrap_or("");
                let after = json.get(end + 1..).unwrap_or("").trim_start();
                if depth == 1 && after.starts_with(':') && !names.contains(&key) {
                    keys.push(key.to_string());
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `sql` read by [`tokens`] and by sqlparser alone: the same tokens, or
    /// the same error. Whether the scanner read it itself.
    fn agrees(sql: &str) -> bool {
        assert_eq!(tokens(sql), sqlparser_tokens(sql), "{sql:?}");
        scan(sql).is_ok()
    }

    #[test]
    fn the_scanner_reads_what_sqlparser_reads() {
        // Read by the scanner: each is one of the constructs it models.
        for sql in [
            "",
            "  \t\r\n",
            "SELECT a, b FROM x.y.z WHERE a = 'it''s' AND b = '';",
            "SELECT '''', 'a''''b', 'x'",
            "/*+ create */ INSERT INTO a.b.c (+datasetId, p) SELECT 1, 2;",
            "/* a /* nested */ comment */ SELECT 1 /**/ /*/ */ ;",
            "/* ** / * */x",
            "SELECT x -- a comment\n FROM t --",
            "SELECT \"a \"\"b\"\"\", `c``d`, \"\", `` FROM \"t\".`u`",
            "UPDATE a SET x = '{{ x }}', y = true|false WHERE id = '1';",
            "a==b a=>b a::b a:=b a:b a<b a>b a-b a/b a//b a*b {x} [y] \\ ;",
            "a<+b a-- c\nd",
            "SELECT 1,23 ,456)",
            "x.y .z. .",
            "'é ✓ \u{1F600}' \"日本\" /* ünï */ -- ç",
            "'{\"Tags\": [{\"Key\": \"a|b\"}]}'",
            "e.x r b n u x E N",
            "COPYRIGHT recopy",
        ] {
            assert!(agrees(sql), "the scanner reads {sql:?}");
        }
        // Handed to sqlparser: errors, literals with a prefix, unicode words,
        // hints, dollar quoting and operators the scanner does not model.
        for sql in [
            "SELECT 'unterminated",
            "SELECT \"unterminated",
            "SELECT `unterminated",
            "SELECT 1 /* unterminated /* nested */",
            "/*",
            "SELECT 1 /*! hint */",
            "/*!50110 KEY_BLOCK_SIZE = 1024*/",
            "SELECT E'a\\'b', N'x', X'1F', B'01', R'raw', U&'\\0041', b\"x\"",
            "SELECT $$a$$, $1, $tag$x$tag$",
            "SELECT café FROM t",
            "SELECT a$b, a@b, a#b, @x, #y, ?",
            "SELECT 1.5, .5, 1e3, 0x1F, 1L, 1abc, a._b, ._",
            "a->b a->>b a<=b a<>b a<=>b a<<b a<@b a>=b a>>b a||b a|/b a|>b",
            "a!=b a%b a&b a^b a~b",
            "COPY t FROM STDIN;\n1\t2\n\\.\nSELECT 1",
            "SELECT\u{a0}1",
            "SELECT\u{c}1",
            "x.y'z'",
        ] {
            assert!(!agrees(sql), "sqlparser reads {sql:?}");
        }
    }

    #[test]
    fn the_scanner_reads_every_short_statement_as_sqlparser_does() {
        // Every string of up to three characters over the characters that
        // start, end or join tokens: each boundary case of each arm.
        let alphabet: Vec<char> =
            "abenuxrqEXN_09'\"`.,()+-*/=<>|:;{}[]@#$&!%^~?\\ \n\t\ré\u{a0}\u{c}"
                .chars()
                .collect();
        // The strings of length `len` are the numbers below n^len in base n.
        let n = alphabet.len();
        let all: Vec<String> = (0..=3u32)
            .flat_map(|len| (0..n.pow(len)).map(move |k| (len, k)))
            .map(|(len, k)| (0..len).map(|d| alphabet[k / n.pow(d) % n]).collect())
            .collect();
        let scanned = all.iter().filter(|sql| agrees(sql)).count();
        assert!(
            scanned > all.len() / 3,
            "{scanned} of {} read by the scanner",
            all.len()
        );
    }

    #[test]
    fn the_scanner_reads_every_corpus_example_as_sqlparser_does() {
        // Every code block of every page: the SQL examples, and YAML, JSON
        // and shell as hostile input.
        let (mut blocks, mut scanned) = (0, 0);
        let read = crate::parse::blocks::corpus_code_blocks(|c| {
            blocks += 1;
            scanned += usize::from(agrees(&c.code));
        });
        if read.is_none() {
            return;
        }
        eprintln!("{scanned} of {blocks} code blocks read by the scanner");
        assert!(blocks > 20_000, "{blocks} code blocks");
    }

    #[test]
    fn insert_columns_skip_hint_comment() {
        let t =
            tokens("/*+ create */\nINSERT INTO a.b.c (\n X,\n region\n)\nSELECT '{{ X }}', 'r';")
                .unwrap();
        assert_eq!(insert_columns(&t).unwrap(), ["X", "region"]);
        assert_eq!(first_keyword(&t).as_deref(), Some("INSERT"));
        let t = tokens("INSERT INTO a.b.c (+datasetId, p) SELECT 1, 2;").unwrap();
        assert_eq!(insert_columns(&t).unwrap(), ["+datasetId", "p"]);
        let t = tokens("INSERT INTO a.b.c (a, $expand) SELECT 1, '{{ $expand }}';").unwrap();
        assert_eq!(insert_columns(&t).unwrap(), ["a", "$expand"]);
        let t =
            tokens("INSERT INTO a.b.c (data__id, header.bypassFilter, If-Match) SELECT 1, 2, 3;")
                .unwrap();
        assert_eq!(
            insert_columns(&t).unwrap(),
            ["data__id", "header.bypassFilter", "If-Match"]
        );
        let t = tokens("SELECT\nregion,\nx\nFROM a.b.c WHERE region = 'r';").unwrap();
        assert_eq!(select_columns(&t), ["region", "x"]);
        let calls =
            tokens("SELECT id as id, JSON_EXTRACT(p, '$.a') as \"a_b\", f(g(x), y) z, w FROM t;")
                .unwrap();
        assert_eq!(select_columns(&calls), ["id", "a_b", "z", "w"]);
        assert_eq!(from_table(&t).as_deref(), Some("a.b.c"));
        let t = tokens("SELECT x FROM\n`a`.b.vw_c\nWHERE y = 1;").unwrap();
        assert_eq!(from_table(&t).as_deref(), Some("a.b.vw_c"));
        assert_eq!(from_table(&tokens("SELECT 1;").unwrap()), None);
    }

    #[test]
    fn identifier_predicates_keep_pipes_in_strings() {
        let t =
            tokens("SELECT a FROM x WHERE region = 'us-east-1' AND data__Identifier = '<A>|<B>';")
                .unwrap();
        assert_eq!(predicate_values(&t, "data__identifier"), ["<A>|<B>"]);
        assert_eq!(where_columns(&t), ["region", "data__Identifier"]);
    }

    #[test]
    fn set_columns_tolerate_true_or_false() {
        let t = tokens("UPDATE a.b.c SET x = '{{ x }}', y = true|false WHERE id = '1';").unwrap();
        assert_eq!(set_columns(&t), ["x", "y"]);
    }

    #[test]
    fn names_joined_by_dots_hyphens_or_a_leading_plus_are_one_column() {
        let select = tokens(
            "SELECT id, @odata.type, api_key.created, t.a, x AS y, b - c FROM p.s.r WHERE attributeSet-id = '1' AND +datasetId = '2' AND @odata.type = '3';",
        )
        .unwrap();
        assert_eq!(
            select_columns(&select),
            ["id", "@odata.type", "api_key.created", "t.a", "y", "b-c"]
        );
        assert_eq!(
            where_columns(&select),
            ["attributeSet-id", "+datasetId", "@odata.type"]
        );
        let update = tokens(
            "UPDATE p.s.r SET @odata.type = '{{ @odata.type }}', If-Match = 'x', a = 1 + b WHERE id = '1';",
        )
        .unwrap();
        assert_eq!(set_columns(&update), ["@odata.type", "If-Match", "a"]);
        for (name, last) in [
            ("t.a", "a"),
            ("b-c", "c"),
            ("+datasetId", "datasetId"),
            ("x", "x"),
        ] {
            assert_eq!(last_word(name), last);
        }
    }

    #[test]
    fn required_markers_name_columns_and_placeholders() {
        let insert = "INSERT INTO p.s.r (\ndata__name,\ndata__size,\nendpoint\n)\nSELECT \n'{{ name }}' --required,\n{{ size }},\n'{{ endpoint }}' /* required */\n;";
        let m = marked_required(insert);
        assert!(m.columns.is_empty());
        assert_eq!(m.values, ["name", "endpoint"]);
        let replace = "REPLACE p.s.r\nSET \ndata__name = '{{ name }}',\ndata__size = {{ size }}\nWHERE \nname = '{{ name }}' --required\nAND endpoint = '{{ endpoint }}' --required\nAND data__name = '{{ name }}' --required;";
        let m = marked_required(replace);
        assert_eq!(m.columns, ["name", "endpoint", "data__name"]);
        assert!(m.values.is_empty());
        assert_eq!(
            marked_required("SELECT a FROM p.s.r WHERE x = '1' -- a note"),
            Marked::default()
        );
        // One line; a marker in a string, a longer word, other operators.
        let line = "UPDATE p.s.r SET data__a = '{{ a }}' WHERE data__b = '{{ b }}' -- required";
        assert_eq!(marked_required(line).columns, ["data__b"]);
        let m = marked_required(
            "SELECT\n'{{ note }} (use --required flags)',\n'{{ x }}' --required_by,\nWHERE n >= 1 --required\nAND \"c\" = 'x' /* required */",
        );
        assert_eq!(m.columns, ["c"]);
        assert!(m.values.is_empty());
    }

    #[test]
    fn a_views_output_names_are_its_items_last_words_a_quoted_name_whole() {
        let view = tokens(
            "SELECT t.id, JSON_EXTRACT(p, '$.a') as \"short_name\", +datasetId, \"x-ms-client-tenant-id\" FROM a.b.c WHERE \"x-ms-client-tenant-id\" = 'r';",
        )
        .unwrap();
        assert_eq!(
            select_output_names(&view),
            ["id", "short_name", "datasetId", "x-ms-client-tenant-id"]
        );
    }

    #[test]
    fn exec_body_keys_are_the_json_objects_top_level_keys_not_sent_as_params() {
        let code = "EXEC github.repos.repos.transfer \n@owner='{{ owner }}' --required, @@json = x\n@repo='{{ repo }}' --required \n@@json=\n'{\n\"new_owner\": \"{{ new_owner }}\", \n\"team_ids\": {{ team_ids }},\n\"spec\": {\"inner\": \"it''s\"}, \"repo\": \"r\", \"a\\\"b\": [{\"c\": 1}]\n}'\n;";
        assert_eq!(
            exec_body_keys(code),
            ["new_owner", "team_ids", "spec", "a\\\"b"]
        );
        assert!(exec_body_keys("EXEC a.b.c.d @x = '@@json';").is_empty());
        assert!(exec_body_keys("EXEC a.b.c.d @@json = '{\"unterminated").is_empty());
        assert!(exec_body_keys("EXEC a.b.c.d @@json = '[{\"k\": 1}]';").is_empty());
    }
}
