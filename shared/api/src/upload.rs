//! The uploads: `POST /v1/lab-reports` (multipart or JSON), and the same upload in the shapes
//! of other lab-report APIs' clients: `POST /lab_reports` (a JSON record request answered
//! `{"lab_report": …}`) and `POST /v2/lab-reports` (Terra v2 multipart, answered `{upload_id,
//! files}`). Idempotency keys and bounded synchronous waits apply to each.

use crate::Api;
use crate::problem::Problem;
use crate::request_id::RequestId;
use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, Request, Response, header};
use labrador_domain::engine::model::Report;
use labrador_domain::record::{IdempotentResponse, ReportRecord};
use labrador_domain::services::{Claim, IdempotencyError, IdempotentAnswer};
use labrador_domain::services::{ReportView, UploadError, UploadFile, UploadRequest};
use labrador_domain::webhook_format::{lab_report_record, processing_lab_report_record};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::time::Duration;

/// Which client's request and answer an upload route speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Labrador,
    /// JSON `{mime_type, body, filename, wait_on_process, application_user_id}`; answers 200
    /// with `{"lab_report": record}` (`processing`, or the finished record after a wait).
    LabReportRecord,
    /// Multipart `files` with `?reference_id=`; answers 202 `{upload_id, files[{file_name}]}`.
    TerraV2,
}

impl Shape {
    /// The JSON field that carries the client's reference.
    fn reference_field(self) -> &'static str {
        match self {
            Shape::LabReportRecord => "application_user_id",
            Shape::Labrador | Shape::TerraV2 => "reference_id",
        }
    }
}

/// What the client asked for besides the files.
struct Parsed {
    request: UploadRequest,
    wait: bool,
}

fn query_param(req: &Request<Bytes>, name: &str) -> Option<String> {
    let q = req.uri().query()?;
    form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub(crate) fn parse_metadata(value: &Value) -> Result<BTreeMap<String, String>, Problem> {
    match value {
        Value::Null => Ok(BTreeMap::new()),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(Problem::bad_request(
                    "invalid_metadata",
                    "metadata values must be strings",
                )),
            })
            .collect(),
        _ => Err(Problem::bad_request(
            "invalid_metadata",
            "metadata must be a JSON object of strings",
        )),
    }
}

/// The multipart `wait_on_process` field: `true`/`false` (and the older `1`/`yes`, `0`/`no`).
fn flag(v: &str) -> Result<bool, Problem> {
    match v.trim() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(Problem::bad_request(
            "invalid_wait_on_process",
            "wait_on_process is true or false",
        )),
    }
}

/// An optional string member of a JSON body: absent and `null` are both `None`.
fn optional_text(v: &Value, name: &str, what: &str) -> Result<Option<String>, Problem> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Problem::bad_request(
            "invalid_body",
            format!("{what}`{name}` must be a string"),
        )),
    }
}

/// `Prefer: respond-async` / `Prefer: wait=N`: the wait asked for, if any.
fn prefer_wait(headers: &HeaderMap) -> Option<Option<u64>> {
    let mut wait = None;
    for v in headers.get_all("prefer").iter() {
        let Ok(text) = v.to_str() else { continue };
        for token in text.split([',', ';']).map(str::trim) {
            if token.eq_ignore_ascii_case("respond-async") {
                return Some(None);
            }
            if let Some(n) = token.strip_prefix("wait=") {
                wait = n.trim().parse::<u64>().ok();
            }
        }
    }
    wait.map(Some)
}

async fn parse_multipart(body: Bytes, content_type: &str) -> Result<Parsed, Problem> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| Problem::bad_request("invalid_multipart", "missing multipart boundary"))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let bad = |e: multer::Error| {
        Problem::bad_request(
            "invalid_multipart",
            format!("malformed multipart body: {e}"),
        )
    };
    let mut parsed = Parsed {
        request: UploadRequest::default(),
        wait: false,
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "files" | "file" | "files[]" => {
                let file_name = field.file_name().unwrap_or("").to_string();
                let declared_mime = field.content_type().map(|m| m.to_string());
                let bytes = field.bytes().await.map_err(bad)?;
                parsed.request.files.push(UploadFile {
                    file_name,
                    declared_mime,
                    bytes,
                });
            }
            "reference_id" => parsed.request.reference_id = Some(field.text().await.map_err(bad)?),
            "metadata" => {
                let text = field.text().await.map_err(bad)?;
                let value: Value = serde_json::from_str(&text).map_err(|_| {
                    Problem::bad_request(
                        "invalid_metadata",
                        "metadata must be a JSON object of strings",
                    )
                })?;
                parsed.request.metadata = parse_metadata(&value)?;
            }
            "wait_on_process" => parsed.wait = flag(&field.text().await.map_err(bad)?)?,
            _ => {
                // Unknown fields are read and ignored.
                field.bytes().await.map_err(bad)?;
            }
        }
    }
    Ok(parsed)
}

