//! Rows of text columns, as a StackQL server sends them, into row types.
//!
//! StackQL sends every value as text: strings, numbers and booleans as
//! their text, objects and arrays as JSON text, a missing value as SQL
//! `NULL`. [`decode_text_row`] reads such a row through the row type's
//! [`Record`] impl: each field is taken from the column of its name and its
//! text is read as what the field's type asks for (a string as is, an
//! integer or float parsed, a boolean from `true`/`false`/`t`/`f`/`1`/`0`,
//! a nested type, array or map parsed as JSON, a `serde_json::Value` as JSON
//! when the text is JSON and as a string otherwise), `NULL` giving `None`.

use serde::de::{self, Deserializer, IntoDeserializer, Visitor};

use crate::record::FieldSource;
use crate::{FieldError, FieldReader, ReadResult, Record};

/// Decodes one row of text columns into the row type `R`.
///
/// `columns` are the result's column names and `values` the row's values
/// in the same order (`None` for SQL `NULL`). Fields are matched to
/// columns by name (exactly, else ignoring ASCII case); a field without a
/// column reads as `NULL`. The error names the field (the column) and says
/// what its text could not be read as.
///
/// ```
/// use stackql_runtime::{decode_text_row, FieldReader, FieldWriter, ReadResult, Record};
///
/// #[derive(Debug, PartialEq)]
/// struct Row { name: Option<String>, size: Option<i64>, tags: Option<Vec<String>> }
/// impl Record for Row {
///     fn write_fields(&self, _: &mut FieldWriter) {}
///     fn read_fields(f: &mut FieldReader) -> ReadResult<Self> {
///         Ok(Row { name: f.take("name")?, size: f.take("size")?, tags: f.take("tags")? })
///     }
/// }
/// let row: Row = decode_text_row(&["size", "name", "tags"], &[Some("42"), Some("b"), None]).unwrap();
/// assert_eq!(row, Row { name: Some("b".into()), size: Some(42), tags: None });
/// let err = decode_text_row::<Row>(&["size"], &[Some("big")]).unwrap_err();
/// assert_eq!(err.field, "size");
/// ```
pub fn decode_text_row<R: Record>(columns: &[&str], values: &[Option<&str>]) -> ReadResult<R> {
    R::read_fields(&mut FieldReader {
        source: FieldSource::Text(TextColumns {
            names: columns,
            values,
            cursor: 0,
        }),
    })
}

/// Where the column `field` is among `names`: an exact match, else one
/// ignoring ASCII case (PostgreSQL folds unquoted names to lower case).
pub(crate) fn column_index(names: &[&str], field: &str) -> Option<usize> {
    names
        .iter()
        .position(|c| *c == field)
        .or_else(|| names.iter().position(|c| c.eq_ignore_ascii_case(field)))
}

/// The text columns of one row, read field by field.
#[derive(Debug)]
pub(crate) struct TextColumns<'a> {
    names: &'a [&'a str],
    values: &'a [Option<&'a str>],
    /// Where the next exact match is looked for first: fields are usually
    /// taken in the order of the columns.
    cursor: usize,
}

impl TextColumns<'_> {
    fn find(&mut self, field: &str) -> Option<usize> {
        let n = self.names.len();
        for k in 0..n {
            let i = (self.cursor + k) % n;
            if self.names[i] == field {
                self.cursor = i + 1;
                return Some(i);
            }
        }
        column_index(self.names, field)
    }

    /// Every column, by name: a text value that is a JSON object or array
    /// as that JSON, any other as the string it is (a version `1.30`, an id
    /// of 21 digits, the text `null` lose nothing); `NULL` as `null`. A
    /// name given twice keeps its last.
    pub(crate) fn all(&self) -> serde_json::Map<String, serde_json::Value> {
        self.names
            .iter()
            .zip(self.values)
            .map(|(name, value)| {
                let v = match value {
                    None => serde_json::Value::Null,
                    Some(text) => match text.trim_start().as_bytes().first() {
                        Some(b'{' | b'[') => serde_json::from_str(text).ok(),
                        _ => None,
                    }
                    .unwrap_or_else(|| serde_json::Value::String(text.to_string())),
                };
                (name.to_string(), v)
            })
            .collect()
    }

    pub(crate) fn take<T: de::DeserializeOwned>(&mut self, field: &'static str) -> ReadResult<T> {
        let err = |message: String| FieldError { field, message };
        let found = self.find(field);
        match found.and_then(|i| self.values.get(i).copied().flatten()) {
            Some(text) => T::deserialize(TextDeserializer(text)).map_err(|e| err(e.to_string())),
            None => serde_json::from_value(serde_json::Value::Null).map_err(|_| {
                err(match found {
                    Some(_) => "NULL where a value is required".to_string(),
                    None => "the result has no such column".to_string(),
                })
            }),
        }
    }
}

