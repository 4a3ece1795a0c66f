//! Ports: what the step services need from the outside world. AWS adapters (S3, DynamoDB, SQS,
//! HTTPS) and the embedded local adapters (filesystem, SQLite) implement them.

use crate::record::{
    DeliveryAttempt, IdempotentResponse, ReportId, ReportRecord, TenantId, WebhookEndpoint,
};
use async_trait::async_trait;
use bytes::Bytes;
use labrador_engine::model::Status;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A conditional write lost: the record changed (or exists) since it was read.
    #[error("conditional write failed")]
    Conflict,
    #[error("not found")]
    NotFound,
    /// A list cursor this store did not issue: the client's input, not a fault.
    #[error("invalid list cursor")]
    InvalidCursor,
    /// The backend failed (I/O, the network, a throttle, an unreadable item): transient as
    /// far as the services can tell.
    #[error("storage backend error: {0}")]
    Backend(#[source] BackendError),
}

impl StoreError {
    pub fn backend(message: impl Into<String>) -> Self {
        StoreError::Backend(BackendError::new(message))
    }

    pub fn backend_from(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        StoreError::Backend(BackendError::with_source(message, source))
    }
}

/// What a storage or queue backend reported, with the underlying error kept as the source.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct BackendError {
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl BackendError {
    pub fn new(message: impl Into<String>) -> Self {
        BackendError {
            message: message.into(),
            source: None,
        }
    }

    pub fn with_source(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        BackendError {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }
}

impl From<StoreError> for QueueError {
    /// A queue kept in a database (the embedded queue) fails as its database does.
    fn from(e: StoreError) -> Self {
        QueueError::backend_from("queue database", e)
    }
}

/// Why a queue operation failed.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("queue backend error: {0}")]
    Backend(#[source] BackendError),
    /// A dead-letter handle this queue did not hand out.
    #[error("not a dead-letter handle of this queue")]
    UnknownHandle,
}

impl QueueError {
    pub fn backend(message: impl Into<String>) -> Self {
        QueueError::Backend(BackendError::new(message))
    }

    pub fn backend_from(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        QueueError::Backend(BackendError::with_source(message, source))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
pub type QueueResult<T> = Result<T, QueueError>;

/// Object storage for original files and artifacts (S3 / filesystem). Keys are `/`-separated.
#[async_trait]
pub trait BlobStore: Send + Sync {
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> StoreResult<()>;
    async fn get(&self, key: &str) -> StoreResult<Option<Bytes>>;
    async fn delete_prefix(&self, prefix: &str) -> StoreResult<()>;
    /// The object's size, or `None` when there is no such object.
    async fn head(&self, key: &str) -> StoreResult<Option<u64>>;
    /// A short-lived URL to download the object, where the store can make one.
    async fn presigned_get_url(&self, key: &str, ttl: Duration) -> StoreResult<Option<String>>;
    /// A short-lived URL a client can `PUT` the object to (sending `content-type` and exactly
    /// `content_length` bytes: both are signed, so the store refuses any other size), where the
    /// store can make one; `None` for stores without one (the API then takes the bytes itself).
    async fn presigned_put_url(
        &self,
        key: &str,
        content_type: &str,
        content_length: u64,
        ttl: Duration,
    ) -> StoreResult<Option<String>>;
}

/// Filter for listing reports, newest first.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub reference_id: Option<String>,
    pub status: Option<Status>,
    /// RFC 3339 bounds on `uploaded_at`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub cursor: Option<String>,
    pub limit: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ListPage {
    pub records: Vec<ReportRecord>,
    pub next_cursor: Option<String>,
}

/// Report records: versioned, tenant-scoped, listed newest first.
#[async_trait]
pub trait RecordStore: Send + Sync {
    /// Creates a record; `Conflict` when one with the same tenant and id exists.
    async fn create(&self, record: &ReportRecord) -> StoreResult<()>;
    async fn get(&self, tenant: &str, id: &str) -> StoreResult<Option<ReportRecord>>;
    /// Writes `record` if the stored version equals `expected_version`; the stored version
    /// becomes `expected_version + 1` (and `record.version` should already say so).
    async fn update(&self, record: &ReportRecord, expected_version: u64) -> StoreResult<()>;
    async fn delete(&self, tenant: &str, id: &str) -> StoreResult<()>;
    async fn list(&self, tenant: &str, filter: &ListFilter) -> StoreResult<ListPage>;
    /// The oldest report of this tenant with this content hash, other than `except`.
    async fn find_by_content_hash(
        &self,
        tenant: &str,
        content_hash: &str,
        except: &str,
    ) -> StoreResult<Option<ReportId>>;
    /// Up to `limit` records of any tenant waiting between steps (`received`, `queued`,
    /// `processed`, `standardized`), in no particular order: what the recovery sweep looks at.
    async fn in_progress(&self, limit: usize) -> StoreResult<Vec<ReportRecord>>;
}

/// Stored answers of Idempotency-Key requests (they expire by `expires_at`).
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Stores the response of an idempotent request; `Conflict` when the key exists.
    async fn put_idempotent(&self, response: &IdempotentResponse) -> StoreResult<()>;
    /// Overwrites the stored response of a key (a reservation gets its final answer).
    async fn replace_idempotent(&self, response: &IdempotentResponse) -> StoreResult<()>;
    /// Frees a key (a reservation whose request failed).
    async fn delete_idempotent(&self, tenant: &str, key: &str) -> StoreResult<()>;
    async fn get_idempotent(
        &self,
        tenant: &str,
        key: &str,
    ) -> StoreResult<Option<IdempotentResponse>>;
}

/// API keys (sha256 hex) and the tenants they name.
#[async_trait]
pub trait ApiKeyStore: Send + Sync {
    /// The tenant an API key belongs to; keys are stored as sha256 hex.
    async fn tenant_for_api_key_hash(&self, key_hash: &str) -> StoreResult<Option<TenantId>>;
    async fn put_api_key_hash(&self, key_hash: &str, tenant: &str) -> StoreResult<()>;
}

/// Each tenant's webhook endpoint.
#[async_trait]
pub trait EndpointStore: Send + Sync {
    async fn get_endpoint(&self, tenant: &str) -> StoreResult<Option<WebhookEndpoint>>;
    async fn put_endpoint(&self, endpoint: &WebhookEndpoint) -> StoreResult<()>;
    async fn delete_endpoint(&self, tenant: &str) -> StoreResult<()>;
}

/// The log of webhook attempts per report.
#[async_trait]
pub trait DeliveryLog: Send + Sync {
    async fn append_delivery_attempt(
        &self,
        tenant: &str,
        id: &str,
        attempt: &DeliveryAttempt,
    ) -> StoreResult<()>;
    async fn list_delivery_attempts(
        &self,
        tenant: &str,
        id: &str,
    ) -> StoreResult<Vec<DeliveryAttempt>>;
}

/// Everything the services keep about reports (DynamoDB / SQLite): one store of the five
/// capabilities. Implemented for every type that has them all; code that needs one capability
/// (and its test fakes) takes that trait alone.
pub trait ReportStore:
    RecordStore + IdempotencyStore + ApiKeyStore + EndpointStore + DeliveryLog
{
}

impl<T> ReportStore for T where
    T: RecordStore + IdempotencyStore + ApiKeyStore + EndpointStore + DeliveryLog
{
}

/// The three work queues of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueName {
    Extract,
    Standardize,
    Deliver,
}

/// A queue message body. `run` ties it to one processing run of the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub tenant: TenantId,
    pub report_id: ReportId,
    pub run: u32,
    /// For delivery jobs: the event being delivered and the attempt number (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    #[serde(default)]
    pub attempt: u32,
    /// RFC 3339 time before which the job must not run: delays longer than a queue allows
    /// are chained by re-sending the job until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    /// An extract-queue job that says a presigned upload's file arrived (from the bucket's
    /// notification): intake checks the report's files and queues its extraction.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub upload_arrived: bool,
    /// How many times this job was sent again because storage or a queue was unavailable
    /// (those retries do not spend the message's receives; this bounds them).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub outages: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[async_trait]
pub trait JobQueue: Send + Sync {
    /// Sends a job, visible after `delay` (SQS caps a delay at 15 minutes; longer delays are
    /// the caller's to chain).
    async fn send(&self, queue: QueueName, job: &Job, delay: Duration) -> QueueResult<()>;
}

/// A message taken from a dead-letter queue. `job` is `None` when the body is not a job.
#[derive(Debug, Clone)]
pub struct DeadLetter {
    /// Proves the take, for [`DeadLetterQueue::remove`].
    pub handle: String,
    pub job: Option<Job>,
}

/// The dead-letter side of the work queues, for the operator's redrive.
#[async_trait]
pub trait DeadLetterQueue: Send + Sync {
    /// Takes up to `max` dead messages of `queue`; a taken message is hidden from the next take
    /// of the same redrive and stays dead until removed.
    async fn take_dead(&self, queue: QueueName, max: usize) -> QueueResult<Vec<DeadLetter>>;
    /// Deletes a dead message once it has been dealt with.
    async fn remove_dead(&self, queue: QueueName, dead: &DeadLetter) -> QueueResult<()>;
}

/// An outgoing webhook request, already signed.
#[derive(Debug, Clone)]
pub struct OutgoingWebhook {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct WebhookResponse {
    pub status: u16,
    pub retry_after: Option<Duration>,
    /// Truncated response body.
    pub body: String,
    pub duration: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The URL is not allowed (SSRF guard: private, loopback, link-local... or not https).
    #[error("destination not allowed: {0}")]
    Forbidden(String),
    #[error("timed out")]
    Timeout,
    #[error("connection failed: {0}")]
    Connect(String),
}

/// Sends webhooks over HTTP(S). Never follows redirects.
#[async_trait]
pub trait WebhookSender: Send + Sync {
    async fn send(&self, request: &OutgoingWebhook) -> Result<WebhookResponse, SendError>;
}

/// The clock, so tests can move time.
pub trait Clock: Send + Sync {
    fn now(&self) -> chrono::DateTime<chrono::Utc>;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }
}
