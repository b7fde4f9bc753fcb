//! The whole Rust naming policy: case conversion, keywords, digits,
//! punctuation and collisions. Every name decision goes through here, so the
//! same input always gives the same names.

use foldhash::{HashMap, HashSet};

/// Keywords that work as raw identifiers (`r#type`), sorted (looked up by
/// binary search).
const RAW_OK: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: these get a `_` suffix.
const NO_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// The length of the longest keyword of [`RAW_OK`] and [`NO_RAW`]: a
/// longer identifier (most are) is none of them.
const KEYWORD_MAX_LEN: usize = 8;

/// Replaces everything that is not ASCII alphanumeric with `_` separators, so
/// heck sees word boundaries (`X-Amz-Target`, `Schedule/Id`, `+datasetId`).
#[cfg(test)]
fn words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The words of `name` as heck 0.5 splits `words(name)` (the naming policy
/// these functions keep): runs of ASCII letters and digits, split further
/// after a lowercase letter (or a digit after one) followed by an uppercase
/// one (`fooBar`), and before the last uppercase letter of a run of them
/// followed by a lowercase one (`KMSMaster`); everything else separates.
/// heck does the same through `fmt` for any Unicode text; the text here is
/// ASCII, so this calls `word` with the same words, in order, allocating
/// nothing.
fn each_word<'n>(name: &'n str, mut word: impl FnMut(&'n str)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    for w in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let b = w.as_bytes();
        let (mut init, mut mode) = (0, Mode::Boundary);
        for (i, &c) in b.iter().enumerate() {
            let Some(&next) = b.get(i + 1) else {
                word(&w[init..]);
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lower
            } else if c.is_ascii_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                word(&w[init..=i]);
                (init, mode) = (i + 1, Mode::Boundary);
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(&w[init..i]);
                (init, mode) = (i, Mode::Boundary);
            } else {
                mode = next_mode;
            }
        }
    }
}

/// heck's `to_snake_case` of `words(name)`: the words lowercased, joined by `_`.
fn to_snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    each_word(name, |w| {
        if !out.is_empty() {
            out.push('_');
        }
        let start = out.len();
        out.push_str(w);
        out[start..].make_ascii_lowercase();
    });
    out
}

/// heck's `to_upper_camel_case` of `words(name)`: each word with its first
/// letter uppercase and the rest lowercase, joined.
fn to_upper_camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    each_word(name, |w| {
        let start = out.len();
        out.push_str(w);
        out[start..].make_ascii_lowercase();
        if let Some(first) = out[start..].get_mut(..1) {
            first.make_ascii_uppercase();
        }
    });
    out
}

/// A snake_case identifier text (not yet keyword-escaped), never empty, never
/// starting with a digit.
pub fn snake(name: &str) -> String {
    let s = if is_snake_already(name) {
        name.to_string()
    } else {
        to_snake_case(name)
    };
    let s = if s.is_empty() { "value".to_string() } else { s };
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{s}")
    } else {
        s
    }
}

/// Whether heck's snake_case of `name` is `name` itself: lowercase ASCII
/// letters and digits in words joined by single `_`s (heck splits words only
/// at characters that are not alphanumeric and at case changes, and drops
/// empty words). Most resource and field names already are; converting them
/// is the dearest part of naming a crate's modules.
fn is_snake_already(name: &str) -> bool {
    // One pass (a search per word was dearer than the words): every byte a
    // lowercase letter, a digit or a `_` that ends a non-empty word.
    let mut after_separator = true;
    for &b in name.as_bytes() {
        if b == b'_' {
            if after_separator {
                return false;
            }
            after_separator = true;
        } else if b.is_ascii_lowercase() || b.is_ascii_digit() {
            after_separator = false;
        } else {
            return false;
        }
    }
    !after_separator
}

/// An UpperCamelCase type name, never empty, never starting with a digit.
pub fn pascal(name: &str) -> String {
    let s = to_upper_camel_case(name);
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
    escape_owned(ident.to_string())
}

