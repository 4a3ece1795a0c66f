//! SQS batches: one job per message, partial batch failures, a panic fails only its message.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use futures_util::{FutureExt, StreamExt, stream};
use labrador_domain::ports::{Job, QueueName};
use labrador_domain::services::parse_incoming_key;
use lambda_runtime::{LambdaEvent, service_fn};
use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::Instant;

/// What to do with a message once its job ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Delete it: done, or failed for good (the step has recorded the failure).
    Done,
    /// Leave it on the queue: SQS hands it out again after the visibility timeout and moves it
    /// to the dead-letter queue after `maxReceiveCount` receives.
    Retry,
}

/// How a batch is worked through: how many messages at once, and how much of the invocation's
/// time is kept back to answer with the unfinished ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchLimits {
    /// Messages handled at the same time (at least 1: one after the other).
    pub concurrency: usize,
    /// Stop this long before the invocation's deadline: messages still running or not yet
    /// started are reported as batch item failures, so SQS hands them out again instead of the
    /// whole batch timing out (a timed-out invocation returns nothing, and every message of the
    /// batch is retried and spends a receive).
    pub reserve: Duration,
}

impl BatchLimits {
    /// One message after the other (extract, standardize: CPU-bound steps).
    pub const SEQUENTIAL: BatchLimits = BatchLimits {
        concurrency: 1,
        reserve: DEADLINE_RESERVE,
    };

    /// `concurrency` messages at once (deliver: waiting on webhook receivers).
    pub const fn concurrent(concurrency: usize) -> BatchLimits {
        BatchLimits {
            concurrency,
            reserve: DEADLINE_RESERVE,
        }
    }

    /// How `queue`'s batches are worked through, on Lambda and by the pollers alike: the deliver
    /// queue's webhooks all at once, the CPU-bound steps one after the other.
    pub const fn for_queue(queue: QueueName) -> BatchLimits {
        match queue {
            QueueName::Deliver => BatchLimits::concurrent(DELIVER_CONCURRENCY),
            QueueName::Extract | QueueName::Standardize => BatchLimits::SEQUENTIAL,
        }
    }
}

/// Time kept back before the invocation deadline to answer the batch response.
pub const DEADLINE_RESERVE: Duration = Duration::from_millis(1500);

/// Messages the deliver function sends at once: as many as its batch (the template's
/// `BatchSize`), so a batch takes one webhook timeout, not one per message.
pub const DELIVER_CONCURRENCY: usize = 5;