/// Shortens `value` to at most `max` characters for an error message,
/// marking the cut with `…`.
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub(crate) fn shorten(value: &str, max: usize) -> String {
    match value.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_string(),
    }
}

type Error = serde_json::Error;

/// Reads one non-NULL text value as whatever the target type asks for.
struct TextDeserializer<'de>(&'de str);

impl<'de> TextDeserializer<'de> {
    fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<T, Error> {
        self.0
            .trim()
            .parse()
            .map_err(|_| de::Error::custom(format!("expected {what}")))
    }

    fn json(&self) -> serde_json::Deserializer<serde_json::de::StrRead<'de>> {
        serde_json::Deserializer::from_str(self.0)
    }
}

/// Integer and float methods: parse the text.
macro_rules! parse_numbers {
    ($($method:ident $visit:ident $ty:ty, $what:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.$visit(self.parse::<$ty>($what)?)
        }
    )*};
}

/// Methods of compound types: the text is JSON.
macro_rules! from_json {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Error> {
            let mut json = self.json();
            let value = (&mut json).$method($($arg,)* visitor)?;
            json.end()?;
            Ok(value)
        }
    )*};
}

impl<'de> Deserializer<'de> for TextDeserializer<'de> {
    type Error = Error;

    /// A `serde_json::Value` (or any self-describing type): the text as JSON
    /// when it is JSON, else as a string.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if serde_json::from_str::<de::IgnoredAny>(self.0).is_ok() {
            let mut json = self.json();
            let value = (&mut json).deserialize_any(visitor)?;
            json.end()?;
            Ok(value)
        } else {
            visitor.visit_borrowed_str(self.0)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let text = self.0.trim();
        let value = if ["true", "t", "1"]
            .iter()
            .any(|t| text.eq_ignore_ascii_case(t))
        {
            true
        } else if ["false", "f", "0"]
            .iter()
            .any(|t| text.eq_ignore_ascii_case(t))
        {
            false
        } else {
            return Err(de::Error::custom("expected a boolean (true or false)"));
        };
        visitor.visit_bool(value)
    }

    parse_numbers! {
        deserialize_i8 visit_i8 i8, "an integer (i8)";
        deserialize_i16 visit_i16 i16, "an integer (i16)";
        deserialize_i32 visit_i32 i32, "an integer (i32)";
        deserialize_i64 visit_i64 i64, "an integer (i64)";
        deserialize_i128 visit_i128 i128, "an integer (i128)";
        deserialize_u8 visit_u8 u8, "a non-negative integer (u8)";
        deserialize_u16 visit_u16 u16, "a non-negative integer (u16)";
        deserialize_u32 visit_u32 u32, "a non-negative integer (u32)";
        deserialize_u64 visit_u64 u64, "a non-negative integer (u64)";
        deserialize_u128 visit_u128 u128, "a non-negative integer (u128)";
        deserialize_f32 visit_f32 f32, "a number (f32)";
        deserialize_f64 visit_f64 f64, "a number (f64)";
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let mut chars = self.0.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => visitor.visit_char(c),
            _ => Err(de::Error::custom("expected one character")),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_bytes(self.0.as_bytes())
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_bytes(self.0.as_bytes())
    }

    /// Not `NULL` (that is handled before): `Some`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    from_json! {
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
    }

    /// A unit variant from its name as plain text; other variants from JSON.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if self.0.trim_start().starts_with(['{', '"']) {
            let mut json = self.json();
            let value = (&mut json).deserialize_enum(name, variants, visitor)?;
            json.end()?;
            Ok(value)
        } else {
            visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(self.0))
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldWriter;

    #[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
    struct Tag {
        #[serde(rename = "Key")]
        key: Option<String>,
        #[serde(rename = "Value")]
        value: Option<String>,
    }

    #[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
    enum Status {
        Enabled,
        Suspended,
    }

    #[derive(Debug, Default, PartialEq)]
    struct Row {
        name: Option<String>,
        count: Option<i64>,
        ratio: Option<f64>,
        small: Option<u8>,
        enabled: Option<bool>,
        tags: Option<Vec<Tag>>,
        names: Option<Vec<String>>,
        policy: Option<serde_json::Value>,
        status: Option<Status>,
        required: String,
    }

    impl Record for Row {
        fn write_fields(&self, _: &mut FieldWriter) {}
        fn read_fields(f: &mut FieldReader) -> ReadResult<Self> {
            Ok(Row {
                name: f.take("name")?,
                count: f.take("count")?,
                ratio: f.take("ratio")?,
                small: f.take("small")?,
                enabled: f.take("enabled")?,
                tags: f.take("tags")?,
                names: f.take("names")?,
                policy: f.take("policy")?,
                status: f.take("status")?,
                required: f.take("required")?,
            })
        }
    }

    const COLUMNS: [&str; 10] = [
        "required", "name", "count", "ratio", "small", "enabled", "tags", "names", "policy",
        "status",
    ];

    fn decode(values: [Option<&str>; 10]) -> ReadResult<Row> {
        decode_text_row(&COLUMNS, &values)
    }

    #[test]
    fn every_column_kind_decodes_from_text() {
        let row = decode([
            Some("r"),
            Some(" it's \\ \u{1F600} "),
            Some("-42"),
            Some("2.5e3"),
            Some("255"),
            Some("t"),
            Some(r#"[{"Key":"k","Value":"v"},{"Key":"only"}]"#),
            Some(r#"["a","b"]"#),
            Some(r#"{"Version":"2012-10-17","n":[1,null]}"#),
            Some("Suspended"),
        ])
        .unwrap();
        assert_eq!(row.name.as_deref(), Some(" it's \\ \u{1F600} "));
        assert_eq!(
            (row.count, row.ratio, row.small, row.enabled),
            (Some(-42), Some(2500.0), Some(255), Some(true))
        );
        assert_eq!(
            row.tags.unwrap()[1],
            Tag {
                key: Some("only".into()),
                value: None
            }
        );
        assert_eq!(row.names.unwrap(), ["a", "b"]);
        assert_eq!(row.policy.unwrap()["n"], serde_json::json!([1, null]));
        assert_eq!(row.status, Some(Status::Suspended));
        assert_eq!(row.required, "r");
    }

    #[test]
    fn null_and_missing_columns_are_none() {
        let row = decode([
            Some("r"),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ])
        .unwrap();
        assert_eq!(
            row,
            Row {
                required: "r".into(),
                ..Row::default()
            }
        );
        let row: Row = decode_text_row(&["REQUIRED"], &[Some("x")]).unwrap();
        assert_eq!(row.required, "x", "columns match ignoring ASCII case");
    }

    #[test]
    fn a_value_that_does_not_fit_names_its_field() {
        let cases: [(usize, &str, &str, &str); 7] = [
            (2, "count", "1.5", "expected an integer (i64)"),
            (4, "small", "256", "expected a non-negative integer (u8)"),
            (5, "enabled", "yes", "expected a boolean"),
            (3, "ratio", "fast", "expected a number (f64)"),
            (6, "tags", "{\"Key\":1}", "invalid type: map"),
            (6, "tags", "[{\"Key\":1}]", "invalid type: integer `1`"),
            (9, "status", "Gone", "unknown variant `Gone`"),
        ];
        for (i, field, text, message) in cases {
            let mut values = [None; 10];
            values[0] = Some("r");
            values[i] = Some(text);
            let err = decode(values).unwrap_err();
            assert_eq!(err.field, field, "{text}");
            assert!(err.message.contains(message), "{text}: {}", err.message);
        }
        let err = decode([None; 10]).unwrap_err();
        assert_eq!(
            (err.field, err.message.as_str()),
            ("required", "NULL where a value is required")
        );
        let err = decode_text_row::<Row>(&[], &[]).unwrap_err();
        assert_eq!(err.message, "the result has no such column");
    }

    #[test]
    fn json_values_fall_back_to_strings() {
        let mut values = [None; 10];
        values[0] = Some("r");
        values[8] = Some("not json");
        assert_eq!(decode(values).unwrap().policy, Some("not json".into()));
        values[8] = Some("7");
        assert_eq!(decode(values).unwrap().policy, Some(7.into()));
    }

    #[test]
    fn shorten_cuts_at_characters() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("ééééé", 3), "ééé…");
    }

    #[test]
    fn an_untyped_row_keeps_text_and_reads_objects_and_arrays_as_json() {
        let row: serde_json::Map<String, serde_json::Value> = decode_text_row(
            &["id", "version", "big", "word", "tags", "note", "gone"],
            &[
                Some("a1"),
                Some("1.30"),
                Some("123456789012345678901"),
                Some("null"),
                Some(r#"[{"Key":"k"}]"#),
                Some("{not json"),
                None,
            ],
        )
        .unwrap();
        // Objects and arrays are JSON; every other text is kept as it is.
        assert_eq!(
            serde_json::Value::Object(row.clone()),
            serde_json::json!({
                "id": "a1",
                "version": "1.30",
                "big": "123456789012345678901",
                "word": "null",
                "tags": [{"Key": "k"}],
                "note": "{not json",
                "gone": null
            })
        );
        // The same map from JSON, and back to JSON, unchanged.
        let text = serde_json::to_string(&row).unwrap();
        let again: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&text).unwrap();
        assert_eq!(again, row);
    }
}
