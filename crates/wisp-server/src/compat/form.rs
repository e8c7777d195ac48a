//! Form parameters the way the form-based services read them: the query string and an
//! `application/x-www-form-urlencoded` or `multipart/form-data` body, merged (body after
//! query). Values may be secrets, so they are zeroized when the form is dropped.

use axum::extract::{FromRequest, Multipart, Request};
use url::form_urlencoded;
use zeroize::Zeroizing;

/// Largest form body (the plaintext layers keep secrets well below this).
pub(crate) const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// Parsed parameters, in order of appearance.
#[derive(Default)]
pub(crate) struct Form {
    fields: Vec<(String, Zeroizing<String>)>,
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
    /// The body could not be read or parsed.
    Malformed,
}

impl Form {
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

    fn push_urlencoded(&mut self, bytes: &[u8]) {
        // A value without escapes is borrowed from `bytes` and copied once into a wiped
        // string; one with escapes is decoded into a new string that is moved, not copied.
        for (k, v) in form_urlencoded::parse(bytes) {
            self.fields
                .push((k.into_owned(), Zeroizing::new(v.into_owned())));
        }
    }

    /// Reads the query string and the body of `request`.
    pub(crate) async fn read(request: Request) -> Result<Form, FormError> {
        let mut form = Form::default();
        if let Some(query) = request.uri().query() {
            form.push_urlencoded(query.as_bytes());
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
                let name = field.name().unwrap_or_default().to_owned();
                let value = Zeroizing::new(field.text().await.map_err(|_| FormError::Malformed)?);
                total += value.len();
                if total > MAX_FORM_BYTES {
                    return Err(FormError::TooLarge);
                }
                form.fields.push((name, value));
            }
            return Ok(form);
        }
        let (parts, body) = request.into_parts();
        // Read straight into a buffer that is wiped when dropped (see `read_body`).
        let body = super::read_body(&parts.headers, body, MAX_FORM_BYTES)
            .await
            .map_err(|e| match e {
                super::BodyError::TooLarge => FormError::TooLarge,
                super::BodyError::Failed => FormError::Malformed,
            })?;
        // Anything that is not multipart is read as urlencoded, as PHP and Rack do for
        // clients that forget the content type.
        form.push_urlencoded(&body);
        Ok(form)
    }
}
