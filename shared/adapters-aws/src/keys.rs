//! The single-table layout: partition/sort keys and index attributes of every item kind.
//!
//! | item              | pk                 | sk                                   |
//! |-------------------|--------------------|--------------------------------------|
//! | report            | `T#{tenant}`       | `R#{id}`                             |
//! | idempotency key   | `T#{tenant}`       | `I#{key}`                            |
//! | webhook endpoint  | `T#{tenant}`       | `ENDPOINT`                           |
//! | delivery attempt  | `T#{tenant}`       | `D#{id}#{at}#{event}#{attempt:06}`   |
//! | API key (hashed)  | `K#{sha256 hex}`   | `KEY`                                |
//!
//! Indexes on report items (sort key `{uploaded_at}#{id}`, newest first by scanning backwards):
//! `gsi1` by reference id (`T#{tenant}#REF#{ref}`), `gsi2` by content hash (`T#{tenant}#H#{hash}`),
//! `gsi3` every report of a tenant (`T#{tenant}#R`).

pub const PK: &str = "pk";
pub const SK: &str = "sk";
pub const EXPIRES_AT: &str = "expires_at";

/// A global secondary index: name and its key attribute names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Index {
    pub name: &'static str,
    pub pk: &'static str,
    pub sk: &'static str,
}

pub const BY_REFERENCE: Index = Index {
    name: "gsi1",
    pk: "gsi1pk",
    sk: "gsi1sk",
};
pub const BY_HASH: Index = Index {
    name: "gsi2",
    pk: "gsi2pk",
    sk: "gsi2sk",
};
pub const BY_TENANT: Index = Index {
    name: "gsi3",
    pk: "gsi3pk",
    sk: "gsi3sk",
};
pub const INDEXES: [Index; 3] = [BY_REFERENCE, BY_HASH, BY_TENANT];

pub fn tenant_pk(tenant: &str) -> String {
    format!("T#{tenant}")
}

pub fn report_sk(id: &str) -> String {
    format!("R#{id}")
}

pub fn idempotency_sk(key: &str) -> String {
    format!("I#{key}")
}

pub const ENDPOINT_SK: &str = "ENDPOINT";

pub fn attempts_prefix(id: &str) -> String {
    format!("D#{id}#")
}

pub fn attempt_sk(id: &str, at: &str, event_id: &str, attempt: u32) -> String {
    format!("D#{id}#{at}#{event_id}#{attempt:06}")
}

pub fn api_key_pk(key_hash: &str) -> String {
    format!("K#{key_hash}")
}

pub const API_KEY_SK: &str = "KEY";

pub fn reference_pk(tenant: &str, reference_id: &str) -> String {
    format!("T#{tenant}#REF#{reference_id}")
}

pub fn hash_pk(tenant: &str, content_hash: &str) -> String {
    format!("T#{tenant}#H#{content_hash}")
}

pub fn tenant_reports_pk(tenant: &str) -> String {
    format!("T#{tenant}#R")
}

/// Sort key of every report index: time order, then id for ties.
pub fn time_sk(uploaded_at: &str, id: &str) -> String {
    format!("{uploaded_at}#{id}")
}

/// A list cursor: the index sort key of the last report returned, hex-encoded so it is URL-safe.
pub fn encode_cursor(time_sk: &str) -> String {
    time_sk.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The index sort key and report id a cursor names; `None` for a malformed cursor.
pub fn decode_cursor(cursor: &str) -> Option<(String, String)> {
    if !cursor.len().is_multiple_of(2) || cursor.len() > 1024 {
        return None;
    }
    let bytes = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    let sk = String::from_utf8(bytes).ok()?;
    let (_, id) = sk.rsplit_once('#')?;
    if id.is_empty() {
        return None;
    }
    let id = id.to_string();
    Some((sk, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let sk = time_sk("2026-01-02T03:04:05.000Z", "abc-123");
        let (back, id) = decode_cursor(&encode_cursor(&sk)).unwrap();
        assert_eq!(back, sk);
        assert_eq!(id, "abc-123");
        assert_eq!(decode_cursor("zz"), None);
        assert_eq!(decode_cursor("abc"), None);
        assert_eq!(decode_cursor(&encode_cursor("no-separator")), None);
        assert_eq!(decode_cursor("é1"), None);
    }

    #[test]
    fn attempt_keys_sort_by_time_within_a_report() {
        let a = attempt_sk("r1", "2026-01-01T00:00:05Z", "evt_1", 2);
        let b = attempt_sk("r1", "2026-01-01T00:00:10Z", "evt_1", 3);
        assert!(a < b);
        assert!(a.starts_with(&attempts_prefix("r1")));
        assert!(!a.starts_with(&attempts_prefix("r")));
    }
}
