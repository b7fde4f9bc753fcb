//! The plain subset of HTML that pages' tables are written in, tokenized
//! without the general tokenizer: start tags whose attributes all have
//! double-quoted values, end tags without attributes, and text without
//! character references. On these, html5gum's tokenizer goes through a
//! state per byte of every tag (600,000 of them in `current/aws`); this
//! reader hands [`Tok`]s on as the [`Events`](super::Events) emitter would
//! from html5gum, at a fraction of the cost.
//!
//! It reads up to the first byte outside the subset (a character
//! reference, a comment, a single-quoted or unquoted value, a carriage
//! return, a NUL, a tag cut off by the end, ...) and says where: the rest
//! goes to html5gum (see [`super::scan`]). A token boundary is always in
//! html5gum's data state, which depends on nothing before it with the
//! emitter the parse uses (it never switches the tokenizer to a raw-text
//! state), so the rest tokenizes as it would have within the whole text.
//! The tests check both paths against html5gum's own callback emitter.

use super::{Name, Tok};

/// Hands the tokens of the longest start of `text` in the subset to `on`,
/// in order; returns where the rest starts (`text.len()` when all of it
/// was read).
pub(super) fn scan(text: &str, on: &mut impl FnMut(Tok<'_>)) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Text up to the next tag; a character reference, a carriage
        // return or a NUL needs the tokenizer.
        let end = memchr::memchr(b'<', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        if end > at {
            if needs_tokenizer(&bytes[at..end]) {
                return at;
            }
            on(Tok::Text(&bytes[at..end]));
        }
        if end == bytes.len() {
            return end;
        }
        match tag(bytes, end) {
            Some((tok, next)) => {
                on(tok);
                at = next;
            }
            None => return end,
        }
    }
    at
}

/// Whether text or a quoted value holds what only the tokenizer reads: a
/// character reference, a carriage return (newlines are normalised) or a
/// NUL.
fn needs_tokenizer(text: &[u8]) -> bool {
    text.iter().any(|&b| matches!(b, b'&' | b'\r' | b'\0'))
}

/// The bytes of a tag name in the subset: ASCII letters, digits and `-`.
const NAME: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'-';
        b += 1;
    }
    t
};

/// The tag at `at` (a `<`) and where it ends, when it is in the subset.
fn tag(bytes: &[u8], at: usize) -> Option<(Tok<'_>, usize)> {
    let end_tag = bytes.get(at + 1) == Some(&b'/');
    let start = at + 1 + usize::from(end_tag);
    if !bytes.get(start)?.is_ascii_alphabetic() {
        return None;
    }
    let len = bytes[start..]
        .iter()
        .position(|&b| !NAME[usize::from(b)])
        .unwrap_or(bytes.len() - start);
    let mut i = start + len;
    let name = Name::of_any_case(&bytes[start..i]);
    if end_tag {
        return (*bytes.get(i)? == b'>').then_some((Tok::End(name, at), i + 1));
    }
    let wanted = name.attribute();
    let mut value = None;
    loop {
        match *bytes.get(i)? {
            b'>' => return Some((Tok::Start(name, at, value), i + 1)),
            b'/' => {
                return (*bytes.get(i + 1)? == b'>').then_some((Tok::Start(name, at, value), i + 2))
            }
            b' ' | b'\t' | b'\n' | b'\x0C' => {
                while matches!(bytes.get(i)?, b' ' | b'\t' | b'\n' | b'\x0C') {
                    i += 1;
                }
                if matches!(bytes[i], b'>' | b'/') {
                    continue;
                }
                // An attribute: name="value".
                let name_at = i;
                while bytes
                    .get(i)
                    .is_some_and(|&b| NAME[usize::from(b)] || matches!(b, b'_' | b':'))
                {
                    i += 1;
                }
                let attribute = &bytes[name_at..i];
                if attribute.is_empty() || bytes.get(i..i + 2)? != b"=\"" {
                    return None;
                }
                let value_at = i + 2;
                let len = memchr::memchr(b'"', bytes.get(value_at..)?)?;
                let v = &bytes[value_at..value_at + len];
                if needs_tokenizer(v) {
                    return None;
                }
                // The first attribute of the wanted name (WHATWG drops
                // the others).
                if value.is_none() && wanted.is_some_and(|w| w.eq_ignore_ascii_case(attribute)) {
                    value = Some(v);
                }
                i = value_at + len + 1;
                // After a quoted value: white space, `/` or `>`.
                if !matches!(bytes.get(i)?, b' ' | b'\t' | b'\n' | b'\x0C' | b'/' | b'>') {
                    return None;
                }
            }
            _ => return None,
        }
    }
}
