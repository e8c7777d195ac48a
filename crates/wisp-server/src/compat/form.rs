//! Form parameters the way the form-based services read them: the query string and an
//! `application/x-www-form-urlencoded` or `multipart/form-data` body, merged (body after
//! query); for a layer whose service also takes JSON, a JSON object body read into that
//! layer's own typed struct (see [`Form::read_json`]). Values may be secrets, so they are
//! zeroized when the form is dropped.
//!
//! Parsing is bounded: the body by [`MAX_FORM_BYTES`] (refused before reading when declared
//! larger), the number of fields by a cap the caller gives ([`MAX_FIELDS`] unless a layer
//! needs more). Each field costs what its name and value take plus one entry, so a body of
//! many empty keys (`a&a&a&…`) is refused at the cap instead of growing a structure many
//! times its size.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::HeaderMap;
use serde::de::DeserializeOwned;
use url::form_urlencoded;
use zeroize::Zeroizing;

/// Largest form body (the plaintext layers keep secrets well below this).
pub(crate) const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// Most fields (query string and body together) a form may carry unless a layer asks for
/// more: well above what any of the services' operations take.
pub(crate) const MAX_FIELDS: usize = 64;

/// Parsed parameters, in order of appearance.
pub(crate) struct Form {
    fields: Vec<(String, Zeroizing<String>)>,
    max_fields: usize,
}

impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Names only: values may be secrets.
        f.debug_list()
            .entries(self.fields.iter().map(|(k, _)| k))
            .finish()
    }
}

/// Why a request's parameters could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FormError {
    /// The body is larger than [`MAX_FORM_BYTES`].
    TooLarge,
    /// The body could not be read or parsed, or carries more fields than the cap.
    Malformed,
}

/// Whether the request says its body is JSON (`application/json`, with or without
/// parameters such as `charset`).
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

impl Form {
    /// An empty form that takes at most `max_fields` fields.
    pub(crate) fn new(max_fields: usize) -> Self {
        Form {
            fields: Vec::new(),
            max_fields,
        }
    }

    /// The last value of `name` (later values override earlier ones, as in Rack and PHP).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name` (for `name[]` lists).
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether `name` was sent at all.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(k, _)| k == name)
    }

    /// How many fields were read.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.fields.len()
    }

    /// Adds a field, or refuses it when the form already holds its most fields.
    pub(crate) fn push(
        &mut self,
        name: impl Into<String>,
        value: Zeroizing<String>,
    ) -> Result<(), FormError> {
        if self.fields.len() >= self.max_fields {
            return Err(FormError::Malformed);
        }
        self.fields.push((name.into(), value));
        Ok(())
    }

    fn push_urlencoded(&mut self, bytes: &[u8]) -> Result<(), FormError> {
        // A value without escapes is borrowed from `bytes` and copied once into a wiped
        // string; one with escapes is decoded into a new string that is moved, not copied.
        // The parser is lazy: nothing is kept for a field past the cap.
        for (k, v) in form_urlencoded::parse(bytes) {
            if self.fields.len() >= self.max_fields {
                return Err(FormError::Malformed);
            }
            self.fields
                .push((k.into_owned(), Zeroizing::new(v.into_owned())));
        }
        Ok(())
    }

    /// Reads the query string and the body of `request`, at most `max_fields` fields.
    pub(crate) async fn read_up_to(request: Request, max_fields: usize) -> Result<Form, FormError> {
        let mut form = Form::new(max_fields);
        if let Some(query) = request.uri().query() {
            form.push_urlencoded(query.as_bytes())?;
        }
        let content_type = request
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            let mut multipart = Multipart::from_request(request, &())
                .await
                .map_err(|_| FormError::Malformed)?;
            let mut total = 0usize;
            while let Some(field) = multipart
                .next_field()
                .await
                .map_err(|_| FormError::Malformed)?
            {
                if form.fields.len() >= form.max_fields {
                    return Err(FormError::Malformed);
                }
                let name = field.name().unwrap_or_default().to_owned();
                let value = Zeroizing::new(field.text().await.map_err(|_| FormError::Malformed)?);
                total += value.len();
                if total > MAX_FORM_BYTES {
                    return Err(FormError::TooLarge);
                }
                form.push(name, value)?;
            }
            return Ok(form);
        }
        let (parts, body) = request.into_parts();
        let body = read_capped(&parts.headers, body).await?;
        // Anything that is not multipart is read as urlencoded, as PHP and Rack do for
        // clients that forget the content type.
        form.push_urlencoded(&body)?;
        Ok(form)
    }

    /// Reads the query string of `request` into a form of at most `max_fields` fields, and
    /// its body, a JSON object, into `T` (a layer's typed parameters; an empty body is
    /// `T::default()`). The body is read only up to [`MAX_FORM_BYTES`] (a larger declared
    /// length is refused before reading) and parsed in place from that wiped buffer;
    /// anything but an object of `T`'s shape is [`FormError::Malformed`].
    pub(crate) async fn read_json<T: DeserializeOwned + Default>(
        request: Request,
        max_fields: usize,
    ) -> Result<(Form, T), FormError> {
        let mut form = Form::new(max_fields);
        if let Some(query) = request.uri().query() {
            form.push_urlencoded(query.as_bytes())?;
        }
        let (parts, body) = request.into_parts();
        let body = read_capped(&parts.headers, body).await?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok((form, T::default()));
        }
        let parsed = serde_json::from_slice(&body).map_err(|_| FormError::Malformed)?;
        Ok((form, parsed))
    }
}