/// [`escape`] of a text already owned: most identifiers are no keyword and
/// are returned as they are, without a copy.
fn escape_owned(mut ident: String) -> String {
    if ident.len() > KEYWORD_MAX_LEN {
        ident
    } else if NO_RAW.contains(&ident.as_str()) {
        ident.push('_');
        ident
    } else if RAW_OK.binary_search(&ident.as_str()).is_ok() {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// The identifier text without its `r#` raw prefix: a file name, or the
/// base of a derived name.
pub fn unraw(escaped: &str) -> &str {
    escaped.strip_prefix("r#").unwrap_or(escaped)
}

/// A `syn`-ready identifier from an escaped text.
#[cfg(test)]
pub fn ident(escaped: &str) -> proc_macro2::Ident {
    match escaped.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(escaped, proc_macro2::Span::call_site()),
    }
}

/// A cargo feature name for `name`: ASCII letters, digits, `_` and `-`
/// (anything else becomes `-`), starting with a letter, digit or `_`, never
/// empty. Not yet unique: see [`Scope::feature`].
pub fn feature(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_start_matches('-');
    if s.is_empty() {
        "feature".to_string()
    } else {
        s.to_string()
    }
}

/// Whether `name` is a feature name cargo accepts and [`feature`] produces.
pub fn is_feature(name: &str) -> bool {
    feature(name) == name
}

/// Hands out unique names within one scope.
///
/// A name already taken gets a suffix: `_2`, `_3`, ... for snake_case
/// (`2`, `3` for type names, `-2` for features; `self_` becomes `self_2`,
/// never `self__2`). Names that need no conversion come first: after
/// [`Scope::exact_first`], a wire name that is its own identifier
/// (`foo_bar`) keeps it even when a name converted to the same identifier
/// (`foo-bar`) asks first, so adding a page or a field never renames what
/// was there, and the result does not depend on the order of the requests.
/// Each base keeps its next suffix, so `n` colliding names cost `O(n)`.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    /// Names handed out or reserved (without `r#`).
    taken: HashSet<String>,
    /// Names held for wire names that need no conversion, until asked for.
    held: HashSet<String>,
    /// The next suffix to try per base.
    next: HashMap<String, u64>,
    /// Candidates tried for suffixed names (tests prove the count linear).
    #[cfg(test)]
    probes: usize,
}

impl Scope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
            ..Scope::default()
        }
    }

    /// A scope for the snake_case names of `wires`, where those that need
    /// no conversion are held for themselves (see [`Scope`]).
    pub fn exact_first<'a>(wires: impl IntoIterator<Item = &'a str>) -> Self {
        let wires = wires.into_iter();
        // Sized for the names asked for: a struct's scope is built for its
        // fields, and growing it a rehash at a time cost more than the rest.
        let n = wires.size_hint().0;
        let mut scope = Scope {
            taken: HashSet::with_capacity_and_hasher(n, Default::default()),
            held: HashSet::with_capacity_and_hasher(n, Default::default()),
            ..Scope::default()
        };
        scope.hold_exact(wires);
        scope
    }

    /// Holds the snake_case names of `wires` that need no conversion, for
    /// those wires (see [`Scope`]).
    pub fn hold_exact<'a>(&mut self, wires: impl IntoIterator<Item = &'a str>) {
        for w in wires {
            if is_exact(w) && !self.taken.contains(w) {
                self.held.insert(w.to_string());
            }
        }
    }

    /// Holds the UpperCamelCase type names of `wires` that need no
    /// conversion (`VersioningConfiguration`), for those wires: a type
    /// named from a converted wire (`versioning_configuration`) asking
    /// first gets the suffix (see [`Scope`]).
    pub fn hold_exact_types<'a>(&mut self, wires: impl IntoIterator<Item = &'a str>) {
        for w in wires {
            if escape_owned(pascal(w)) == w && !self.taken.contains(w) {
                self.held.insert(w.to_string());
            }
        }
    }

    /// A unique escaped snake_case identifier for `wire`.
    pub fn snake(&mut self, wire: &str) -> String {
        let name = escape_owned(snake(wire));
        let exact = unraw(&name) == wire;
        self.take(name, "_", exact)
    }

    /// [`Scope::snake`] for a `wire` name already converted with [`snake`].
    pub fn snake_of(&mut self, wire: &str, snake: &str) -> String {
        let name = escape(snake);
        let exact = unraw(&name) == wire;
        self.take(name, "_", exact)
    }

    /// [`Scope::hold_exact`] for `(wire, snake)` pairs whose wire names
    /// are already converted with [`snake`] (converting is not free).
    pub fn hold_exact_converted<'a>(
        &mut self,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) {
        for (w, s) in pairs {
            if unraw(&escape(s)) == w && !self.taken.contains(w) {
                self.held.insert(w.to_string());
            }
        }
    }

    /// A unique UpperCamelCase type name for `wire`.
    pub fn pascal(&mut self, wire: &str) -> String {
        let name = escape_owned(pascal(wire));
        let exact = name == wire;
        self.take(name, "", exact)
    }

    /// A unique cargo feature name for `name` (see [`feature`]).
    pub fn feature(&mut self, name: &str) -> String {
        let f = feature(name);
        let exact = f == name;
        self.take(f, "-", exact)
    }

    /// `name` when it is free (a held name only for its `exact` wire), else
    /// the next free suffixed form of it.
    fn take(&mut self, name: String, sep: &str, exact: bool) -> String {
        let key = unraw(&name).to_string();
        if !self.taken.contains(&key) && (exact || !self.held.contains(&key)) {
            self.held.remove(&key);
            self.taken.insert(key);
            return name;
        }
        // `self_` + `_2` would trip `non_snake_case`.
        let sep = if sep == "_" && key.ends_with('_') {
            ""
        } else {
            sep
        };
        let mut n = self.next.get(&key).copied().unwrap_or(2);
        let candidate = loop {
            #[cfg(test)]
            {
                self.probes += 1;
            }
            let c = format!("{key}{sep}{n}");
            n += 1;
            if !self.taken.contains(&c) && !self.held.contains(&c) {
                break c;
            }
        };
        self.next.insert(key, n);
        self.taken.insert(candidate.clone());
        escape(&candidate)
    }
}

