//! The whole Rust naming policy: case conversion, keywords, digits,
//! punctuation and collisions. Every name decision goes through here, so the
//! same input always gives the same names.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Keywords that work as raw identifiers (`r#type`).
const RAW_OK: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static",
    "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual",
    "where", "while", "yield", "extern",
];

/// Keywords that cannot be raw identifiers: these get a `_` suffix.
const NO_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Replaces everything that is not ASCII alphanumeric with `_` separators, so
/// heck sees word boundaries (`X-Amz-Target`, `Schedule/Id`, `+datasetId`).
fn words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A snake_case identifier text (not yet keyword-escaped), never empty, never
/// starting with a digit.
pub fn snake(name: &str) -> String {
    let s = words(name).to_snake_case();
    let s = if s.is_empty() { "value".to_string() } else { s };
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{s}")
    } else {
        s
    }
}

/// An UpperCamelCase type name, never empty, never starting with a digit.
pub fn pascal(name: &str) -> String {
    let s = words(name).to_upper_camel_case();
    let s = if s.is_empty() { "Value".to_string() } else { s };
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{s}")
    } else {
        s
    }
}

/// SCREAMING_SNAKE_CASE for statics and consts.
pub fn screaming(name: &str) -> String {
    snake(name).to_ascii_uppercase()
}

/// Turns an identifier text into a token-ready form: raw for keywords that
/// allow it, `_`-suffixed for those that do not.
pub fn escape(ident: &str) -> String {
    if NO_RAW.contains(&ident) {
        format!("{ident}_")
    } else if RAW_OK.contains(&ident) {
        format!("r#{ident}")
    } else {
        ident.to_string()
    }
}

/// The identifier text without its `r#` raw prefix: a file name, or the
/// base of a derived name.
pub fn unraw(escaped: &str) -> &str {
    escaped.strip_prefix("r#").unwrap_or(escaped)
}

/// A `syn`-ready identifier from an escaped text.
pub fn ident(escaped: &str) -> proc_macro2::Ident {
    match escaped.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(escaped, proc_macro2::Span::call_site()),
    }
}

/// Hands out unique names within one scope: a name already taken gets `_2`,
/// `_3`, ... (or `2`, `3` for type names) in the order names are asked for.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// A unique escaped snake_case identifier for `wire`.
    pub fn snake(&mut self, wire: &str) -> String {
        self.snake_of(&snake(wire))
    }

    /// [`Scope::snake`] for a name already converted with [`snake`].
    pub fn snake_of(&mut self, snake: &str) -> String {
        self.unique(escape(snake), "_")
    }

    /// A unique UpperCamelCase type name for `wire`.
    pub fn pascal(&mut self, wire: &str) -> String {
        self.unique(escape(&pascal(wire)), "")
    }

    /// Reserves `name` exactly, or the next free suffixed form.
    pub fn unique(&mut self, name: String, sep: &str) -> String {
        let base = name.trim_start_matches("r#").to_string();
        let mut candidate = name;
        let mut n = 2;
        while self.taken.contains(candidate.trim_start_matches("r#")) {
            candidate = escape(&format!("{base}{sep}{n}"));
            n += 1;
        }
        self.taken
            .insert(candidate.trim_start_matches("r#").to_string());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_digits_and_punctuation() {
        assert_eq!(escape(&snake("type")), "r#type");
        assert_eq!(escape(&snake("self")), "self_");
        assert_eq!(escape(&pascal("Self")), "Self_");
        assert_eq!(snake("3dModels"), "n3d_models");
        assert_eq!(pascal("3dModels"), "N3dModels");
        assert_eq!(snake("anthropic-version"), "anthropic_version");
        assert_eq!(snake("+datasetId"), "dataset_id");
        assert_eq!(snake("Schedule/ScheduleId"), "schedule_schedule_id");
        assert_eq!(snake("KMSMasterKeyID"), "kms_master_key_id");
        assert_eq!(snake("data__Identifier"), "data_identifier");
        assert_eq!(snake("---"), "value");
    }

    #[test]
    fn collisions_after_case_conversion_get_suffixes() {
        let mut s = Scope::default();
        assert_eq!(s.snake("Name"), "name");
        assert_eq!(s.snake("name"), "name_2");
        assert_eq!(s.snake("NAME"), "name_3");
        let mut t = Scope::with_reserved(&["Identifier"]);
        assert_eq!(t.pascal("identifier"), "Identifier2");
    }

    #[test]
    fn raw_idents_build() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("name").to_string(), "name");
    }
}
