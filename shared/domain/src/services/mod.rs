//! The step services of the pipeline, written against the ports. Both the Lambda functions and
//! the local runner call them: [`Services::accept_upload`] for the upload, and
//! [`StepWorker::process_job`] for every queue message.
//!
//! Every step is idempotent: it reads the record, checks status and run, and claims its work
//! with a conditional update (optimistic version) before it acts. A second delivery of the same
//! message finds the work done (or claimed) and does nothing, or only re-sends the next job.

mod deliver;
mod endpoints;
mod extract;
mod give_up;
mod idempotency;
mod keys;
mod manage;
mod presigned;
mod progress;
mod recover;
mod redrive;
mod report;
mod resume;
mod settle;
mod standardize;
mod steps;
mod upload;

pub use endpoints::{EndpointChange, EndpointSettings};
pub use give_up::GaveUp;
pub use idempotency::{Claim, IdempotencyError, IdempotentAnswer};
pub use keys::{
    INCOMING_PREFIX, extraction_key, file_key, incoming_key, parse_incoming_key, report_key,
    report_prefix,
};
pub use manage::{ManageError, ReportView};
pub use presigned::{AWAITING_UPLOAD, DeclaredFile, PresignedUploadRequest, UploadSlot};
pub use recover::Recovered;
pub use redrive::{RedriveSummary, Redriven};
pub use report::report_from_record;
pub use settle::{Decision, MAX_RECEIVES, QueuePolicy, Settlement, settle};
pub use steps::{Pipeline, QueueStep, StepWorker};
pub use upload::{UploadError, UploadFile, UploadRequest};

use crate::ports::{
    BlobStore, Clock, Job, JobQueue, QueueError, QueueName, ReportStore, StoreError, SystemClock,
};
use crate::webhook::RetryPolicy;
use labrador_engine::model::{Extraction, InputFile};
use std::sync::Arc;
use std::time::Duration;

/// The document reader as the extract step sees it (blocking, CPU-bound; run on a blocking
/// thread). Standardization needs no port: it is the engine's pure function.
pub trait ReportEngine: Send + Sync + 'static {
    fn extract(&self, files: &[InputFile<'_>]) -> Extraction;
}

/// Limits and timings, with the defaults the API documents (openapi.yaml) and the template sets.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    pub max_files: usize,
    pub max_file_bytes: usize,
    /// Largest file of a presigned upload (`POST /v1/lab-reports/uploads`).
    pub max_presigned_file_bytes: u64,
    /// Lifetime of the upload URLs of a presigned upload.
    pub upload_url_ttl: Duration,
    pub max_metadata_pairs: usize,
    pub max_metadata_key: usize,
    pub max_metadata_value: usize,
    pub max_reference_id: usize,
    /// How long a claimed step may run before another worker may take it over: the extract and
    /// standardize Lambdas' timeout (a step cannot outlive it) and no longer than any queue's
    /// visibility timeout, so a job that comes back after a crash can take its step over.
    pub step_lease: Duration,
    /// How long a claimed delivery attempt may run before it may be retried.
    pub delivery_lease: Duration,
    /// The longest delay a queue accepts (SQS: 15 minutes); longer delays are chained.
    pub max_queue_delay: Duration,
    pub webhook_timeout: Duration,
    pub retry: RetryPolicy,
    /// How long the answer of an upload is replayed for its Idempotency-Key.
    pub idempotency_ttl: Duration,
    /// How long a claimed Idempotency-Key waits for its request's answer before another
    /// request may take it (a request that died holding it); longer than the longest upload
    /// with `Prefer: wait`.
    pub idempotency_reservation: Duration,
    /// How long records are kept (sets `expires_at`); `None` keeps them.
    pub retention: Option<Duration>,
    /// When a failed job is retried, given up and dead-lettered (every queue backend).
    pub queue: QueuePolicy,
    /// How long a report may wait between steps before the recovery sweep
    /// ([`Services::recover_stalled`]) gives it its job again (or removes an upload that never
    /// answered). Longer than any upload request and any queue backlog worth waiting for.
    pub stall_after: Duration,
    /// How long a rotated-out webhook secret keeps signing (`x-body-signature` with it alone,
    /// `webhook-signature` with it and the new one), so receivers can switch without a gap.
    pub secret_overlap: Duration,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            max_files: 10,
            max_file_bytes: 10 * 1024 * 1024,
            max_presigned_file_bytes: 100 * 1024 * 1024,
            upload_url_ttl: Duration::from_secs(15 * 60),
            max_metadata_pairs: 50,
            max_metadata_key: 40,
            max_metadata_value: 500,
            max_reference_id: 256,
            step_lease: Duration::from_secs(300),
            delivery_lease: Duration::from_secs(120),
            max_queue_delay: Duration::from_secs(900),
            webhook_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            idempotency_ttl: Duration::from_secs(24 * 3600),
            idempotency_reservation: Duration::from_secs(120),
            retention: Some(Duration::from_secs(30 * 24 * 3600)),
            queue: QueuePolicy::default(),
            stall_after: Duration::from_secs(30 * 60),
            secret_overlap: Duration::from_secs(24 * 3600),
        }
    }
}

