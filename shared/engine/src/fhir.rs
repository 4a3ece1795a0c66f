//! FHIR R4 export: a collection Bundle with a DiagnosticReport and one Observation per result.
