//! Field-by-field serde support of the generated structs ([`Record`]).

use crate::text;
use ::std::fmt;

/// Field-by-field serde support of the generated structs.
///
/// Each generated struct implements [`Record`] (one line per field, naming
/// its wire name) and `Serialize`/`Deserialize` impls that delegate to
/// [`serialize_record`] and [`deserialize_record`]. One generic body here replaces a derived impl per
/// struct, which keeps the generated crate cheap to compile. The wire form is
/// what `#[derive]` with `skip_serializing_if = "Option::is_none"` and
/// `default` would give: a JSON object of the set fields in declaration
/// order; unknown fields are ignored when reading; a missing optional field
/// reads as `None`.
pub trait Record: Sized {
    /// Writes the fields that are set, under their wire names, in order.
    fn write_fields(&self, out: &mut FieldWriter);
    /// Builds the value from the fields of a JSON object.
    fn read_fields(fields: &mut FieldReader<'_>) -> ReadResult<Self>;
}

/// What [`Record::read_fields`] returns.
pub type ReadResult<T> = Result<T, FieldError>;

/// A field that could not be read or written, with its wire name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's wire name.
    pub field: &'static str,
    /// What was wrong with it.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field `{}`: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// Collects the fields of a [`Record`] as a JSON object.
#[derive(Debug, Default)]
pub struct FieldWriter {
    map: serde_json::Map<String, serde_json::Value>,
    error: Option<FieldError>,
}

impl FieldWriter {
    /// Writes a field that is always present.
    pub fn put<V: serde::Serialize + ?Sized>(&mut self, field: &'static str, value: &V) {
        match serde_json::to_value(value) {
            Ok(v) => {
                self.map.insert(field.to_string(), v);
            }
            Err(e) => {
                self.error.get_or_insert(FieldError {
                    field,
                    message: e.to_string(),
                });
            }
        }
    }

    /// Writes an optional field when it is set.
    pub fn opt<V: serde::Serialize>(&mut self, field: &'static str, value: &Option<V>) {
        if let Some(v) = value {
            self.put(field, v);
        }
    }
}

/// The fields of a record, taken one by one by [`Record::read_fields`]:
/// those of a JSON object, or the text columns of a result row
/// ([`decode_text_row`](crate::decode_text_row)).
#[derive(Debug, Default)]
pub struct FieldReader<'a> {
    pub(crate) source: FieldSource<'a>,
}

#[derive(Debug)]
pub(crate) enum FieldSource<'a> {
    Json(serde_json::Map<String, serde_json::Value>),
    Text(text::TextColumns<'a>),
}

impl Default for FieldSource<'_> {
    fn default() -> Self {
        FieldSource::Json(serde_json::Map::new())
    }
}

impl FieldReader<'_> {
    /// Takes the field `field` as a `T`. A missing field reads as JSON
    /// `null` (SQL `NULL` in a row), so an `Option` is `None` and anything
    /// else is an error.
    pub fn take<T: serde::de::DeserializeOwned>(&mut self, field: &'static str) -> ReadResult<T> {
        let err = |message: String| FieldError { field, message };
        match &mut self.source {
            FieldSource::Json(map) => match map.remove(field) {
                Some(v) => serde_json::from_value(v).map_err(|e| err(e.to_string())),
                None => serde_json::from_value(serde_json::Value::Null)
                    .map_err(|_| err("missing field".to_string())),
            },
            FieldSource::Text(columns) => columns.take(field),
        }
    }

    /// Takes every field by name: the members of a JSON object that no
    /// [`take`](FieldReader::take) has taken, or every column of a result
    /// row, a text value that is a JSON object or array as that JSON and any
    /// other as its string (SQL `NULL` as `null`).
    pub fn take_all(&mut self) -> serde_json::Map<String, serde_json::Value> {
        match &mut self.source {
            FieldSource::Json(map) => std::mem::take(map),
            FieldSource::Text(columns) => columns.all(),
        }
    }
}

/// The row of a table whose page lists no columns (an empty Fields table,
/// read with `SELECT *`): every column the statement returns, by name, as
/// JSON. Generated code names it as the row type of such a resource.
impl Record for serde_json::Map<String, serde_json::Value> {
    fn write_fields(&self, out: &mut FieldWriter) {
        out.map
            .extend(self.iter().map(|(k, v)| (k.clone(), v.clone())));
    }

    fn read_fields(fields: &mut FieldReader<'_>) -> ReadResult<Self> {
        Ok(fields.take_all())
    }
}

/// What `Serialize::serialize` returns (keeps the generated impls short).
pub type SerResult<S> = Result<<S as serde::Serializer>::Ok, <S as serde::Serializer>::Error>;

/// What `Deserialize::deserialize` returns (keeps the generated impls short).
pub type DeResult<'de, D, T> = Result<T, <D as serde::Deserializer<'de>>::Error>;

/// `Serialize` of a [`Record`]: the JSON object of its set fields.
pub fn serialize_record<T: Record, S: serde::Serializer>(value: &T, s: S) -> SerResult<S> {
    let mut out = FieldWriter::default();
    value.write_fields(&mut out);
    match out.error {
        Some(e) => Err(serde::ser::Error::custom(e)),
        None => serde::Serialize::serialize(&out.map, s),
    }
}

/// `Deserialize` of a [`Record`] from a JSON object.
pub fn deserialize_record<'de, T: Record, D: serde::Deserializer<'de>>(
    d: D,
) -> DeResult<'de, D, T> {
    let map: serde_json::Map<String, serde_json::Value> = serde::Deserialize::deserialize(d)?;
    T::read_fields(&mut FieldReader {
        source: FieldSource::Json(map),
    })
    .map_err(serde::de::Error::custom)
}
