//! Reading (also as a lab-report record, `GET /lab_reports/{id}`), listing, downloading,
//! deleting, reprocessing and redelivering reports.

use crate::problem::{Problem, json_response};
use crate::{Api, valid_id};
use bytes::Bytes;
use http::{Request, Response};
use labrador_domain::engine::model::{MatchStatus, Status};
use labrador_domain::ports::ListFilter;
use labrador_domain::record::ReportRecord;
use labrador_domain::services::{ReportView, file_key};
use labrador_domain::webhook_format::{lab_report_record, processing_lab_report_record};
use serde_json::json;

fn summary(r: &ReportRecord) -> serde_json::Value {
    json!({
        "id": r.id,
        "status": r.status,
        "stage": r.stage,
        "reference_id": r.reference_id,
        "metadata": r.metadata,
        "files": r.files,
        "uploaded_at": r.uploaded_at,
        "updated_at": r.updated_at,
        "rejection": r.rejection,
        "error": r.error,
        "request_id": r.request_id,
    })
}

fn checked(id: &str) -> Result<&str, Problem> {
    if valid_id(id) {
        Ok(id)
    } else {
        Err(Problem::not_found())
    }
}

fn query(req: &Request<Bytes>) -> Vec<(String, String)> {
    req.uri()
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

fn rfc3339(name: &str, v: &str) -> Result<String, Problem> {
    chrono::DateTime::parse_from_rfc3339(v)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        })
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").map(|d| format!("{d}T00:00:00.000Z"))
        })
        .map_err(|_| {
            Problem::bad_request(
                "invalid_query",
                format!("`{name}` must be an RFC 3339 time or a date"),
            )
        })
}

/// A `reference_id` filter has the shape of a reference id (`ReferenceId` in openapi.yaml).
fn reference_id_filter(v: String, max: usize) -> Result<String, Problem> {
    if v.is_empty() || v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(Problem::bad_request(
            "invalid_query",
            format!("`reference_id` is 1 to {max} characters, no control characters"),
        ));
    }
    Ok(v)
}

