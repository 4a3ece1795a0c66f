//! GET /v1/lab-reports/{id}/fhir: the report as a FHIR R4 Bundle.

use crate::problem::Problem;
use bytes::Bytes;
use http::Response;
use labrador_domain::engine::model::Report;

pub(crate) fn bundle_response(report: &Report) -> Result<Response<Bytes>, Problem> {
    let bundle = labrador_domain::engine::fhir::bundle(report);
    let body = serde_json::to_vec(&bundle).map_err(|_| {
        Problem::new(
            500,
            "internal",
            "Internal error",
            "the bundle does not serialize",
        )
    })?;
    Ok(Response::builder()
        .status(200)
        .header("content-type", "application/fhir+json")
        .body(Bytes::from(body))
        .unwrap_or_default())
}
