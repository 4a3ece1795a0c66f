//! `X-Request-Id`: the client's when it is sane (1–128 characters of `A-Z a-z 0-9 . _ : -`),
//! else a new UUID; every response carries it and a report keeps the one of its upload.

use http::HeaderMap;

pub const HEADER: &str = "x-request-id";

/// The request id of a request, as a request extension for the handlers that keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

fn sane(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'))
}

/// The incoming `X-Request-Id` when sane, else a new one.
pub fn request_id(headers: &HeaderMap) -> RequestId {
    let given = headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|id| sane(id));
    RequestId(
        given
            .map(str::to_string)
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &[u8]) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(HEADER, http::HeaderValue::from_bytes(value).unwrap());
        h
    }

    #[test]
    fn sane_ids_are_kept_and_others_replaced() {
        assert_eq!(request_id(&with(b"abc-123:x.y_z")).0, "abc-123:x.y_z");
        let long = "a".repeat(129);
        for bad in [
            "has space".as_bytes(),
            b"semi;colon",
            "\u{fc}n\u{ef}".as_bytes(),
            long.as_bytes(),
            b"",
        ] {
            let id = request_id(&with(bad)).0;
            assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
        }
        let fresh = request_id(&HeaderMap::new()).0;
        assert!(uuid::Uuid::parse_str(&fresh).is_ok());
    }
}