fn json_file(v: &Value, index: usize) -> Result<UploadFile, Problem> {
    let body = v.get("body").and_then(Value::as_str).ok_or_else(|| {
        Problem::bad_request(
            "invalid_body",
            format!("file {index}: `body` (base64) is required"),
        )
    })?;
    let cleaned: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .map_err(|_| {
            Problem::bad_request(
                "invalid_body",
                format!("file {index}: `body` is not valid base64"),
            )
        })?;
    let what = format!("file {index}: ");
    Ok(UploadFile {
        file_name: optional_text(v, "filename", &what)?.unwrap_or_default(),
        declared_mime: optional_text(v, "mime_type", &what)?,
        bytes: Bytes::from(bytes),
    })
}

fn parse_json(body: &[u8], reference_field: &'static str) -> Result<Parsed, Problem> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|_| Problem::bad_request("invalid_json", "the body is not valid JSON"))?;
    if !v.is_object() {
        return Err(Problem::bad_request(
            "invalid_json",
            "the body must be a JSON object",
        ));
    }
    let mut request = UploadRequest::default();
    match v.get("files") {
        Some(Value::Array(files)) => {
            for (i, f) in files.iter().enumerate() {
                request.files.push(json_file(f, i)?);
            }
        }
        Some(_) => {
            return Err(Problem::bad_request(
                "invalid_json",
                "`files` must be an array",
            ));
        }
        None => {
            if v.get("body").is_some() {
                request.files.push(json_file(&v, 0)?);
            }
        }
    }
    request.reference_id = parse_reference_id(&v, reference_field)?;
    if let Some(m) = v.get("metadata") {
        request.metadata = parse_metadata(m)?;
    }
    let wait = match v.get("wait_on_process") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(Problem::bad_request(
                "invalid_wait_on_process",
                "wait_on_process must be a boolean",
            ));
        }
    };
    Ok(Parsed { request, wait })
}

/// `reference_id` of a JSON body: a string, or absent or `null` for none.
/// The reference id under `field` (`reference_id`, or another client's name for it); `null`
/// means none.
pub(crate) fn parse_reference_id(v: &Value, field: &str) -> Result<Option<String>, Problem> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Problem::bad_request(
            "invalid_reference_id",
            format!("{field} must be a string"),
        )),
    }
}

pub(crate) fn upload_problem(err: UploadError) -> Problem {
    match err {
        UploadError::Invalid {
            code,
            http_status,
            detail,
        } => {
            let title = match http_status {
                404 => "Not found",
                409 => "Conflict",
                413 => "Payload too large",
                415 => "Unsupported media type",
                _ => "Bad request",
            };
            Problem::new(http_status, code, title, detail)
        }
        UploadError::Unavailable(_) => Problem::unavailable("storage is unavailable; retry later"),
    }
}

pub(crate) fn accepted_body(record: &ReportRecord) -> Value {
    json!({
        "id": record.id,
        "status": record.status,
        "stage": record.stage,
        "reference_id": record.reference_id,
        "files": record.files,
        "uploaded_at": record.uploaded_at,
        "rejection": record.rejection,
        "request_id": record.request_id,
    })
}

impl Api {
    pub(crate) async fn upload(
        &self,
        tenant: &str,
        req: Request<Bytes>,
        shape: Shape,
    ) -> Result<Response<Bytes>, Problem> {
        let idem_key = match req.headers().get("idempotency-key") {
            None => None,
            Some(v) => Some(
                v.to_str()
                    .ok()
                    .map(str::trim)
                    .filter(|k| !k.is_empty() && k.len() <= 255)
                    .ok_or_else(|| {
                        Problem::bad_request(
                            "invalid_idempotency_key",
                            "Idempotency-Key must be 1 to 255 visible characters",
                        )
                    })?
                    .to_string(),
            ),
        };
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let request_hash = {
            let mut h = Sha256::new();
            h.update(req.uri().to_string().as_bytes());
            h.update([0]);
            h.update(content_type.as_bytes());
            h.update([0]);
            h.update(req.body());
            hex::encode(h.finalize())
        };
        if let Some(key) = &idem_key {
            match self
                .services
                .claim_idempotency_key(tenant, key, &request_hash)
                .await
            {
                Ok(Claim::Claimed) => {}
                Ok(Claim::Replay(stored)) => return Ok(replay(stored)),
                Err(e) => return Err(idempotency_problem(e)),
            }
        }
        let answer = self
            .upload_once(
                tenant,
                req,
                shape,
                &content_type,
                idem_key.clone(),
                request_hash,
            )
            .await;
        if answer.is_err()
            && let Some(key) = &idem_key
        {
            self.services.release_idempotency_key(tenant, key).await;
        }
        answer
    }