/// Whether `wire` is its own snake_case identifier (`foo_bar`, `type` as
/// `r#type`): the names [`Scope::exact_first`] holds. That is
/// `unraw(&escape(&snake(wire))) == wire`, decided without converting:
/// [`snake`] keeps exactly the names [`is_snake_already`] accepts, unless
/// they start with a digit (`n` is prepended), and [`escape`] changes only
/// the unraw form of the keywords that cannot be raw (`self` → `self_`),
/// which makes `self_` (converted to `self`) exact.
fn is_exact(wire: &str) -> bool {
    let kept = is_snake_already(wire)
        && !wire.starts_with(|c: char| c.is_ascii_digit())
        && !NO_RAW.contains(&wire);
    kept || wire
        .strip_suffix('_')
        .is_some_and(|k| k != "_" && NO_RAW.contains(&k) && is_snake_already(k))
}

#[cfg(test)]
mod tests {
    #[test]
    fn snake_already_is_words_of_lowercase_and_digits_joined_by_single_underscores() {
        for (name, want) in [
            ("a", true),
            ("abc_d2_e", true),
            ("", false),
            ("_", false),
            ("_a", false),
            ("a_", false),
            ("a__b", false),
            ("aB", false),
            ("a-b", false),
            ("é", false),
            ("9", true),
        ] {
            assert_eq!(is_snake_already(name), want, "{name:?}");
            let by_words = !name.is_empty()
                && name.split('_').all(|w| {
                    !w.is_empty()
                        && w.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                });
            assert_eq!(by_words, want, "{name:?}");
        }
    }

    #[test]
    fn raw_keywords_are_sorted_for_the_binary_search() {
        assert!(RAW_OK.windows(2).all(|w| w[0] < w[1]));
    }

    use super::*;

