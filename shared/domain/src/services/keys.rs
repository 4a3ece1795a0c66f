//! Blob keys of DESIGN.md §6.

pub fn report_prefix(tenant: &str, id: &str) -> String {
    format!("tenants/{tenant}/reports/{id}/")
}

pub fn file_key(tenant: &str, id: &str, n: usize) -> String {
    format!("tenants/{tenant}/reports/{id}/files/{n}")
}

pub fn extraction_key(tenant: &str, id: &str) -> String {
    format!("tenants/{tenant}/reports/{id}/extraction.json")
}

pub fn report_key(tenant: &str, id: &str) -> String {
    format!("tenants/{tenant}/reports/{id}/report.json")
}
