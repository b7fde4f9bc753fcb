//! A reader of the plain block YAML manifests are written in, which gives up
//! on anything else.
//!
//! Manifests are generated: block mappings and sequences indented with
//! spaces (sequences nested in sequences on one line, `- - name: x`), keys
//! that are words, and values that are words, single-quoted text without
//! quotes in it, `{}` or `[]`. yaml_rust2's scanner reads such text a
//! character at a time through a look-ahead buffer; this reads it a line at a
//! time. It returns the tree the loader builds, or `None` for any text
//! outside that subset (comments, tabs, other quoting, flow collections,
//! multi-line scalars, anchors, tags, documents markers, duplicate keys,
//! non-ASCII text, ...): those, and every invalid text, are read by the
//! loader.

use super::Node;
use yaml_rust2::Yaml;

/// The first (only) document of `yaml`, as the loader reads it, if `yaml`
/// is in the subset.
pub(super) fn document(yaml: &str) -> Option<Node> {
    // ASCII without control characters but newlines: no tabs, no `\r`, no
    // byte order mark or other characters the scanner treats specially.
    // (A fold without an early exit: the compiler vectorises it.)
    let printable = yaml.bytes().fold(true, |ok, b| {
        ok & ((b == b'\n') | (b.wrapping_sub(b' ') <= b'~' - b' '))
    });
    if !printable {
        return None;
    }
    let mut lines = Vec::new();
    for line in yaml.split('\n') {
        let Some(indent) = line.bytes().position(|b| b != b' ') else {
            continue; // blank
        };
        // Trailing spaces are not part of a plain scalar: not in the subset.
        if line.ends_with(' ') {
            return None;
        }
        lines.push((indent, line));
    }
    let &(indent, first) = lines.first()?;
    let mut reader = Reader {
        lines,
        at: 0,
        depth: 0,
    };
    let rest = &first[indent..];
    if !(rest.starts_with("- ") || key(rest).is_some()) {
        return None;
    }
    let root = reader.node(indent)?;
    (reader.at == reader.lines.len()).then_some(root)
}

/// Collections nested deeper than this are left to the loader.
const MAX_DEPTH: usize = 64;

/// Mappings with more keys than this are left to the loader (the subset's
/// duplicate check is a scan).
const MAX_KEYS: usize = 64;

/// Keys longer than this are left to the loader (whose scanner limits the
/// length of a key on one line).
const MAX_KEY: usize = 256;

struct Reader<'a> {
    /// The non-blank lines, with their indentation.
    lines: Vec<(usize, &'a str)>,
    /// The line being read.
    at: usize,
    /// How many collections are open.
    depth: usize,
}

impl<'a> Reader<'a> {
    /// The indentation and text of the line being read.
    fn line(&self) -> Option<(usize, &'a str)> {
        self.lines.get(self.at).copied()
    }

    /// The node whose text starts at column `col` of the current line: a
    /// sequence (`- `), a mapping (`key:`) or a scalar, which ends the line.
    fn node(&mut self, col: usize) -> Option<Node> {
        let (_, line) = self.line()?;
        let rest = &line[col..];
        if rest.starts_with("- ") || key(rest).is_some() {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return None;
            }
            let node = if rest.starts_with("- ") {
                self.sequence(col)
            } else {
                self.mapping(col)
            };
            self.depth -= 1;
            return node;
        }
        let node = scalar(rest)?;
        self.at += 1;
        Some(node)
    }

    /// A block sequence whose entries' `-` are at column `col`.
    fn sequence(&mut self, col: usize) -> Option<Node> {
        let mut items = Vec::new();
        loop {
            // The entry follows the `- ` on the same line.
            items.push(self.node(col + 2)?);
            match self.line() {
                Some((indent, line)) if indent == col && line[col..].starts_with("- ") => {}
                // More indented: a scalar's continuation, or invalid.
                Some((indent, _)) if indent > col => return None,
                // Less indented (or a mapping key at this column): the
                // enclosing collection goes on.
                _ => return Some(Node::Seq(items)),
            }
        }
    }

    /// A block mapping whose keys are at column `col`.
    fn mapping(&mut self, col: usize) -> Option<Node> {
        let mut entries: Vec<(Node, Node)> = Vec::new();
        loop {
            let (_, line) = self.line()?;
            let (k, value) = key(&line[col..])?;
            let k = Node::Scalar(word(k));
            if entries.len() == MAX_KEYS || entries.iter().any(|(e, _)| *e == k) {
                return None;
            }
            let value = if value.is_empty() {
                // The value is on the lines below, more indented; none is a null.
                self.at += 1;
                match self.line() {
                    Some((indent, line)) if indent > col => {
                        let rest = &line[indent..];
                        if !(rest.starts_with("- ") || key(rest).is_some()) {
                            // A plain scalar on its own line.
                            return None;
                        }
                        self.node(indent)?
                    }
                    // A sequence at the key's column.
                    Some((indent, line)) if indent == col && line[col..].starts_with("- ") => {
                        return None
                    }
                    _ => Node::Scalar(Yaml::Null),
                }
            } else {
                let value = scalar(value)?;
                self.at += 1;
                value
            };
            entries.push((k, value));
            match self.line() {
                Some((indent, _)) if indent == col => {}
                Some((indent, _)) if indent > col => return None,
                _ => return Some(Node::Map(entries)),
            }
        }
    }
}

