//! The deliver step: one attempt per job. The event (id, type, body) is fixed per run, so every
//! attempt sends the same bytes under the same `webhook-id`; attempts are claimed on the record
//! so a redelivered message never sends a second, different webhook.

use super::{JobError, Services, keys};
use crate::ports::{Job, OutgoingWebhook, QueueName, SendError, WebhookResponse, WebhookSender};
use crate::record::{DeliveryAttempt, DeliveryPhase, ReportRecord, WebhookEndpoint};
use crate::status;
use crate::webhook::{AttemptOutcome, EventType, WebhookEvent, classify_status, signature_headers};
use labrador_engine::model::{Report, Status};
use std::time::Duration;

enum Step {
    /// Nothing to do (stale or finished).
    Skip,
    /// The exhausted last attempt: fail again so the message reaches the dead-letter queue.
    Exhausted,
    Claim,
    /// An attempt in flight under its claim, which holds this much longer.
    Busy(Duration),
}

impl Services {
    fn delivery_step(&self, record: &ReportRecord, job: &Job) -> Step {
        let Some(d) = record.delivery.as_ref() else {
            return Step::Skip;
        };
        if job.event_id.as_deref() != Some(d.event_id.as_str()) {
            return Step::Skip;
        }
        match d.phase {
            DeliveryPhase::Delivered => Step::Skip,
            DeliveryPhase::Failed
                if job.attempt == d.attempts && d.last_error.as_deref() == Some(EXHAUSTED) =>
            {
                Step::Exhausted
            }
            DeliveryPhase::Failed => Step::Skip,
            DeliveryPhase::InFlight if job.attempt < d.attempts => Step::Skip,
            DeliveryPhase::InFlight if job.attempt == d.attempts => {
                let claimed = d.claimed_at.as_deref().unwrap_or("");
                match self.lease_left(claimed, self.config.delivery_lease) {
                    None => Step::Claim,
                    Some(left) => Step::Busy(left),
                }
            }
            DeliveryPhase::InFlight => Step::Claim,
            DeliveryPhase::Pending if job.attempt <= d.attempts => Step::Skip,
            DeliveryPhase::Pending => Step::Claim,
        }
    }

    pub(crate) async fn run_deliver(
        &self,
        job: &Job,
        sender: &dyn WebhookSender,
    ) -> Result<(), JobError> {
        let Some(mut record) = self.record_for(job).await? else {
            return Ok(());
        };
        match self.delivery_step(&record, job) {
            Step::Skip => return Ok(()),
            Step::Exhausted => {
                return Err(JobError::Permanent(EXHAUSTED.into()));
            }
            Step::Busy(left) => return Err(JobError::Busy(left)),
            Step::Claim => {}
        }
        let endpoint = self
            .store
            .get_endpoint(&record.tenant)
            .await?
            .filter(|e| !e.secrets.is_empty());
        if endpoint.as_ref().is_some_and(|e| e.disabled) {
            // Waits, pending, until the endpoint is enabled again (`set_endpoint` resumes it).
            return self.hold_delivery(record).await;
        }
        let Some(endpoint) = endpoint else {
            self.finish_delivery(
                record,
                DeliveryPhase::Failed,
                Some("no enabled webhook endpoint"),
            )
            .await?;
            return Ok(());
        };
        let now = self.claim_attempt(&mut record, job).await?;
        let request = self.signed_webhook(&record, &endpoint).await?;
        let result = sender.send(&request).await;
        let (outcome, retry_after, error) = self.log_attempt(&record, job, now, &result).await;
        self.after_attempt(record, job, &endpoint, outcome, retry_after, error)
            .await
    }

    /// Claims the job's attempt on the record (the report becomes `delivering` on its first);
    /// the claim's time.
    async fn claim_attempt(
        &self,
        record: &mut ReportRecord,
        job: &Job,
    ) -> Result<String, JobError> {
        // Claim the attempt.
        let expected = record.version;
        let now = self.now_text();
        if record.status == Status::Standardized {
            status::transition(record, Status::Delivering, "delivering", &now)
                .map_err(|e| JobError::Permanent(e.to_string()))?;
        }
        let d = record.delivery.as_mut().expect("checked by delivery_step");
        d.phase = DeliveryPhase::InFlight;
        d.attempts = job.attempt;
        d.claimed_at = Some(now.clone());
        record.delivery_attempts = job.attempt;
        record.version = expected + 1;
        self.save(record, expected).await?;

        Ok(now)
    }

