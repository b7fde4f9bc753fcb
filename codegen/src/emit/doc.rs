//! Page text → rustdoc that renders without warnings.
//!
//! Descriptions arrive with entities already decoded. Outside code spans we
//! escape what rustdoc would read as markup it warns about: `[`/`]`
//! (intra-doc links), `<`/`>` (HTML tags) and `&` (entities); bare URLs are
//! wrapped in `<...>` so they become links. Code spans (balanced backticks)
//! are kept as written.

/// Escapes one paragraph of page text for rustdoc.
pub fn escape(text: &str) -> String {
    let text = text.trim();
    let ticks = text.matches('`').count();
    let mut out = String::with_capacity(text.len() + 16);
    if ticks % 2 == 1 {
        // Unbalanced: no code spans at all.
        escape_prose(&text.replace('`', "'"), &mut out);
        return out;
    }
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push('`');
            out.push_str(part);
            out.push('`');
        } else {
            escape_prose(part, &mut out);
        }
    }
    out
}

fn escape_prose(text: &str, out: &mut String) {
    let mut first = true;
    // Keep leading/trailing spaces of the fragment (it sits next to code spans).
    let lead = text.len() - text.trim_start().len();
    out.push_str(&" ".repeat(lead.min(1)));
    for word in text.split_whitespace() {
        if !first {
            out.push(' ');
        }
        first = false;
        if let Some(url) = url_of(word) {
            let (link, rest) = word.split_at(url);
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

fn escape_word(word: &str, out: &mut String) {
    for c in word.chars() {
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' => out.push_str("\\\\"),
            '*' => out.push_str("\\*"),
            '_' => out.push('_'),
            '#' => out.push_str("\\#"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
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
}
