//! Large files: `POST /v1/lab-reports/uploads` declares the files and answers one `PUT` target
//! per file; `PUT /v1/lab-reports/{id}/files/{n}` takes a file where the store presigns nothing
//! (the embedded store). On S3 the client puts straight to the presigned URL.

use crate::Api;
use crate::problem::{Problem, json_response};
use crate::upload::{parse_metadata, parse_reference_id, upload_problem};
use bytes::Bytes;
use http::{Request, Response};
use labrador_domain::services::{DeclaredFile, PresignedUploadRequest};
use serde_json::{Value, json};

/// A JSON integer of at least 1; `2.0` is an integer too (JSON Schema counts by value).
fn positive_integer(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < u64::MAX as f64)
            .map(|f| f as u64)
    })
}

fn declared_file(i: usize, value: &Value) -> Result<DeclaredFile, Problem> {
    let bad = |what: &str| Problem::bad_request("invalid_request", format!("files[{i}]: {what}"));
    if !value.is_object() {
        return Err(bad("each file is an object {filename?, mime_type, size}"));
    }
    let text = |name: &str| match value.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(&format!("{name} must be a string"))),
    };
    let size = value
        .get("size")
        .and_then(positive_integer)
        .ok_or_else(|| bad("size (bytes, an integer) is required"))?;
    // Shape, not a limit: a declared size of 0 is malformed (an empty file is no report).
    if size == 0 {
        return Err(bad("size is at least 1 byte"));
    }
    Ok(DeclaredFile {
        file_name: match text("filename")? {
            Some(name) => name,
            None => text("file_name")?.unwrap_or_default(),
        },
        mime_type: text("mime_type")?.ok_or_else(|| bad("mime_type is required"))?,
        size,
    })
}

fn parse(body: &[u8]) -> Result<PresignedUploadRequest, Problem> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| Problem::bad_request("invalid_json", "the body must be a JSON object"))?;
    let files = value
        .get("files")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Problem::bad_request(
                "invalid_request",
                "files: a list of {filename, mime_type, size} is required",
            )
        })?
        .iter()
        .enumerate()
        .map(|(i, f)| declared_file(i, f))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PresignedUploadRequest {
        files,
        reference_id: parse_reference_id(&value, "reference_id")?,
        metadata: parse_metadata(value.get("metadata").unwrap_or(&Value::Null))?,
        request_id: None,
    })
}

impl Api {
    pub(crate) async fn start_presigned_upload(
        &self,
        tenant: &str,
        req: Request<Bytes>,
    ) -> Result<Response<Bytes>, Problem> {
        let mut request = parse(req.body())?;
        request.request_id = req
            .extensions()
            .get::<crate::RequestId>()
            .map(|id| id.0.clone());
        let (record, slots) = self
            .services
            .start_presigned_upload(tenant, request)
            .await
            .map_err(upload_problem)?;
        let files: Vec<Value> = record
            .files
            .iter()
            .zip(&slots)
            .map(|(f, slot)| {
                let url = slot.url.clone().unwrap_or_else(|| {
                    format!("/v1/lab-reports/{}/files/{}", record.id, slot.index)
                });
                json!({
                    "index": f.index,
                    "file_name": f.file_name,
                    "mime_type": f.mime_type,
                    "size": f.size,
                    "upload": {
                        "method": "PUT",
                        "url": url,
                        // Both are signed on S3: a body of another size is refused.
                        "headers": {
                            "content-type": slot.content_type,
                            "content-length": f.size.to_string(),
                        },
                        "expires_at": slot.expires_at,
                        // The API's own route needs the API key; a presigned URL needs nothing.
                        "needs_api_key": slot.url.is_none(),
                    },
                })
            })
            .collect();
        let body = json!({
            "id": record.id,
            "status": record.status,
            "stage": record.stage,
            "reference_id": record.reference_id,
            "uploaded_at": record.uploaded_at,
            "files": files,
        });
        let mut response = json_response(201, &body);
        if let Ok(location) = format!("/v1/lab-reports/{}", record.id).parse() {
            response.headers_mut().insert("location", location);
        }
        Ok(response)
    }

    pub(crate) async fn put_file(
        &self,
        tenant: &str,
        id: &str,
        n: &str,
        req: Request<Bytes>,
    ) -> Result<Response<Bytes>, Problem> {
        if !crate::valid_id(id) {
            return Err(Problem::not_found());
        }
        let n: usize = n.parse().map_err(|_| Problem::not_found())?;
        let record = self
            .services
            .receive_uploaded_file(tenant, id, n, req.into_body())
            .await
            .map_err(upload_problem)?;
        Ok(json_response(
            200,
            &json!({"id": record.id, "status": record.status, "stage": record.stage}),
        ))
    }
}