    /// Leaves the delivery pending while its endpoint is disabled; the report itself is done.
    async fn hold_delivery(&self, record: ReportRecord) -> Result<(), JobError> {
        let mut held = record;
        let expected = held.version;
        if let Some(d) = held.delivery.as_mut() {
            d.phase = DeliveryPhase::Pending;
            d.claimed_at = None;
            d.next_attempt_at = None;
            d.last_error = Some(HELD.into());
        }
        let now = self.now_text();
        if matches!(held.status, Status::Standardized | Status::Delivering) {
            status::transition(&mut held, Status::Completed, "completed", &now)
                .map_err(|e| JobError::Permanent(e.to_string()))?;
        }
        held.updated_at = now;
        held.version = expected + 1;
        self.store.update(&held, expected).await?;
        Ok(())
    }

    /// The run's event in the endpoint's format, signed with the endpoint's secrets.
    async fn signed_webhook(
        &self,
        record: &ReportRecord,
        endpoint: &WebhookEndpoint,
    ) -> Result<OutgoingWebhook, JobError> {
        let d = record.delivery.clone().expect("claimed by claim_attempt");
        let report_bytes = self
            .blobs
            .get(&keys::report_key(&record.tenant, &record.id))
            .await?
            .ok_or_else(|| JobError::Permanent("report body is missing".into()))?;
        let report: Report = serde_json::from_slice(&report_bytes)
            .map_err(|e| JobError::Permanent(format!("report body is invalid: {e}")))?;
        let event_type = EventType::parse(&d.event_type).unwrap_or(EventType::Completed);
        let event = WebhookEvent::new(
            d.event_id.clone(),
            event_type,
            d.event_created_at.clone(),
            report,
        );
        let body = endpoint
            .format
            .render(&event)
            .map_err(|e| JobError::Permanent(format!("event does not serialize: {e}")))?;
        let now = self.clock.now();
        let secrets = endpoint.signing_secrets(now);
        let mut headers = signature_headers(&secrets, &d.event_id, now.timestamp(), &body);
        headers.push(("content-type".into(), "application/json".into()));
        headers.push(("user-agent".into(), "Labrador-Webhooks/1".into()));
        if let Some(auth) = &endpoint.authorization {
            headers.push(("authorization".into(), auth.clone()));
        }
        Ok(OutgoingWebhook {
            url: endpoint.url.clone(),
            headers,
            body: body.into(),
            timeout: self.config.webhook_timeout,
        })
    }

    /// Appends the attempt to the delivery log (a failed write is logged: the attempt happened)
    /// and reads its result: the outcome (`None`: the destination is refused for good), the
    /// receiver's `Retry-After`, and the error to record.
    async fn log_attempt(
        &self,
        record: &ReportRecord,
        job: &Job,
        now: String,
        result: &Result<WebhookResponse, SendError>,
    ) -> (Option<AttemptOutcome>, Option<Duration>, Option<String>) {
        let d = record.delivery.as_ref().expect("claimed by claim_attempt");
        let mut attempt_log = DeliveryAttempt {
            event_id: d.event_id.clone(),
            attempt: job.attempt,
            at: now,
            status_code: None,
            duration_ms: 0,
            error: None,
            response: None,
        };
        let (outcome, retry_after, error) = match result {
            Ok(resp) => {
                attempt_log.status_code = Some(resp.status);
                attempt_log.duration_ms = resp.duration.as_millis() as u64;
                attempt_log.response = Some(resp.body.clone());
                let outcome = classify_status(resp.status);
                let error =
                    (outcome != AttemptOutcome::Delivered).then(|| format!("HTTP {}", resp.status));
                (Some(outcome), resp.retry_after, error)
            }
            Err(SendError::Forbidden(m)) => {
                (None, None, Some(format!("destination not allowed: {m}")))
            }
            Err(e) => (Some(AttemptOutcome::Retry), None, Some(e.to_string())),
        };
        attempt_log.error = error.clone();
        if let Err(e) = self
            .store
            .append_delivery_attempt(&record.tenant, &record.id, &attempt_log)
            .await
        {
            tracing::warn!(report = %record.id, "attempt log write failed: {e}");
        }

        (outcome, retry_after, error)
    }

