//! What the report store keeps per report, per tenant and per webhook endpoint.

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
