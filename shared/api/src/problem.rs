//! RFC 9457 problem responses.

use bytes::Bytes;
use http::{Response, StatusCode, header};
use serde_json::json;

/// An error answer: `application/problem+json`.
#[derive(Debug, Clone)]
pub struct Problem {
    pub status: u16,
    pub code: &'static str,
    pub title: &'static str,
    pub detail: String,
    pub headers: Vec<(&'static str, String)>,
}

impl Problem {
    pub fn new(
        status: u16,
        code: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Problem {
            status,
            code,
            title,
            detail: detail.into(),
            headers: Vec::new(),
        }
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Problem::new(400, code, "Bad request", detail)
    }

    pub fn not_found() -> Self {
        Problem::new(404, "not_found", "Not found", "no such resource")
    }

    pub fn unavailable(detail: impl Into<String>) -> Self {
        Problem::new(503, "unavailable", "Service unavailable", detail)
    }

    pub fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn into_response(self, instance: &str) -> Response<Bytes> {
        let body = json!({
            "type": format!("https://labrador.dev/problems/{}", self.code),
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        });
        let mut builder = Response::builder()
            .status(StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
            .header(header::CONTENT_TYPE, "application/problem+json");
        for (k, v) in self.headers {
            builder = builder.header(k, v);
        }
        builder
            .body(Bytes::from(body.to_string()))
            .unwrap_or_else(|_| Response::new(Bytes::new()))
    }
}

impl From<labrador_domain::services::ManageError> for Problem {
    fn from(e: labrador_domain::services::ManageError) -> Self {
        use labrador_domain::services::ManageError as M;
        match e {
            M::NotFound => Problem::not_found(),
            M::Expired => Problem::new(410, "expired", "Gone", "the report has expired"),
            M::Conflict(m) => Problem::new(409, "conflict", "Conflict", m),
            M::InvalidCursor => Problem::bad_request("invalid_query", "invalid `cursor`"),
            M::Unavailable(_) => Problem::unavailable("storage is unavailable; retry later"),
        }
    }
}

impl From<labrador_domain::ports::StoreError> for Problem {
    fn from(_: labrador_domain::ports::StoreError) -> Self {
        Problem::unavailable("storage is unavailable; retry later")
    }
}

pub fn json_response(status: u16, value: &impl serde::Serialize) -> Response<Bytes> {
    let body = serde_json::to_vec(value).unwrap_or_default();
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Bytes::from(body))
        .unwrap_or_else(|_| Response::new(Bytes::new()))
}
