//! Blob keys: where each report's files and artifacts live (`tenants/{tenant}/reports/{id}/…`).

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

/// Where presigned uploads land before intake checks them and moves them under their report.
/// The bucket notifies the extract queue of new objects under this prefix only.
pub const INCOMING_PREFIX: &str = "incoming/";

pub fn incoming_prefix(tenant: &str, id: &str) -> String {
    format!("{INCOMING_PREFIX}{tenant}/{id}/")
}

pub fn incoming_key(tenant: &str, id: &str, n: usize) -> String {
    format!("{INCOMING_PREFIX}{tenant}/{id}/{n}")
}

/// Tenant, report id and file index of an incoming key; `None` for any other key.
pub fn parse_incoming_key(key: &str) -> Option<(String, String, usize)> {
    let rest = key.strip_prefix(INCOMING_PREFIX)?;
    let mut parts = rest.split('/');
    let (tenant, id, n) = (parts.next()?, parts.next()?, parts.next()?);
    let plain = |s: &str| {
        !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if parts.next().is_some() || !plain(tenant) || !plain(id) {
        return None;
    }
    let canonical =
        n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit()) && (n == "0" || !n.starts_with('0'));
    if !canonical {
        return None;
    }
    Some((tenant.to_string(), id.to_string(), n.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incoming_keys_round_trip_and_nothing_else_parses() {
        let key = incoming_key("acme", "3f1c-9a", 2);
        assert_eq!(
            parse_incoming_key(&key),
            Some(("acme".into(), "3f1c-9a".into(), 2))
        );
        for other in [
            "tenants/acme/reports/x/files/0",
            "incoming/acme/x",
            "incoming/acme/x/0/extra",
            "incoming/acme/x/01",
            "incoming/acme/x/-1",
            "incoming/ac%20me/x/0",
            "incoming/acme/../0",
            "incoming//x/0",
        ] {
            assert_eq!(parse_incoming_key(other), None, "{other}");
        }
    }
}