/// The body, at most [`MAX_FORM_BYTES`], read straight into a wiped buffer (see
/// [`super::read_body`]).
async fn read_capped(
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<Zeroizing<Vec<u8>>, FormError> {
    super::read_body(headers, body, MAX_FORM_BYTES)
        .await
        .map_err(|e| match e {
            super::BodyError::TooLarge => FormError::TooLarge,
            super::BodyError::Failed => FormError::Malformed,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn post(uri: &str, content_type: &str, body: impl Into<Body>) -> Request {
        Request::builder()
            .method("POST")
            .uri(uri)
            .header("content-type", content_type)
            .body(body.into())
            .expect("request")
    }

    const URLENCODED: &str = "application/x-www-form-urlencoded";

    /// A body of 1 MB of `a&` (half a million empty keys) is refused at the field cap: no
    /// structure of half a million entries is built.
    #[tokio::test]
    async fn a_megabyte_of_empty_keys_is_refused_at_the_cap() {
        let body = "a&".repeat(512 * 1024);
        assert_eq!(body.len(), 1024 * 1024);
        let err = Form::read_up_to(post("/share", URLENCODED, body), MAX_FIELDS)
            .await
            .expect_err("refused");
        assert_eq!(err, FormError::Malformed);
        // The same through push_urlencoded directly: it stops with the cap's worth held.
        let mut form = Form::new(MAX_FIELDS);
        let bytes = "a&".repeat(512 * 1024);
        assert_eq!(
            form.push_urlencoded(bytes.as_bytes()),
            Err(FormError::Malformed)
        );
        assert_eq!(form.len(), MAX_FIELDS);
        assert!(form.fields.capacity() <= 2 * MAX_FIELDS);
    }

    /// Exactly the cap is accepted; one more is not. The query string counts too.
    #[tokio::test]
    async fn the_cap_is_exact_and_counts_the_query_string() {
        let at_cap = "a&".repeat(MAX_FIELDS);
        let form = Form::read_up_to(post("/share", URLENCODED, at_cap.clone()), MAX_FIELDS)
            .await
            .expect("at the cap");
        assert_eq!(form.len(), MAX_FIELDS);
        let over = "a&".repeat(MAX_FIELDS + 1);
        assert_eq!(
            Form::read_up_to(post("/share", URLENCODED, over), MAX_FIELDS)
                .await
                .expect_err("over"),
            FormError::Malformed
        );
        assert_eq!(
            Form::read_up_to(post("/share?x=1", URLENCODED, at_cap), MAX_FIELDS)
                .await
                .expect_err("query + body over"),
            FormError::Malformed
        );
        // Empty pairs (`&&&`) are no fields at all, and cost nothing.
        let form = Form::read_up_to(post("/share", URLENCODED, "&".repeat(100_000)), MAX_FIELDS)
            .await
            .expect("only separators");
        assert_eq!(form.len(), 0);
        // A layer may ask for more.
        let many = "c=x&".repeat(300);
        let form = Form::read_up_to(post("/api", URLENCODED, many), 320)
            .await
            .expect("raised cap");
        assert_eq!(form.all("c").len(), 300);
    }

    #[tokio::test]
    async fn multipart_fields_count_against_the_cap() {
        let boundary = "XyZ";
        let mut body = String::new();
        for i in 0..=MAX_FIELDS {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n"
            ));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        let request = post(
            "/share",
            &format!("multipart/form-data; boundary={boundary}"),
            body,
        );
        assert_eq!(
            Form::read_up_to(request, MAX_FIELDS)
                .await
                .expect_err("over the cap"),
            FormError::Malformed
        );
    }

    #[derive(Default, serde::Deserialize)]
    struct Typed {
        a: Option<String>,
    }

    #[tokio::test]
    async fn json_bodies_are_typed_objects_within_the_size_cap() {
        let (form, typed) = Form::read_json::<Typed>(
            post("/x?q=1", "application/json", r#"{"a":"b","other":[1,2]}"#),
            MAX_FIELDS,
        )
        .await
        .expect("object");
        assert_eq!(typed.a.as_deref(), Some("b"));
        assert_eq!(form.get("q"), Some("1"));
        let (_, empty) = Form::read_json::<Typed>(post("/x", "application/json", " "), 4)
            .await
            .expect("empty body");
        assert!(empty.a.is_none());
        for bad in ["[1]", "\"a\"", "42", "{", "{\"a\":1}", "null"] {
            let err = Form::read_json::<Typed>(post("/x", "application/json", bad), 4)
                .await
                .err();
            assert_eq!(err, Some(FormError::Malformed), "{bad}");
        }
        let big = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_FORM_BYTES));
        let err = Form::read_json::<Typed>(post("/x", "application/json", big), 4)
            .await
            .err();
        assert_eq!(err, Some(FormError::TooLarge));
    }

    #[test]
    fn json_content_types() {
        let mut headers = HeaderMap::new();
        for (ct, json) in [
            ("application/json", true),
            ("Application/JSON; charset=utf-8", true),
            ("application/x-www-form-urlencoded", false),
            ("text/json", false),
            ("application/jsonx", false),
        ] {
            headers.insert("content-type", ct.parse().expect("header"));
            assert_eq!(is_json(&headers), json, "{ct}");
        }
        assert!(!is_json(&HeaderMap::new()));
    }
}
