//! What the report store keeps per report, per tenant and per webhook endpoint.

pub use crate::webhook_format::PayloadFormat;
use labrador_engine::model::{FileInfo, Rejection, ReportError, Status, StatusChange};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub type TenantId = String;
pub type ReportId = String;

/// The stored record of one report (DynamoDB item / SQLite row). Artifacts live in the blob store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRecord {
    pub tenant: TenantId,
    pub id: ReportId,
    pub status: Status,
    /// Fine-grained stage ("extracting", "standardizing", "delivering", ...).
    pub stage: String,
    pub reference_id: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub files: Vec<FileInfo>,
    /// sha256 over the files' sha256s, for duplicate detection per tenant.
    pub content_hash: String,
    pub uploaded_at: String,
    pub updated_at: String,
    pub status_history: Vec<StatusChange>,
    pub rejection: Option<Rejection>,
    pub error: Option<ReportError>,
    /// Processing run; bumped by reprocess so stale queue messages are ignored.
    pub run: u32,
    /// Id of the webhook event for the current run; stable across delivery retries.
    pub event_id: Option<String>,
    pub delivery_attempts: u32,
    /// Unix seconds after which the record expires (DynamoDB TTL).
    pub expires_at: Option<i64>,
    /// Optimistic-concurrency version; every write is conditional on it.
    pub version: u64,
    /// Webhook delivery of the current run's event, once the report reached its outcome.
    #[serde(default)]
    pub delivery: Option<Delivery>,
    /// Set when a delete began: the report is gone for every reader, and a step that finds it
    /// so (or finds no record) removes what it wrote instead of going on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
    /// The step that claimed the record failed and let its claim go: the retry need not wait
    /// out the lease.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub claim_released: bool,
    /// The `X-Request-Id` of the request that created the report, for tracing it through the
    /// logs of every step.
    #[serde(default)]
    pub request_id: Option<String>,
}

/// A webhook endpoint of a tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    pub tenant: TenantId,
    pub url: String,
    pub event_types: Vec<String>,
    /// Current signing secret first; the previous one stays valid during rotation.
    pub secrets: Vec<String>,
    /// Optional extra `Authorization` header value sent with every delivery.
    pub authorization: Option<String>,
    pub disabled: bool,
    pub updated_at: String,
    /// How the webhook body is written (the signatures and retries are the same in each).
    #[serde(default)]
    pub format: PayloadFormat,
    /// When the previous secret (`secrets[1]`, after a rotation) stops signing, RFC 3339. Until
    /// then it signs `x-body-signature` and, with the current one, `webhook-signature`. `None`
    /// on endpoints rotated before this field existed: the previous one then signs
    /// `webhook-signature` only, until the next rotation.
    #[serde(default)]
    pub previous_secret_expires_at: Option<String>,
}

impl WebhookEndpoint {
    /// The secrets that sign a request at `now`: the one that signs `x-body-signature` first,
    /// then every other one that still signs `webhook-signature`.
    pub fn signing_secrets(&self, now: chrono::DateTime<chrono::Utc>) -> Vec<String> {
        let Some((current, older)) = self.secrets.split_first() else {
            return Vec::new();
        };
        let overlap_open = self.previous_secret_expires_at.as_deref().map(|t| {
            chrono::DateTime::parse_from_rfc3339(t)
                .is_ok_and(|end| now < end.with_timezone(&chrono::Utc))
        });
        match (overlap_open, older.first()) {
            // During the overlap a hex receiver still holds the previous secret.
            (Some(true), Some(previous)) => vec![previous.clone(), current.clone()],
            (Some(false), _) | (_, None) => vec![current.clone()],
            (None, Some(_)) => self.secrets.clone(),
        }
    }
}

/// One delivery attempt, for the attempt log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryAttempt {
    pub event_id: String,
    pub attempt: u32,
    pub at: String,
    pub status_code: Option<u16>,
    pub duration_ms: u64,
    pub error: Option<String>,
    /// First bytes of the response body.
    pub response: Option<String>,
}

/// A stored idempotent response (Idempotency-Key), replayed for 24 h.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdempotentResponse {
    pub tenant: TenantId,
    pub key: String,
    pub request_hash: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub expires_at: i64,
}

fn first_attempt() -> u32 {
    1
}

/// Where the webhook of the current run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryPhase {
    /// Waiting for its next attempt (or its first).
    Pending,
    /// A worker claimed an attempt and is sending it.
    InFlight,
    Delivered,
    /// Every attempt failed, the endpoint answered 410, or the destination is forbidden.
    Failed,
}

/// The webhook event of the current run and its delivery progress. The event (id, type,
/// creation time) is fixed once per run, so every attempt sends the same bytes and id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub event_id: String,
    pub event_type: String,
    pub event_created_at: String,
    pub phase: DeliveryPhase,
    /// Attempts started so far (the attempt number of the last one). Numbers keep counting
    /// across redeliveries, so the attempt log keeps every attempt.
    pub attempts: u32,
    /// The attempt that opened the current series of the retry schedule: 1, or the first
    /// attempt of the latest manual redelivery.
    #[serde(default = "first_attempt")]
    pub series_start: u32,
    #[serde(default)]
    pub claimed_at: Option<String>,
    #[serde(default)]
    pub next_attempt_at: Option<String>,
    #[serde(default)]
    pub delivered_at: Option<String>,
    #[serde(default)]
    pub last_error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(secrets: &[&str], ends: Option<&str>) -> WebhookEndpoint {
        WebhookEndpoint {
            tenant: "t".into(),
            url: "https://example.com/hook".into(),
            event_types: Vec::new(),
            secrets: secrets.iter().map(|s| s.to_string()).collect(),
            authorization: None,
            disabled: false,
            updated_at: "2026-01-01T00:00:00.000Z".into(),
            format: PayloadFormat::default(),
            previous_secret_expires_at: ends.map(str::to_string),
        }
    }

    #[test]
    fn the_previous_secret_signs_first_until_the_overlap_ends() {
        let at = |t: &str| {
            chrono::DateTime::parse_from_rfc3339(t)
                .unwrap()
                .with_timezone(&chrono::Utc)
        };
        let rotated = endpoint(&["new", "old"], Some("2026-01-02T00:00:00.000Z"));
        assert_eq!(
            rotated.signing_secrets(at("2026-01-01T12:00:00Z")),
            vec!["old", "new"]
        );
        assert_eq!(
            rotated.signing_secrets(at("2026-01-02T00:00:00Z")),
            vec!["new"]
        );
        // Rotated before overlaps were kept: both sign, the current one first.
        let legacy = endpoint(&["new", "old"], None);
        assert_eq!(
            legacy.signing_secrets(at("2030-01-01T00:00:00Z")),
            vec!["new", "old"]
        );
        let single = endpoint(&["only"], Some("2026-01-02T00:00:00.000Z"));
        assert_eq!(
            single.signing_secrets(at("2026-01-01T00:00:00Z")),
            vec!["only"]
        );
        assert!(
            endpoint(&[], None)
                .signing_secrets(at("2026-01-01T00:00:00Z"))
                .is_empty()
        );
        let unreadable = endpoint(&["new", "old"], Some("soon"));
        assert_eq!(
            unreadable.signing_secrets(at("2026-01-01T00:00:00Z")),
            vec!["new"]
        );
    }
}
