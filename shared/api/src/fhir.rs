//! GET /v1/lab-reports/{id}/fhir.

use crate::problem::Problem;
use bytes::Bytes;
use http::Response;
use labrador_domain::engine::model::Report;

/// The FHIR R4 Bundle of a report, once the engine's FHIR mapping exists.
pub(crate) fn bundle_response(_report: &Report) -> Result<Response<Bytes>, Problem> {
    Err(Problem::new(
        501,
        "not_implemented",
        "Not implemented",
        "FHIR export is not available in this build",
    ))
}