    #[test]
    fn names_already_in_snake_case_are_kept_as_heck_would_convert_them() {
        use heck::ToSnakeCase;
        for name in [
            "analyzer_tags",
            "a",
            "a1",
            "v2_thing",
            "x9y",
            "1abc",
            "12",
            "a_b_c",
            "ec2",
            "s3_bucket",
            "_a",
            "a_",
            "a__b",
            "",
            "_",
            "aB",
            "A",
            "a-b",
            "a b",
            "é",
            "a_\u{e9}",
            "ABC_def",
            "a1B",
        ] {
            let heck = {
                let s = words(name).to_snake_case();
                let s = if s.is_empty() { "value".to_string() } else { s };
                if s.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("n{s}")
                } else {
                    s
                }
            };
            assert_eq!(snake(name), heck, "{name:?}");
            if is_snake_already(name) {
                assert_eq!(words(name).to_snake_case(), name, "{name:?}");
            }
        }
        assert!(is_snake_already("analyzer_tags") && !is_snake_already("a__b"));
    }

    /// Every string of up to five characters of `alphabet`, the empty one first.
    fn short_names(alphabet: &[char]) -> Vec<String> {
        let mut names = vec![String::new()];
        let mut last = names.clone();
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|n| alphabet.iter().map(move |c| format!("{n}{c}")))
                .collect();
            names.extend(last.iter().cloned());
        }
        names
    }

    /// Every string of up to five characters over letters of both cases,
    /// digits, separators and a non-ASCII letter: snake_case and
    /// UpperCamelCase words as heck makes them of `words(name)`.
    #[test]
    fn case_conversion_is_hecks_for_every_short_name() {
        use heck::{ToSnakeCase, ToUpperCamelCase};
        let names = short_names(&['a', 'b', 'A', 'B', '1', '_', '-', 'é']);
        assert_eq!(names.len(), 37_449);
        for name in &names {
            assert_eq!(to_snake_case(name), words(name).to_snake_case(), "{name:?}");
            let camel = words(name).to_upper_camel_case();
            assert_eq!(to_upper_camel_case(name), camel, "{name:?}");
        }
        for name in [
            "KMSMasterKeyID",
            "X-Amz-Target",
            "ipv6CIDRBlocks",
            "S3Bucket",
        ] {
            assert_eq!(to_snake_case(name), words(name).to_snake_case());
            assert_eq!(to_upper_camel_case(name), words(name).to_upper_camel_case());
        }
    }

    #[test]
    fn exact_names_are_those_that_convert_to_themselves() {
        let mut names = short_names(&['a', 'B', '1', '_', '-']);
        names.extend(RAW_OK.iter().chain(NO_RAW).map(|k| k.to_string()));
        names.extend(NO_RAW.iter().map(|k| format!("{k}_")));
        names.extend(["value", "n1", "1a", "a1", "r#type", "self__", "Self_"].map(String::from));
        let mut exact = 0;
        for w in &names {
            let converted = unraw(&escape(&snake(w))) == w;
            assert_eq!(is_exact(w), converted, "{w:?}");
            exact += usize::from(converted);
        }
        assert!(exact > 100, "{exact} exact names");
    }

    #[test]
    fn keywords_digits_and_punctuation() {
        assert!(RAW_OK
            .iter()
            .chain(NO_RAW)
            .all(|k| k.len() <= KEYWORD_MAX_LEN));
        assert_eq!(escape("abstract"), "r#abstract");
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
    fn exact_names_keep_their_name_whatever_the_order() {
        for wires in [["foo-bar", "foo_bar"], ["foo_bar", "foo-bar"]] {
            let mut s = Scope::exact_first(wires);
            let got: Vec<(&str, String)> = wires.iter().map(|w| (*w, s.snake(w))).collect();
            let name_of = |w: &str| got.iter().find(|(x, _)| *x == w).unwrap().1.clone();
            assert_eq!(name_of("foo_bar"), "foo_bar", "{wires:?}");
            assert_eq!(name_of("foo-bar"), "foo_bar_2", "{wires:?}");
        }
        // A suffixed form that is itself an exact name is skipped.
        let wires = ["x-y", "x_y", "x_y_2"];
        let mut s = Scope::exact_first(wires);
        let got: Vec<String> = wires.iter().map(|w| s.snake(w)).collect();
        assert_eq!(got, ["x_y_3", "x_y", "x_y_2"]);
        // Keywords: `type` is exact (as `r#type`), `Type` is converted.
        let mut s = Scope::exact_first(["Type", "type"]);
        assert_eq!(s.snake("Type"), "type_2");
        assert_eq!(s.snake("type"), "r#type");
    }

    #[test]
    fn exact_type_names_keep_their_name_whatever_the_order() {
        for wires in [["rule_set", "RuleSet"], ["RuleSet", "rule_set"]] {
            let mut s = Scope::with_reserved(&["Bucket"]);
            s.hold_exact_types(wires.iter().copied().chain(["Bucket"]));
            let got: Vec<(&str, String)> = wires.iter().map(|w| (*w, s.pascal(w))).collect();
            let name_of = |w: &str| got.iter().find(|(x, _)| *x == w).unwrap().1.clone();
            assert_eq!(name_of("RuleSet"), "RuleSet", "{wires:?}");
            assert_eq!(name_of("rule_set"), "RuleSet2", "{wires:?}");
            // A name taken before the hold stays taken.
            assert_eq!(s.pascal("Bucket"), "Bucket2");
        }
    }

    #[test]
    fn suffixes_never_double_the_underscore() {
        let mut s = Scope::default();
        assert_eq!(s.snake("self"), "self_");
        assert_eq!(s.snake("Self"), "self_2");
        assert_eq!(s.snake("SELF"), "self_3");
        assert!(!s.snake("self").contains("__"));
    }

    #[test]
    fn de_duplication_is_linear() {
        let n = 20_000;
        let mut s = Scope::default();
        let names: HashSet<String> = (0..n).map(|_| s.snake("Name")).collect();
        assert_eq!(names.len(), n);
        // One candidate per suffixed name: a scan from `_2` each time would
        // try n²/2 = 200,000,000.
        assert_eq!(s.probes, n - 1);
        // Interleaved bases keep their own counters.
        let mut s = Scope::default();
        for i in 0..n {
            s.snake(if i % 2 == 0 { "a" } else { "b" });
        }
        assert_eq!(s.probes, n - 2);
    }

    #[test]
    fn features_are_valid_and_unique() {
        assert_eq!(feature("aws"), "aws");
        assert_eq!(feature("x = 1\n[package]"), "x---1--package-");
        assert_eq!(feature("--"), "feature");
        assert_eq!(feature("é"), "feature");
        assert!(is_feature("aws-s3") && !is_feature("a b") && !is_feature("-a"));
        let mut s = Scope::with_reserved(&["default"]);
        assert_eq!(s.feature("default"), "default-2");
        assert_eq!(s.feature("aws-s3"), "aws-s3");
        assert_eq!(s.feature("aws-s3"), "aws-s3-2");
    }

    #[test]
    fn raw_idents_build() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("name").to_string(), "name");
    }
}
