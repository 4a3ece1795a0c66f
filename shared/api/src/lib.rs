//! The HTTP API (`openapi.yaml` beside this crate) as one handler over `http::Request`, served by lambda_http
//! and by the local runner. Errors are RFC 9457 problems; bad input never panics.

mod auth;
mod endpoint;
mod fhir;
mod presigned;
mod problem;
mod reports;
mod request_id;
mod upload;

pub use auth::{generate_api_key, hash_api_key, valid_tenant};
pub use problem::Problem;
pub use request_id::RequestId;

use bytes::Bytes;
use http::{Method, Request, Response};
use labrador_domain::services::Services;
use labrador_domain::webhook_url::GuardPolicy;
use std::time::Duration;
use tracing::Instrument;
use upload::Shape;

/// The OpenAPI 3.1 document of this API.
pub const OPENAPI_YAML: &str = include_str!("../openapi.yaml");

#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Longest synchronous wait (`Prefer: wait=N`, `wait_on_process`); under API Gateway's 30 s.
    pub max_wait: Duration,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// Which webhook URLs may be configured.
    pub webhook_guard: GuardPolicy,
    /// Lifetime of presigned download URLs.
    pub presign_ttl: Duration,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            max_wait: Duration::from_secs(25),
            max_body_bytes: 110 * 1024 * 1024,
            webhook_guard: GuardPolicy::PRODUCTION,
            presign_ttl: Duration::from_secs(300),
        }
    }
}

#[derive(Clone)]
pub struct Api {
    pub services: Services,
    pub config: ApiConfig,
}

/// Every route of the handler: path template and methods (kept in step with the router by a
/// unit test, and with `openapi.yaml` by the contract test).
pub const ROUTES: &[(&str, &[&str])] = &[
    ("/health", &["GET"]),
    ("/v1/openapi.yaml", &["GET"]),
    ("/v1/lab-reports", &["GET", "POST"]),
    ("/v1/lab-reports/uploads", &["POST"]),
    ("/v1/lab-reports/{id}", &["GET", "DELETE"]),
    ("/v1/lab-reports/{id}/fhir", &["GET"]),
    ("/v1/lab-reports/{id}/files/{n}", &["GET", "PUT"]),
    ("/v1/lab-reports/{id}/reprocess", &["POST"]),
    ("/v1/lab-reports/{id}/deliveries", &["GET", "POST"]),
    ("/v1/webhook-endpoint", &["GET", "PUT", "DELETE"]),
    ("/v1/webhook-endpoint/rotate-secret", &["POST"]),
    ("/lab_reports", &["POST"]),
    ("/lab_reports/{id}", &["GET"]),
    ("/v2/lab-reports", &["POST"]),
];

/// A matched route.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    Reports,
    Uploads,
    Report(String),
    Fhir(String),
    File(String, String),
    Reprocess(String),
    Deliveries(String),
    Endpoint,
    RotateSecret,
    /// `POST /lab_reports`: the upload of record-style lab-report clients.
    RecordUpload,
    /// `GET /lab_reports/{id}`: a report as a lab-report record.
    Record(String),
    /// `POST /v2/lab-reports`: the upload of Terra v2 clients.
    TerraUpload,
    Health,
    OpenApi,
}

impl Route {
    fn parse(path: &str) -> Option<Route> {
        let segs: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        let id = |s: &str| s.to_string();
        Some(match segs.as_slice() {
            ["health"] => Route::Health,
            ["v1", "openapi.yaml"] => Route::OpenApi,
            ["v1", "lab-reports"] => Route::Reports,
            ["v1", "lab-reports", "uploads"] => Route::Uploads,
            ["v1", "lab-reports", r] => Route::Report(id(r)),
            ["v1", "lab-reports", r, "fhir"] => Route::Fhir(id(r)),
            ["v1", "lab-reports", r, "files", n] => Route::File(id(r), id(n)),
            ["v1", "lab-reports", r, "reprocess"] => Route::Reprocess(id(r)),
            ["v1", "lab-reports", r, "deliveries"] => Route::Deliveries(id(r)),
            ["v1", "webhook-endpoint"] => Route::Endpoint,
            ["v1", "webhook-endpoint", "rotate-secret"] => Route::RotateSecret,
            ["lab_reports"] => Route::RecordUpload,
            ["lab_reports", r] => Route::Record(id(r)),
            ["v2", "lab-reports"] => Route::TerraUpload,
            _ => return None,
        })
    }

    fn methods(&self) -> &'static [Method] {
        match self {
            Route::Reports => &[Method::GET, Method::POST],
            Route::Report(_) => &[Method::GET, Method::DELETE],
            Route::Fhir(_) | Route::Record(_) | Route::Health | Route::OpenApi => &[Method::GET],
            Route::File(..) => &[Method::GET, Method::PUT],
            Route::Uploads
            | Route::Reprocess(_)
            | Route::RotateSecret
            | Route::RecordUpload
            | Route::TerraUpload => &[Method::POST],
            Route::Deliveries(_) => &[Method::GET, Method::POST],
            Route::Endpoint => &[Method::GET, Method::PUT, Method::DELETE],
        }
    }
}

/// Report ids are UUIDs; anything else is simply not found (and never reaches storage keys).
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

impl Api {
    pub fn new(services: Services, config: ApiConfig) -> Self {
        Api { services, config }
    }

    /// Answers one request; the answer carries the request's `X-Request-Id`.
    pub async fn handle(&self, mut req: Request<Bytes>) -> Response<Bytes> {
        let path = req.uri().path().to_string();
        let request_id = request_id::request_id(req.headers());
        let span = tracing::info_span!("request", request_id = %request_id.0);
        req.extensions_mut().insert(request_id.clone());
        let mut response = match self.route(req).instrument(span).await {
            Ok(r) => r,
            Err(p) => p.into_response(&path),
        };
        if let Ok(value) = http::HeaderValue::from_str(&request_id.0) {
            response.headers_mut().insert(request_id::HEADER, value);
        }
        response
    }

