//! API Gateway HTTP API (payload v2) ↔ the shared `http::Request<Bytes>` handler.

use bytes::Bytes;
use lambda_http::{Body, Request, Response, service_fn};
use std::convert::Infallible;
use std::future::Future;

/// The Lambda request as a plain `http` request; lambda_http has already decoded a base64 body.
pub fn into_http_request(request: Request) -> http::Request<Bytes> {
    let (parts, body) = request.into_parts();
    let bytes = match body {
        Body::Empty => Bytes::new(),
        Body::Text(text) => Bytes::from(text),
        Body::Binary(binary) => Bytes::from(binary),
        other => Bytes::copy_from_slice(other.as_ref()),
    };
    http::Request::from_parts(parts, bytes)
}

fn is_text(headers: &http::HeaderMap) -> bool {
    let Some(content_type) = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime.starts_with("text/") || mime.ends_with("json") || mime.ends_with("+xml")
}

/// The handler's response as a Lambda response: text types as text, anything else base64.
pub fn into_lambda_response(response: http::Response<Bytes>) -> Response<Body> {
    let (parts, body) = response.into_parts();
    let body = if body.is_empty() {
        Body::Empty
    } else if is_text(&parts.headers) {
        match String::from_utf8(body.to_vec()) {
            Ok(text) => Body::Text(text),
            Err(err) => Body::Binary(err.into_bytes()),
        }
    } else {
        Body::Binary(body.to_vec())
    };
    Response::from_parts(parts, body)
}

/// One Lambda HTTP invocation through `handler`.
pub async fn handle_http<F, Fut>(handler: &F, request: Request) -> Response<Body>
where
    F: Fn(http::Request<Bytes>) -> Fut,
    Fut: Future<Output = http::Response<Bytes>>,
{
    into_lambda_response(handler(into_http_request(request)).await)
}

/// Runs the Lambda HTTP runtime loop with `handler` (build clients before calling this).
pub async fn run_http<F, Fut>(handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(http::Request<Bytes>) -> Fut + Sync,
    Fut: Future<Output = http::Response<Bytes>> + Send,
{
    let handler = &handler;
    lambda_http::run(service_fn(move |request: Request| async move {
        Ok::<_, Infallible>(handle_http(handler, request).await)
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_stays_text_and_binary_is_binary() {
        let json = http::Response::builder()
            .header("content-type", "application/problem+json")
            .body(Bytes::from_static(b"{\"status\":404}"))
            .unwrap();
        assert!(
            matches!(into_lambda_response(json).body(), Body::Text(t) if t == "{\"status\":404}")
        );
        let pdf = http::Response::builder()
            .header("content-type", "application/pdf")
            .body(Bytes::from_static(b"%PDF\xff"))
            .unwrap();
        assert!(matches!(into_lambda_response(pdf).body(), Body::Binary(_)));
        let empty = http::Response::builder()
            .status(204)
            .body(Bytes::new())
            .unwrap();
        assert!(matches!(into_lambda_response(empty).body(), Body::Empty));
    }

    #[test]
    fn request_body_and_uri_survive() {
        let request = http::Request::builder()
            .method("POST")
            .uri("https://example.com/v1/lab-reports?reference_id=p1")
            .body(Body::Binary(vec![1, 2, 3]))
            .unwrap();
        let plain = into_http_request(request);
        assert_eq!(plain.uri().query(), Some("reference_id=p1"));
        assert_eq!(plain.body().as_ref(), &[1, 2, 3]);
    }
}