/// A setting in the environment that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("{name} must be {expected}, not {value:?}")]
pub struct ConfigError {
    pub name: &'static str,
    pub expected: &'static str,
    pub value: String,
}

impl ServiceConfig {
    /// The defaults with what the deployment sets, read once at each edge (Lambda cold start,
    /// `labrador serve`, whose flags of the same names come first):
    /// - `LABRADOR_RETENTION_DAYS`: how long records are kept (0 keeps them);
    /// - `LABRADOR_MAX_RECEIVES`: the queues' `maxReceiveCount`;
    /// - `LABRADOR_STEP_LEASE_SECONDS`: how long a claimed step holds (at least the function's
    ///   timeout, at most its queue's visibility timeout; short in crash tests);
    /// - `LABRADOR_WEBHOOK_RETRY_SCHEDULE`: the delays before each further webhook attempt, e.g.
    ///   `1s,2s,4s` for tests (see [`RetryPolicy::parse_schedule`]);
    /// - `LABRADOR_SECRET_OVERLAP_SECONDS`: how long a rotated-out webhook secret keeps signing.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<ServiceConfig, ConfigError> {
        let number = |name: &'static str| -> Result<Option<u64>, ConfigError> {
            match get(name).filter(|v| !v.trim().is_empty()) {
                None => Ok(None),
                Some(v) => v.trim().parse::<u64>().map(Some).map_err(|_| ConfigError {
                    name,
                    expected: "a whole number",
                    value: v,
                }),
            }
        };
        let mut config = ServiceConfig::default();
        if let Some(days) = number("LABRADOR_RETENTION_DAYS")? {
            config.retention = (days > 0).then(|| Duration::from_secs(days * 24 * 3600));
        }
        if let Some(receives) = number("LABRADOR_MAX_RECEIVES")? {
            config.queue.max_receives = u32::try_from(receives)
                .ok()
                .filter(|r| *r >= 1)
                .ok_or_else(|| ConfigError {
                    name: "LABRADOR_MAX_RECEIVES",
                    expected: "between 1 and 4294967295",
                    value: receives.to_string(),
                })?;
        }
        if let Some(secs) = number("LABRADOR_STEP_LEASE_SECONDS")? {
            if secs == 0 {
                return Err(ConfigError {
                    name: "LABRADOR_STEP_LEASE_SECONDS",
                    expected: "at least 1",
                    value: secs.to_string(),
                });
            }
            config.step_lease = Duration::from_secs(secs);
        }
        if let Some(secs) = number("LABRADOR_SECRET_OVERLAP_SECONDS")? {
            config.secret_overlap = Duration::from_secs(secs);
        }
        if let Some(schedule) =
            get("LABRADOR_WEBHOOK_RETRY_SCHEDULE").filter(|v| !v.trim().is_empty())
        {
            config.retry.schedule =
                RetryPolicy::parse_schedule(&schedule).ok_or_else(|| ConfigError {
                    name: "LABRADOR_WEBHOOK_RETRY_SCHEDULE",
                    expected: "comma-separated delays such as 5s,30s,2m,1h",
                    value: schedule.clone(),
                })?;
        }
        Ok(config)
    }

    /// How long a claim by `queue`'s step holds: the shortest visibility timeout that queue may
    /// have for a crashed worker's job to find the claim run out when it comes back.
    pub fn lease_of(&self, queue: QueueName) -> Duration {
        match queue {
            QueueName::Extract | QueueName::Standardize => self.step_lease,
            QueueName::Deliver => self.delivery_lease,
        }
    }

    /// [`ServiceConfig::from_lookup`] over the process environment.
    pub fn from_env() -> Result<ServiceConfig, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }
}