/// `?match_status=needs_review,unmatched`: the statuses of the results a client wants to see.
fn match_status_filter(req: &Request<Bytes>) -> Result<Option<Vec<MatchStatus>>, Problem> {
    let Some((_, v)) = query(req).into_iter().find(|(k, _)| k == "match_status") else {
        return Ok(None);
    };
    v.split(',')
        .map(|s| {
            serde_json::from_value::<MatchStatus>(json!(s.trim())).map_err(|_| {
                Problem::bad_request(
                    "invalid_query",
                    "`match_status` is a comma-separated list of auto, needs_review, unmatched",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

impl Api {
    pub(crate) async fn get_report(
        &self,
        tenant: &str,
        id: &str,
        req: &Request<Bytes>,
    ) -> Result<Response<Bytes>, Problem> {
        let only = match_status_filter(req)?;
        match self.services.view(tenant, checked(id)?).await? {
            ReportView::Done(mut report) => {
                if let Some(only) = only {
                    report.retain_results(|r| only.contains(&r.match_status));
                }
                Ok(json_response(200, &report))
            }
            ReportView::Pending(record) => {
                let mut r = json_response(202, &summary(&record));
                r.headers_mut()
                    .insert("retry-after", http::HeaderValue::from_static("2"));
                Ok(r)
            }
        }
    }

    /// `GET /lab_reports/{id}`: 200 with `{"lab_report": record}`, whose `status` is
    /// `processing` until the report is done, then `completed` or `failed`.
    pub(crate) async fn get_lab_report_record(
        &self,
        tenant: &str,
        id: &str,
    ) -> Result<Response<Bytes>, Problem> {
        let record = match self.services.view(tenant, checked(id)?).await? {
            ReportView::Done(report) => lab_report_record(&report),
            ReportView::Pending(record) => processing_lab_report_record(&record),
        };
        Ok(json_response(200, &json!({"lab_report": record})))
    }

    pub(crate) async fn list(
        &self,
        tenant: &str,
        req: &Request<Bytes>,
    ) -> Result<Response<Bytes>, Problem> {
        let mut filter = ListFilter {
            limit: 20,
            ..ListFilter::default()
        };
        for (k, v) in query(req) {
            match k.as_str() {
                "reference_id" => {
                    filter.reference_id = Some(reference_id_filter(
                        v,
                        self.services.config.max_reference_id,
                    )?)
                }
                "status" => {
                    filter.status =
                        Some(serde_json::from_value::<Status>(json!(v)).map_err(|_| {
                            Problem::bad_request("invalid_query", "unknown `status`")
                        })?)
                }
                "from" => filter.from = Some(rfc3339("from", &v)?),
                "to" => filter.to = Some(rfc3339("to", &v)?),
                "cursor" if v.is_empty() => {
                    return Err(Problem::bad_request("invalid_query", "`cursor` is empty"));
                }
                "cursor" => filter.cursor = Some(v),
                "limit" => {
                    filter.limit = v
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=100).contains(n))
                        .ok_or_else(|| {
                            Problem::bad_request("invalid_query", "`limit` is 1 to 100")
                        })?
                }
                _ => {}
            }
        }
        let page = self.services.list_reports(tenant, &filter).await?;
        let data: Vec<_> = page.records.iter().map(summary).collect();
        Ok(json_response(
            200,
            &json!({"data": data, "next_cursor": page.next_cursor}),
        ))
    }

    pub(crate) async fn fhir(&self, tenant: &str, id: &str) -> Result<Response<Bytes>, Problem> {
        match self.services.view(tenant, checked(id)?).await? {
            ReportView::Pending(_) => Err(Problem::new(
                409,
                "not_ready",
                "Not ready",
                "the report is still being processed",
            )
            .with_header("retry-after", "2".into())),
            ReportView::Done(report) => crate::fhir::bundle_response(&report),
        }
    }

    pub(crate) async fn file(
        &self,
        tenant: &str,
        id: &str,
        n: &str,
    ) -> Result<Response<Bytes>, Problem> {
        let record = self.services.record(tenant, checked(id)?).await?;
        let n: usize = n.parse().map_err(|_| Problem::not_found())?;
        let info = record
            .files
            .iter()
            .find(|f| f.index == n)
            .ok_or_else(Problem::not_found)?;
        let key = file_key(tenant, id, n);
        if let Some(url) = self
            .services
            .blobs
            .presigned_get_url(&key, self.config.presign_ttl)
            .await?
        {
            return Ok(Response::builder()
                .status(302)
                .header("location", url)
                .body(Bytes::new())
                .unwrap_or_default());
        }
        let bytes = self
            .services
            .blobs
            .get(&key)
            .await?
            .ok_or_else(Problem::not_found)?;
        let safe_name: String = info
            .file_name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            .collect();
        Ok(Response::builder()
            .status(200)
            .header("content-type", info.mime_type.as_str())
            .header(
                "content-disposition",
                format!("attachment; filename=\"{safe_name}\""),
            )
            .body(bytes)
            .unwrap_or_default())
    }

    pub(crate) async fn delete_report(
        &self,
        tenant: &str,
        id: &str,
    ) -> Result<Response<Bytes>, Problem> {
        self.services.delete(tenant, checked(id)?).await?;
        Ok(Response::builder()
            .status(204)
            .body(Bytes::new())
            .unwrap_or_default())
    }

    pub(crate) async fn reprocess(
        &self,
        tenant: &str,
        id: &str,
    ) -> Result<Response<Bytes>, Problem> {
        let record = self.services.reprocess(tenant, checked(id)?).await?;
        let mut r = json_response(202, &summary(&record));
        if let Ok(v) = http::HeaderValue::from_str(&format!("/v1/lab-reports/{id}")) {
            r.headers_mut().insert("location", v);
        }
        Ok(r)
    }

    pub(crate) async fn redeliver(
        &self,
        tenant: &str,
        id: &str,
    ) -> Result<Response<Bytes>, Problem> {
        let record = self.services.redeliver(tenant, checked(id)?).await?;
        Ok(json_response(
            202,
            &json!({"id": record.id, "delivery": record.delivery}),
        ))
    }

    pub(crate) async fn deliveries(
        &self,
        tenant: &str,
        id: &str,
    ) -> Result<Response<Bytes>, Problem> {
        let (record, attempts) = self
            .services
            .delivery_attempts(tenant, checked(id)?)
            .await?;
        Ok(json_response(
            200,
            &json!({"id": record.id, "delivery": record.delivery, "data": attempts}),
        ))
    }
}