    async fn route(&self, req: Request<Bytes>) -> Result<Response<Bytes>, Problem> {
        let route = Route::parse(req.uri().path()).ok_or_else(Problem::not_found)?;
        if !route.methods().contains(req.method()) {
            let allow: Vec<&str> = route.methods().iter().map(Method::as_str).collect();
            return Err(Problem::new(
                405,
                "method_not_allowed",
                "Method not allowed",
                format!("allowed: {}", allow.join(", ")),
            )
            .with_header("allow", allow.join(", ")));
        }
        match route {
            Route::Health => {
                return Ok(problem::json_response(
                    200,
                    &serde_json::json!({"status": "ok"}),
                ));
            }
            Route::OpenApi => {
                return Ok(Response::builder()
                    .header("content-type", "application/yaml")
                    .body(Bytes::from_static(OPENAPI_YAML.as_bytes()))
                    .unwrap_or_default());
            }
            _ => {}
        }
        if req.body().len() > self.config.max_body_bytes {
            return Err(Problem::new(
                413,
                "too_large",
                "Payload too large",
                "the request body is too large",
            ));
        }
        let tenant = auth::authenticate(&self.services, req.headers()).await?;
        let method = req.method().clone();
        match (route, method) {
            (Route::Reports, Method::POST) => self.upload(&tenant, req, Shape::Labrador).await,
            (Route::RecordUpload, _) => self.upload(&tenant, req, Shape::LabReportRecord).await,
            (Route::TerraUpload, _) => self.upload(&tenant, req, Shape::TerraV2).await,
            (Route::Record(id), _) => self.get_lab_report_record(&tenant, &id).await,
            (Route::Reports, _) => self.list(&tenant, &req).await,
            (Route::Uploads, _) => self.start_presigned_upload(&tenant, req).await,
            (Route::Report(id), Method::GET) => self.get_report(&tenant, &id, &req).await,
            (Route::Report(id), _) => self.delete_report(&tenant, &id).await,
            (Route::Fhir(id), _) => self.fhir(&tenant, &id).await,
            (Route::File(id, n), Method::PUT) => self.put_file(&tenant, &id, &n, req).await,
            (Route::File(id, n), _) => self.file(&tenant, &id, &n).await,
            (Route::Reprocess(id), _) => self.reprocess(&tenant, &id).await,
            (Route::Deliveries(id), Method::POST) => self.redeliver(&tenant, &id).await,
            (Route::Deliveries(id), _) => self.deliveries(&tenant, &id).await,
            (Route::Endpoint, Method::PUT) => self.put_endpoint(&tenant, &req).await,
            (Route::Endpoint, Method::GET) => self.get_endpoint(&tenant).await,
            (Route::Endpoint, _) => self.delete_endpoint(&tenant).await,
            (Route::RotateSecret, _) => self.rotate_secret(&tenant).await,
            (Route::Health | Route::OpenApi, _) => Err(Problem::not_found()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_table_matches_router() {
        let mut seen = Vec::new();
        for (template, methods) in ROUTES {
            let path = template.replace("{id}", "abc").replace("{n}", "0");
            let route = Route::parse(&path).unwrap_or_else(|| panic!("{template} not routed"));
            let mut got: Vec<&str> = route.methods().iter().map(Method::as_str).collect();
            let mut want = methods.to_vec();
            got.sort();
            want.sort();
            assert_eq!(got, want, "{template}");
            seen.push(std::mem::discriminant(&route));
        }
        // Every variant of the router appears in the table.
        let all = [
            Route::Reports,
            Route::Uploads,
            Route::Report(String::new()),
            Route::Fhir(String::new()),
            Route::File(String::new(), String::new()),
            Route::Reprocess(String::new()),
            Route::Deliveries(String::new()),
            Route::Endpoint,
            Route::RotateSecret,
            Route::RecordUpload,
            Route::Record(String::new()),
            Route::TerraUpload,
            Route::Health,
            Route::OpenApi,
        ];
        for r in &all {
            // A new variant must be added here (exhaustive match) and to ROUTES.
            match r {
                Route::Reports
                | Route::Uploads
                | Route::Report(_)
                | Route::Fhir(_)
                | Route::File(..)
                | Route::Reprocess(_)
                | Route::Deliveries(_)
                | Route::Endpoint
                | Route::RotateSecret
                | Route::RecordUpload
                | Route::Record(_)
                | Route::TerraUpload
                | Route::Health
                | Route::OpenApi => {}
            }
            assert!(
                seen.contains(&std::mem::discriminant(r)),
                "{r:?} missing from ROUTES"
            );
        }
    }

    #[test]
    fn routes() {
        assert_eq!(Route::parse("/v1/lab-reports"), Some(Route::Reports));
        assert_eq!(Route::parse("/v1/lab-reports/"), Some(Route::Reports));
        assert_eq!(
            Route::parse("/v1/lab-reports/uploads"),
            Some(Route::Uploads)
        );
        assert_eq!(
            Route::parse("/v1/lab-reports/x/files/0"),
            Some(Route::File("x".into(), "0".into()))
        );
        assert_eq!(Route::parse("/v1/lab-reports/x/y"), None);
        assert_eq!(Route::parse("/v2/lab-reports"), Some(Route::TerraUpload));
        assert_eq!(
            Route::parse("/lab_reports/x"),
            Some(Route::Record("x".into()))
        );
        assert_eq!(Route::parse("/v2/reports"), None);
        assert_eq!(Route::parse(""), None);
    }
}