    /// Ends the delivery, or schedules the next attempt, by the attempt's outcome.
    async fn after_attempt(
        &self,
        record: ReportRecord,
        job: &Job,
        endpoint: &WebhookEndpoint,
        outcome: Option<AttemptOutcome>,
        retry_after: Option<Duration>,
        error: Option<String>,
    ) -> Result<(), JobError> {
        match outcome {
            Some(AttemptOutcome::Delivered) => {
                self.finish_delivery(record, DeliveryPhase::Delivered, None)
                    .await
            }
            Some(AttemptOutcome::Gone) => {
                let mut disabled = endpoint.clone();
                disabled.disabled = true;
                disabled.updated_at = self.now_text();
                self.store.put_endpoint(&disabled).await?;
                self.finish_delivery(
                    record,
                    DeliveryPhase::Failed,
                    Some("endpoint answered 410 Gone; disabled"),
                )
                .await
            }
            None => {
                self.finish_delivery(record, DeliveryPhase::Failed, error.as_deref())
                    .await
            }
            Some(AttemptOutcome::Retry) => {
                let series_start = record.delivery.as_ref().map_or(1, |d| d.series_start);
                let in_series = (job.attempt + 1).saturating_sub(series_start.max(1));
                match self.config.retry.next_delay(in_series, retry_after) {
                    Some(delay) => {
                        let next_at = self.clock.now()
                            + chrono::Duration::from_std(delay).unwrap_or_default();
                        let updated = self
                            .update_delivery(&record, |d| {
                                d.phase = DeliveryPhase::Pending;
                                d.claimed_at = None;
                                d.next_attempt_at = Some(
                                    next_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                                );
                                d.last_error = error.clone();
                            })
                            .await?;
                        let next = Job {
                            attempt: job.attempt + 1,
                            not_before: None,
                            ..job.clone()
                        };
                        self.send_later(QueueName::Deliver, next, delay).await?;
                        drop(updated);
                        Ok(())
                    }
                    None => {
                        self.finish_delivery(record, DeliveryPhase::Failed, Some(EXHAUSTED))
                            .await?;
                        Err(JobError::Permanent(EXHAUSTED.into()))
                    }
                }
            }
        }
    }

    /// Records the end of a delivery; a report waiting on it becomes `completed`.
    pub(crate) async fn finish_delivery(
        &self,
        record: ReportRecord,
        phase: DeliveryPhase,
        error: Option<&str>,
    ) -> Result<(), JobError> {
        let now = self.now_text();
        self.update_delivery(&record, |d| {
            d.phase = phase;
            d.claimed_at = None;
            d.next_attempt_at = None;
            d.last_error = error.map(str::to_string);
            if phase == DeliveryPhase::Delivered {
                d.delivered_at = Some(now.clone());
            }
        })
        .await?;
        Ok(())
    }

    /// Applies `f` to the record's delivery (re-reading on a lost race) and moves a report that
    /// waits on its delivery to `completed` once the delivery ended.
    async fn update_delivery(
        &self,
        record: &ReportRecord,
        f: impl Fn(&mut crate::record::Delivery),
    ) -> Result<ReportRecord, JobError> {
        let mut current = record.clone();
        for _ in 0..5 {
            let expected = current.version;
            let Some(d) = current.delivery.as_mut() else {
                return Ok(current);
            };
            f(d);
            let ended = matches!(d.phase, DeliveryPhase::Delivered | DeliveryPhase::Failed);
            let stage = if d.phase == DeliveryPhase::Delivered {
                "completed"
            } else {
                "delivery_failed"
            };
            if ended && matches!(current.status, Status::Standardized | Status::Delivering) {
                let now = self.now_text();
                status::transition(&mut current, Status::Completed, stage, &now)
                    .map_err(|e| JobError::Permanent(e.to_string()))?;
            } else if ended && current.status == Status::Completed && current.stage != stage {
                // A redelivery of a completed report: its stage says how the last delivery
                // ended, so the list and the report agree after a successful retry.
                current.stage = stage.to_string();
                current.updated_at = self.now_text();
            }
            current.version = expected + 1;
            match self.store.update(&current, expected).await {
                Ok(()) => return Ok(current),
                Err(crate::ports::StoreError::Conflict) => {
                    let fresh = self.store.get(&record.tenant, &record.id).await?;
                    // Deleted: the attempt just logged must not outlive the report.
                    self.end_if_gone(&record.tenant, &record.id, fresh.as_ref())
                        .await?;
                    match fresh {
                        Some(fresh) if fresh.run == record.run => current = fresh,
                        _ => return Ok(record.clone()),
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(JobError::Retriable("record keeps changing".into()))
    }
}

const EXHAUSTED: &str = "webhook delivery failed after every attempt";
const HELD: &str = "the webhook endpoint is disabled; delivery resumes when it is enabled again";