/// The invocation deadline (`context.deadline`, milliseconds since the Unix epoch) as an
/// instant of the tokio clock; `None` when there is none (0).
pub fn invocation_deadline(deadline_ms: u64) -> Option<Instant> {
    if deadline_ms == 0 {
        return None;
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
    let left = Duration::from_millis(deadline_ms).saturating_sub(now);
    Some(Instant::now() + left)
}

/// Runs `handler` on every message of the batch, one after the other, with the message's
/// receive count (`ApproximateReceiveCount`, 1 on the first delivery), and reports the messages
/// to retry. Unparseable bodies and panics are retried (and so end in the dead-letter queue).
pub async fn sqs_batch<F, Fut>(event: SqsEvent, handler: &F) -> SqsBatchResponse
where
    F: Fn(Job, u32) -> Fut,
    Fut: Future<Output = Disposition>,
{
    sqs_batch_until(event, handler, BatchLimits::SEQUENTIAL, None).await
}

/// [`sqs_batch`] with up to `limits.concurrency` messages at once, answering by
/// `deadline - limits.reserve`: a message not finished by then (running or not yet started) is
/// reported for a retry, the same as a message whose job asked for one. A running job is
/// dropped there (cancelled between two awaits); the steps are built for that, as for a crash:
/// a step or delivery claim left behind is taken over after its lease.
pub async fn sqs_batch_until<F, Fut>(
    event: SqsEvent,
    handler: &F,
    limits: BatchLimits,
    deadline: Option<Instant>,
) -> SqsBatchResponse
where
    F: Fn(Job, u32) -> Fut,
    Fut: Future<Output = Disposition>,
{
    let messages: Vec<(String, Option<String>, u32)> = event
        .records
        .into_iter()
        .filter_map(|message| {
            let Some(message_id) = message.message_id else {
                tracing::error!("SQS message without a message id; cannot report it");
                return None;
            };
            let receive_count = message
                .attributes
                .get("ApproximateReceiveCount")
                .and_then(|count| count.parse().ok())
                .unwrap_or(1);
            Some((message_id, message.body, receive_count))
        })
        .collect();
    let mut outcomes: Vec<Option<Disposition>> = vec![None; messages.len()];
    let cutoff = deadline.map(|d| d.checked_sub(limits.reserve).unwrap_or(d));
    {
        // Owned copies: a future that borrowed from `messages` would not be `Send` for every
        // lifetime, which spawned pollers (serve --aws-endpoint) require.
        let runs = stream::iter(messages.clone().into_iter().enumerate().map(
            |(index, (message_id, body, receive_count))| async move {
                let disposition =
                    run_message(&message_id, body.as_deref(), receive_count, handler).await;
                (index, disposition)
            },
        ))
        .buffer_unordered(limits.concurrency.max(1));
        let mut runs = std::pin::pin!(runs);
        loop {
            let next = match cutoff {
                Some(cutoff) => match tokio::time::timeout_at(cutoff, runs.next()).await {
                    Ok(next) => next,
                    Err(_) => break,
                },
                None => runs.next().await,
            };
            let Some((index, disposition)) = next else {
                break;
            };
            outcomes[index] = Some(disposition);
        }
    }
    let mut response = SqsBatchResponse::default();
    let unfinished = outcomes.iter().filter(|o| o.is_none()).count();
    if unfinished > 0 {
        tracing::warn!(
            unfinished,
            of = messages.len(),
            "invocation deadline near: the unfinished messages go back to the queue"
        );
    }
    for ((message_id, _, _), outcome) in messages.into_iter().zip(outcomes) {
        if outcome != Some(Disposition::Done) {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = message_id;
            response.batch_item_failures.push(failure);
        }
    }
    response
}

async fn run_message<F, Fut>(
    message_id: &str,
    body: Option<&str>,
    receive_count: u32,
    handler: &F,
) -> Disposition
where
    F: Fn(Job, u32) -> Fut,
    Fut: Future<Output = Disposition>,
{
    let jobs = match jobs_of(body.unwrap_or("")) {
        Ok(jobs) => jobs,
        Err(err) => {
            // The serde message can quote the body; log only where and what kind.
            tracing::error!(
                message_id,
                error_kind = ?err.classify(),
                line = err.line(),
                column = err.column(),
                "unparseable job message"
            );
            return Disposition::Retry;
        }
    };
    let mut disposition = Disposition::Done;
    for job in jobs {
        if run_job_caught(message_id, job, receive_count, handler).await == Disposition::Retry {
            disposition = Disposition::Retry;
        }
    }
    disposition
}

/// A bucket notification, as much of it as intake reads: typed, and as lenient as the hand
/// reading it replaces. Not `aws_lambda_events`' `S3Event`, which requires `eventTime` with a
/// zone, `userIdentity` and `requestParameters`: moto's notifications (5.x) have none of them,
/// and a notification that fails to parse is retried into the dead-letter queue.
#[derive(Debug, serde::Deserialize)]
struct BucketNotification {
    /// `s3:TestEvent` when the notification configuration is created; then no records.
    #[serde(rename = "Event")]
    event: Option<String>,
    #[serde(rename = "Records")]
    records: Option<Vec<NotificationRecord>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct NotificationRecord {
    #[serde(default)]
    event_source: Option<String>,
    #[serde(default)]
    event_name: Option<String>,
    #[serde(default)]
    s3: NotificationEntity,
}

#[derive(Debug, Default, serde::Deserialize)]
struct NotificationEntity {
    #[serde(default)]
    object: NotificationObject,
}

#[derive(Debug, Default, serde::Deserialize)]
struct NotificationObject {
    /// URL-encoded, with '+' for a space.
    #[serde(default)]
    key: Option<String>,
}

/// The jobs of a message body: a job, or a notification of the bucket (presigned uploads
/// arriving under `incoming/`; its test event holds none).
fn jobs_of(body: &str) -> Result<Vec<Job>, serde_json::Error> {
    let job_error = match serde_json::from_str::<Job>(body) {
        Ok(job) => return Ok(vec![job]),
        Err(err) => err,
    };
    let Ok(notification) = serde_json::from_str::<BucketNotification>(body) else {
        return Err(job_error);
    };
    if notification.event.as_deref() == Some("s3:TestEvent") {
        return Ok(Vec::new());
    }
    let Some(records) = notification.records else {
        return Err(job_error);
    };
    let mut jobs = Vec::new();
    for record in records {
        let created = record.event_source.as_deref() == Some("aws:s3")
            && record
                .event_name
                .as_deref()
                .is_some_and(|name| name.starts_with("ObjectCreated"));
        let encoded = record.s3.object.key.unwrap_or_default();
        let plus_decoded = encoded.replace('+', " ");
        let key = percent_encoding::percent_decode_str(&plus_decoded).decode_utf8_lossy();
        match parse_incoming_key(&key) {
            Some((tenant, report_id, _)) if created => jobs.push(Job {
                tenant,
                report_id,
                upload_arrived: true,
                ..Job::default()
            }),
            _ => tracing::warn!("bucket notification for an object outside incoming uploads"),
        }
    }
    Ok(jobs)
}

async fn run_job_caught<F, Fut>(
    message_id: &str,
    job: Job,
    receive_count: u32,
    handler: &F,
) -> Disposition
where
    F: Fn(Job, u32) -> Fut,
    Fut: Future<Output = Disposition>,
{
    let (tenant, report_id, run, attempt) = (
        job.tenant.clone(),
        job.report_id.clone(),
        job.run,
        job.attempt,
    );
    match AssertUnwindSafe(async { handler(job, receive_count).await })
        .catch_unwind()
        .await
    {
        Ok(disposition) => {
            tracing::info!(
                message_id,
                tenant,
                report_id,
                run,
                attempt,
                receive_count,
                ?disposition,
                "job handled"
            );
            disposition
        }
        Err(_) => {
            tracing::error!(
                message_id,
                tenant,
                report_id,
                run,
                attempt,
                receive_count,
                "job panicked"
            );
            Disposition::Retry
        }
    }
}

/// Runs the Lambda runtime loop for an SQS-triggered function (build clients before calling this),
/// one message after the other, answering before the invocation deadline.
pub async fn run_sqs<F, Fut>(handler: F) -> Result<(), lambda_runtime::Error>
where
    F: Fn(Job, u32) -> Fut + Sync,
    Fut: Future<Output = Disposition> + Send,
{
    run_sqs_with(BatchLimits::SEQUENTIAL, handler).await
}

/// [`run_sqs`] with `limits`: each batch through [`sqs_batch_until`] by the invocation's
/// deadline (`context.deadline`).
pub async fn run_sqs_with<F, Fut>(
    limits: BatchLimits,
    handler: F,
) -> Result<(), lambda_runtime::Error>
where
    F: Fn(Job, u32) -> Fut + Sync,
    Fut: Future<Output = Disposition> + Send,
{
    let handler = &handler;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        let deadline = invocation_deadline(event.context.deadline);
        Ok::<_, Infallible>(sqs_batch_until(event.payload, handler, limits, deadline).await)
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lambda_events::event::sqs::SqsMessage;

    fn message(id: &str, body: &str) -> SqsMessage {
        let mut m = SqsMessage::default();
        m.message_id = Some(id.into());
        m.body = Some(body.into());
        m
    }

    fn job_body(report: &str) -> String {
        serde_json::json!({"tenant": "t", "report_id": report, "run": 1}).to_string()
    }

    #[tokio::test]
    async fn failures_are_reported_per_message() {
        let mut event = SqsEvent::default();
        event.records = vec![
            message("ok", &job_body("fine")),
            message("garbage", "{not json"),
            message("panics", &job_body("boom")),
            message("retry", &job_body("again")),
            message("ok2", &job_body("fine")),
        ];
        let handler = |job: Job, _receives: u32| async move {
            match job.report_id.as_str() {
                "boom" => panic!("handler bug"),
                "again" => Disposition::Retry,
                _ => Disposition::Done,
            }
        };
        let response = sqs_batch(event, &handler).await;
        let failed: Vec<_> = response
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(failed, ["garbage", "panics", "retry"]);
    }

    fn slow_batch(n: usize) -> SqsEvent {
        let mut event = SqsEvent::default();
        event.records = (0..n)
            .map(|i| message(&format!("m{i}"), &job_body(&format!("r{i}"))))
            .collect();
        event
    }

    fn failed_ids(response: &SqsBatchResponse) -> Vec<&str> {
        response
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect()
    }

    /// Five slow receivers against a short invocation (the deliver function's shape, scaled
    /// down to 400 ms a message and a 1.2 s deadline): one after the other, the batch would
    /// run past its deadline; the batch answers in time with the unfinished messages.
    #[tokio::test]
    async fn the_deadline_returns_unfinished_messages() {
        let pause = Duration::from_millis(400);
        let slow = |_job: Job, _receives: u32| async move {
            tokio::time::sleep(pause).await;
            Disposition::Done
        };
        let reserve = Duration::from_millis(100);
        let sequential = BatchLimits {
            concurrency: 1,
            reserve,
        };
        let start = Instant::now();
        let deadline = start + 3 * pause;
        let response = sqs_batch_until(slow_batch(5), &slow, sequential, Some(deadline)).await;
        // Two finish (800 ms); the third is cut at 1.1 s; the last two never start.
        assert_eq!(failed_ids(&response), ["m2", "m3", "m4"]);
        let elapsed = start.elapsed();
        assert!(
            elapsed >= 3 * pause - reserve && elapsed < 3 * pause,
            "{elapsed:?}"
        );

        let concurrent = BatchLimits {
            concurrency: 5,
            reserve,
        };
        let start = Instant::now();
        let deadline = start + 3 * pause;
        let response = sqs_batch_until(slow_batch(5), &slow, concurrent, Some(deadline)).await;
        assert!(failed_ids(&response).is_empty());
        assert!(start.elapsed() < 2 * pause, "{:?}", start.elapsed());

        // Retries and panics are still reported when the batch runs concurrently.
        let mixed = |job: Job, _receives: u32| async move {
            tokio::time::sleep(Duration::from_millis(10)).await;
            match job.report_id.as_str() {
                "r1" => panic!("handler bug"),
                "r3" => Disposition::Retry,
                _ => Disposition::Done,
            }
        };
        let response = sqs_batch_until(slow_batch(5), &mixed, concurrent, None).await;
        assert_eq!(failed_ids(&response), ["m1", "m3"]);
    }

    #[test]
    fn the_lambda_deadline_becomes_an_instant() {
        assert!(invocation_deadline(0).is_none());
        let in_20s =
            SystemTime::now().duration_since(UNIX_EPOCH).unwrap() + Duration::from_secs(20);
        let deadline = invocation_deadline(in_20s.as_millis() as u64).unwrap();
        let left = deadline - Instant::now();
        assert!(
            left > Duration::from_secs(19) && left <= Duration::from_secs(20),
            "{left:?}"
        );
        // A deadline already past answers at once.
        let past = invocation_deadline(1_000).unwrap();
        assert!(past <= Instant::now());
    }

    #[tokio::test]
    async fn bucket_notifications_become_upload_jobs() {
        let notification = serde_json::json!({"Records": [
            {"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
             "s3": {"bucket": {"name": "b"}, "object": {"key": "incoming%2Facme%2Fr-1%2F0", "size": 9}}},
            {"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
             "s3": {"bucket": {"name": "b"}, "object": {"key": "tenants/acme/reports/r-1/report.json"}}},
            {"eventSource": "aws:s3", "eventName": "ObjectRemoved:Delete",
             "s3": {"bucket": {"name": "b"}, "object": {"key": "incoming/acme/r-2/0"}}}
        ]});
        let jobs = jobs_of(&notification.to_string()).unwrap();
        assert_eq!(jobs.len(), 1);
        assert!(jobs[0].upload_arrived);
        assert_eq!(
            (jobs[0].tenant.as_str(), jobs[0].report_id.as_str()),
            ("acme", "r-1")
        );
        // moto's shape: no userIdentity or requestParameters, eventTime without a zone.
        let moto = serde_json::json!({"Records": [
            {"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
             "eventTime": "2026-11-26T12:00:00.000000", "eventName": "ObjectCreated:Put",
             "s3": {"s3SchemaVersion": "1.0", "configurationId": "c",
                    "bucket": {"name": "b", "arn": "arn:aws:s3:::b"},
                    "object": {"key": "incoming%2Facme%2Fr-3%2F1", "size": 9, "eTag": "e"}}}
        ]});
        let jobs = jobs_of(&moto.to_string()).unwrap();
        assert_eq!(
            (jobs[0].tenant.as_str(), jobs[0].report_id.as_str()),
            ("acme", "r-3")
        );
        let test_event = r#"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b"}"#;
        assert!(jobs_of(test_event).unwrap().is_empty());
        assert!(jobs_of(r#"{"Records": "nope"}"#).is_err());

        let mut event = SqsEvent::default();
        event.records = vec![message("s3", &notification.to_string())];
        let seen = std::sync::Mutex::new(Vec::new());
        let handler = |job: Job, _receives: u32| {
            seen.lock().unwrap().push(job.report_id.clone());
            async { Disposition::Done }
        };
        assert!(
            sqs_batch(event, &handler)
                .await
                .batch_item_failures
                .is_empty()
        );
        assert_eq!(*seen.lock().unwrap(), ["r-1"]);
    }
}