    async fn upload_once(
        &self,
        tenant: &str,
        req: Request<Bytes>,
        shape: Shape,
        content_type: &str,
        idem_key: Option<String>,
        request_hash: String,
    ) -> Result<Response<Bytes>, Problem> {
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let unsupported = |expected: &str| {
            Problem::new(
                415,
                "unsupported_media_type",
                "Unsupported media type",
                format!("send {expected}"),
            )
        };
        let mut parsed = match (shape, mime.as_str()) {
            (Shape::Labrador | Shape::TerraV2, "multipart/form-data") => {
                parse_multipart(req.body().clone(), content_type).await?
            }
            (Shape::Labrador, "application/json")
            | (Shape::LabReportRecord, "application/json" | "") => {
                parse_json(req.body(), shape.reference_field())?
            }
            (Shape::Labrador, _) => {
                return Err(unsupported("multipart/form-data or application/json"));
            }
            (Shape::LabReportRecord, _) => return Err(unsupported("application/json")),
            (Shape::TerraV2, _) => return Err(unsupported("multipart/form-data")),
        };
        parsed.request.request_id = req.extensions().get::<RequestId>().map(|id| id.0.clone());
        if parsed.request.reference_id.is_none() {
            parsed.request.reference_id = query_param(&req, "reference_id");
        }
        let wait = match prefer_wait(req.headers()) {
            Some(None) => None,
            Some(Some(n)) => Some(Duration::from_secs(n).min(self.config.max_wait)),
            None if parsed.wait => Some(self.config.max_wait),
            None => None,
        };

        let record = self
            .services
            .accept_upload(tenant, parsed.request)
            .await
            .map_err(upload_problem)?;
        let location = match shape {
            Shape::LabReportRecord => format!("/lab_reports/{}", record.id),
            Shape::Labrador | Shape::TerraV2 => format!("/v1/lab-reports/{}", record.id),
        };

        let mut finished = None;
        // After a wait that runs out, the answer tells where the report is now, not where it
        // was when it was accepted.
        let mut latest = None;
        if let Some(wait) = wait.filter(|w| !w.is_zero()) {
            match self
                .services
                .wait_for_outcome(tenant, &record.id, wait)
                .await
            {
                Ok(ReportView::Done(report)) => finished = Some(report),
                Ok(ReportView::Pending(now)) => latest = Some(now),
                Err(_) => {}
            }
        } else if shape == Shape::LabReportRecord
            && record.status.is_terminal()
            && let Ok(ReportView::Done(report)) = self.services.view(tenant, &record.id).await
        {
            // Refused at intake (a duplicate): the record says `failed` at once.
            finished = Some(report);
        }
        let current = latest.as_deref().unwrap_or(&record);
        let (status, body) = answer(shape, current, finished.as_deref());
        let headers = vec![
            ("content-type".to_string(), "application/json".to_string()),
            ("location".to_string(), location),
        ];
        if let Some(key) = idem_key {
            let answer = IdempotentAnswer {
                status,
                headers: headers.clone(),
                body: body.clone(),
            };
            self.services
                .store_idempotent_answer(tenant, &key, &request_hash, answer)
                .await;
        }
        let mut builder = Response::builder().status(status);
        for (k, v) in headers {
            builder = builder.header(k, v);
        }
        if wait.is_some() && finished.is_none() {
            builder = builder.header("retry-after", "2");
        }
        Ok(builder.body(Bytes::from(body)).unwrap_or_default())
    }
}

/// The status and body an upload answers in `shape`: the finished report when there is one,
/// else the accepted record.
fn answer(shape: Shape, record: &ReportRecord, finished: Option<&Report>) -> (u16, String) {
    let (status, body) = match (shape, finished) {
        (Shape::Labrador, Some(report)) => {
            return (200, serde_json::to_string(report).unwrap_or_default());
        }
        (Shape::Labrador, None) => (202, accepted_body(record)),
        (Shape::LabReportRecord, Some(report)) => {
            (200, json!({"lab_report": lab_report_record(report)}))
        }
        (Shape::LabReportRecord, None) => (
            200,
            json!({"lab_report": processing_lab_report_record(record)}),
        ),
        (Shape::TerraV2, _) => {
            let files: Vec<Value> = record
                .files
                .iter()
                .map(|f| json!({"file_name": f.file_name}))
                .collect();
            let status = if finished.is_some() { 200 } else { 202 };
            (status, json!({"upload_id": record.id, "files": files}))
        }
    };
    (status, body.to_string())
}

/// The stored answer of an earlier request with the same Idempotency-Key.
fn replay(stored: IdempotentResponse) -> Response<Bytes> {
    let mut builder = Response::builder().status(stored.status);
    for (k, v) in &stored.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    builder
        .header("idempotent-replayed", "true")
        .body(Bytes::from(stored.body))
        .unwrap_or_default()
}

fn idempotency_problem(e: IdempotencyError) -> Problem {
    match e {
        IdempotencyError::Reused => Problem::new(
            422,
            "idempotency_key_reused",
            "Idempotency key reused",
            e.to_string(),
        ),
        IdempotencyError::InProgress => Problem::new(
            409,
            "idempotency_key_in_progress",
            "Request in progress",
            format!("{e}; retry shortly"),
        )
        .with_header("retry-after", "1".into()),
        IdempotencyError::Contended => Problem::unavailable(format!("{e}; retry later")),
        IdempotencyError::Store(e) => e.into(),
    }
}