/// Why a job did not complete. The caller retries a retriable error (the message becomes
/// visible again; SQS: a batch item failure) and dead-letters a permanent one (SQS: after the
/// queue's receive count, since every receive fails the same way).
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("retriable: {0}")]
    Retriable(String),
    #[error("permanent: {0}")]
    Permanent(String),
    /// Another worker holds the step's lease for this much longer (it is running, or it died
    /// and the lease has not run out yet). Tried again once the lease ends, when the step is
    /// taken over; never a reason to give up, whatever the receive count.
    #[error("in progress elsewhere; the lease ends in {0:?}")]
    Busy(Duration),
    /// Storage or a queue failed (a full or read-only disk, an outage, a throttle): nothing is
    /// wrong with the job. Retried with backoff without spending the message's receives, up to
    /// [`QueuePolicy::outage_retries`] times.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// The report was deleted while the step ran; what the step wrote has been removed.
    /// Nothing is left to do: the message is acknowledged.
    #[error("the report was deleted")]
    ReportDeleted,
}

impl JobError {
    pub fn is_retriable(&self) -> bool {
        matches!(
            self,
            JobError::Retriable(_) | JobError::Busy(_) | JobError::Unavailable(_)
        )
    }
}

impl From<StoreError> for JobError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => JobError::Retriable("concurrent update".into()),
            StoreError::NotFound => JobError::Permanent("not found".into()),
            StoreError::InvalidCursor => JobError::Permanent("invalid list cursor".into()),
            StoreError::Backend(m) => JobError::Unavailable(m.to_string()),
        }
    }
}

impl From<QueueError> for JobError {
    fn from(e: QueueError) -> Self {
        match e {
            QueueError::Backend(m) => JobError::Unavailable(format!("queue: {m}")),
            QueueError::UnknownHandle => JobError::Permanent(e.to_string()),
        }
    }
}

/// The step services over a set of ports. Build once per process and share.
#[derive(Clone)]
pub struct Services {
    pub blobs: Arc<dyn BlobStore>,
    pub store: Arc<dyn ReportStore>,
    pub queue: Arc<dyn JobQueue>,
    pub clock: Arc<dyn Clock>,
    pub config: ServiceConfig,
}

impl Services {
    /// Services over the storage and queue ports; a queue worker adds its step's capability
    /// ([`StepWorker`]).
    pub fn new(
        blobs: Arc<dyn BlobStore>,
        store: Arc<dyn ReportStore>,
        queue: Arc<dyn JobQueue>,
    ) -> Self {
        Services {
            blobs,
            store,
            queue,
            clock: Arc::new(SystemClock),
            config: ServiceConfig::default(),
        }
    }

    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn with_config(mut self, config: ServiceConfig) -> Self {
        self.config = config;
        self
    }

    /// Sends `job` after `delay`, chaining when the delay exceeds what the queue allows.
    pub(crate) async fn send_later(
        &self,
        queue: QueueName,
        mut job: Job,
        delay: Duration,
    ) -> Result<(), QueueError> {
        if delay > self.config.max_queue_delay {
            let at = self.clock.now()
                + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(1));
            job.not_before = Some(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
            self.queue
                .send(queue, &job, self.config.max_queue_delay)
                .await
        } else {
            job.not_before = None;
            self.queue.send(queue, &job, delay).await
        }
    }

    pub(crate) fn now_text(&self) -> String {
        self.clock
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }

    /// How long a claim made at `at` (RFC 3339) still holds under `lease`; `None` once it has
    /// run out (or when `at` does not read: nobody can hold it).
    pub(crate) fn lease_left(&self, at: &str, lease: Duration) -> Option<Duration> {
        let claimed = chrono::DateTime::parse_from_rfc3339(at).ok()?;
        // A claim stamped ahead of this clock (skew between machines) counts as just made.
        let age = (self.clock.now() - claimed.with_timezone(&chrono::Utc))
            .to_std()
            .unwrap_or_default();
        lease.checked_sub(age).filter(|left| !left.is_zero())
    }

    /// The error for a step whose claim at `at` still holds, or `None` when it may be taken over.
    pub(crate) fn busy(&self, at: &str, lease: Duration) -> Option<JobError> {
        self.lease_left(at, lease).map(JobError::Busy)
    }
}

#[cfg(feature = "reader")]
impl ReportEngine for labrador_engine::Engine {
    fn extract(&self, files: &[InputFile<'_>]) -> Extraction {
        labrador_engine::Engine::extract(self, files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn deployment_settings_override_the_defaults() {
        let config = ServiceConfig::from_lookup(lookup(&[
            ("LABRADOR_RETENTION_DAYS", "7"),
            ("LABRADOR_MAX_RECEIVES", " 3 "),
        ]))
        .unwrap();
        assert_eq!(config.retention, Some(Duration::from_secs(7 * 86400)));
        assert_eq!(config.queue.max_receives, 3);
        let keep = ServiceConfig::from_lookup(lookup(&[("LABRADOR_RETENTION_DAYS", "0")])).unwrap();
        assert_eq!(keep.retention, None);
        let unset = ServiceConfig::from_lookup(lookup(&[("LABRADOR_MAX_RECEIVES", "")])).unwrap();
        assert_eq!(unset.retention, ServiceConfig::default().retention);
        assert_eq!(unset.queue, QueuePolicy::default());
    }

    #[test]
    fn settings_that_do_not_parse_are_refused() {
        let err = ServiceConfig::from_lookup(lookup(&[("LABRADOR_RETENTION_DAYS", "a week")]))
            .unwrap_err();
        assert_eq!(err.name, "LABRADOR_RETENTION_DAYS");
        let err =
            ServiceConfig::from_lookup(lookup(&[("LABRADOR_MAX_RECEIVES", "0")])).unwrap_err();
        assert_eq!(err.name, "LABRADOR_MAX_RECEIVES");
        for bad in ["5", "5s,,1m", "1 week", "s"] {
            let err =
                ServiceConfig::from_lookup(lookup(&[("LABRADOR_WEBHOOK_RETRY_SCHEDULE", bad)]))
                    .unwrap_err();
            assert_eq!(err.name, "LABRADOR_WEBHOOK_RETRY_SCHEDULE", "{bad}");
        }
    }

    #[test]
    fn the_step_lease_can_be_set() {
        let config =
            ServiceConfig::from_lookup(lookup(&[("LABRADOR_STEP_LEASE_SECONDS", "3")])).unwrap();
        assert_eq!(config.step_lease, Duration::from_secs(3));
        assert_eq!(config.lease_of(QueueName::Extract), Duration::from_secs(3));
        assert_eq!(config.lease_of(QueueName::Deliver), config.delivery_lease);
        let err = ServiceConfig::from_lookup(lookup(&[("LABRADOR_STEP_LEASE_SECONDS", "0")]))
            .unwrap_err();
        assert_eq!(err.name, "LABRADOR_STEP_LEASE_SECONDS");
    }

    #[test]
    fn the_webhook_retry_schedule_can_be_set() {
        let config = ServiceConfig::from_lookup(lookup(&[(
            "LABRADOR_WEBHOOK_RETRY_SCHEDULE",
            "500ms, 2s,1m,3h",
        )]))
        .unwrap();
        let ms = Duration::from_millis;
        assert_eq!(
            config.retry.schedule,
            vec![ms(500), ms(2_000), ms(60_000), ms(3 * 3_600_000)]
        );
        let text = "5s,30s,2m,10m,30m,2h,5h,10h";
        assert_eq!(
            RetryPolicy::parse_schedule(text).unwrap(),
            RetryPolicy::default().schedule,
            "the default, written out"
        );
    }
}
