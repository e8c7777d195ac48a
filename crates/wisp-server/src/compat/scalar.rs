//! One JSON field read without building a tree: its kind, and its value when it is a
//! scalar. Layers whose request bodies mix types (Burn the Secret names the field whose type
//! is wrong) read each field as a [`Scalar`]: a nested array or object is skipped as it is
//! parsed, never kept, so no body can make the server hold more than the body itself.

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A JSON value as far as a layer needs it.
#[derive(Debug, PartialEq)]
pub(crate) enum Scalar {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A non-negative integer that fits in 64 bits.
    U64(u64),
    /// Any other number (negative, fractional, too large).
    OtherNumber,
    /// A string.
    Str(String),
    /// An array or object (skipped, not kept).
    Nested,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::U64(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(u64::try_from(v).map_or(Scalar::OtherNumber, Scalar::U64))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Scalar, E> {
                Ok(Scalar::OtherNumber)
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Nested)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Nested)
            }
        }
        d.deserialize_any(Visit)
    }
}

/// For `#[serde(default, deserialize_with = "present")]`: a field that is there, `null`
/// included, is `Some`; only an absent one is `None`.
pub(crate) fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Scalar>, D::Error> {
    Scalar::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Body {
        #[serde(default, deserialize_with = "present")]
        a: Option<Scalar>,
        #[serde(default, deserialize_with = "present")]
        b: Option<Scalar>,
    }

    #[test]
    fn kinds_are_read_and_nesting_is_skipped() {
        let body: Body = serde_json::from_str(
            r#"{"a": [1, {"x": [2, 3]}], "junk": {"deep": [[[]]]}, "b": null}"#,
        )
        .expect("parse");
        assert_eq!(body.a, Some(Scalar::Nested));
        assert_eq!(body.b, Some(Scalar::Null));
        let body: Body = serde_json::from_str(r#"{"a": -1, "b": "s"}"#).expect("parse");
        assert_eq!(body.a, Some(Scalar::OtherNumber));
        assert_eq!(body.b, Some(Scalar::Str("s".into())));
        let body: Body = serde_json::from_str("{}").expect("parse");
        assert_eq!((body.a, body.b), (None, None));
    }
}