/// The key of `key: value` or `key:` (a word of ASCII letters, digits and
/// `_`) and the value's text (empty for `key:`).
fn key(text: &str) -> Option<(&str, &str)> {
    let len = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if len == 0 || len > MAX_KEY {
        return None;
    }
    match &text[len..] {
        ":" => Some((&text[..len], "")),
        rest => Some((&text[..len], rest.strip_prefix(": ")?)),
    }
}

/// The scalar (or empty collection) that is all of `text`: `{}`, `[]`,
/// single-quoted text without quotes, or plain words (ASCII letters, digits,
/// `_`, `.` and `-`, the first a letter, digit or `_`) separated by single
/// spaces, resolved as the loader resolves them.
fn scalar(text: &str) -> Option<Node> {
    match text {
        "{}" => return Some(Node::Map(Vec::new())),
        "[]" => return Some(Node::Seq(Vec::new())),
        _ => {}
    }
    if let Some(quoted) = text.strip_prefix('\'') {
        let inner = quoted.strip_suffix('\'')?;
        // Printable ASCII (checked for the whole text) without a quote.
        return (!inner.contains('\'')).then(|| Node::Scalar(Yaml::String(inner.to_string())));
    }
    let bytes = text.as_bytes();
    let first = *bytes.first()?;
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-';
    let plain = (first.is_ascii_alphanumeric() || first == b'_')
        && bytes.iter().all(|&b| allowed(b) || b == b' ')
        && !text.contains("  ")
        && !text.ends_with(' ');
    plain.then(|| Node::Scalar(word(text)))
}

/// What [`Yaml::from_str`] reads in the plain text `text` (of the subset's
/// characters), without its attempts at numbers for text that starts with
/// a letter or `_`: no integer or float does (the floats that do, `inf` and
/// `nan`, hold no digit, which yaml_rust2 requires of a float).
fn word(text: &str) -> Yaml {
    let letter = text
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
    match text {
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | "null" => Yaml::from_str(text),
        _ if letter => Yaml::String(text.to_string()),
        _ => Yaml::from_str(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_resolve_as_the_loader_resolves_them() {
        let words = [
            "",
            "a",
            "_",
            "name",
            "true",
            "True",
            "TRUE",
            "tRue",
            "false",
            "False",
            "FALSE",
            "null",
            "Null",
            "NULL",
            "nil",
            "inf",
            "Inf",
            "infinity",
            "nan",
            "NaN",
            "e5",
            "E5",
            "e",
            "inf1",
            "nan1",
            "x1",
            "_1",
            "a.b",
            "a-1",
            "1",
            "01",
            "1.5",
            "1e5",
            "1_000",
            "0x1F",
            "0o17",
            "0b1",
            "1a",
            "9223372036854775808",
            "-1",
            "+1",
            ".5",
            "1.",
            "1-2",
            "stack name",
            "Yes",
            "no",
            "on",
            "OFF",
            "string",
            "integer",
            "object",
            "x_y",
            "K9",
            "infinity1",
            "i",
            "n",
            "t",
            "f",
            "nul",
            "null1",
            "true1",
        ];
        for w in words {
            assert_eq!(word(w), Yaml::from_str(w), "{w:?}");
        }
    }
}
