//! Large files: `POST /v1/lab-reports/uploads` declares the files and answers one `PUT` target
//! per file; `PUT /v1/lab-reports/{id}/files/{n}` takes a file where the store presigns nothing
//! (the embedded store). On S3 the client puts straight to the presigned URL.

use crate::Api;
use crate::problem::{Problem, json_response};
use crate::upload::{parse_metadata, upload_problem};
use bytes::Bytes;
use http::{Request, Response};
use labrador_domain::services::{DeclaredFile, PresignedUploadRequest};
use serde_json::{Value, json};

fn declared_file(i: usize, value: &Value) -> Result<DeclaredFile, Problem> {
    let text = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_string);
    let bad = |what: &str| Problem::bad_request("invalid_request", format!("files[{i}]: {what}"));
    Ok(DeclaredFile {
        file_name: text("filename")
            .or_else(|| text("file_name"))
            .unwrap_or_default(),
        mime_type: text("mime_type").ok_or_else(|| bad("mime_type is required"))?,
        size: value
            .get("size")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("size (bytes, an integer) is required"))?,
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
    let reference_id = match value.get("reference_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(r)) => Some(r.clone()),
        Some(_) => {
            return Err(Problem::bad_request(
                "invalid_reference_id",
                "reference_id must be a string",
            ));
        }
    };
    Ok(PresignedUploadRequest {
        files,
        reference_id,
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
