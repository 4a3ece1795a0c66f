//! Reading, reprocessing, redelivering and deleting reports.

use super::{Services, keys, report_from_record};
use crate::ports::{Job, ListFilter, ListPage, QueueError, QueueName, StoreError};
use crate::record::{DeliveryAttempt, DeliveryPhase, ReportRecord};
use crate::status;
use crate::webhook::new_event_id;
use labrador_engine::model::{Report, Status};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ManageError {
    #[error("report not found")]
    NotFound,
    #[error("report expired")]
    Expired,
    #[error("{0}")]
    Conflict(String),
    /// A list cursor that was not issued by this service.
    #[error("invalid list cursor")]
    InvalidCursor,
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

impl From<StoreError> for ManageError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ManageError::NotFound,
            StoreError::Conflict => ManageError::Conflict("the report changed; try again".into()),
            StoreError::InvalidCursor => ManageError::InvalidCursor,
            StoreError::Backend(m) => ManageError::Unavailable(m.to_string()),
        }
    }
}

impl From<QueueError> for ManageError {
    fn from(e: QueueError) -> Self {
        ManageError::Unavailable(e.to_string())
    }
}

/// What GET answers for a report.
#[derive(Debug, Clone)]
pub enum ReportView {
    /// Still processing: the record (status, stage).
    Pending(Box<ReportRecord>),
    /// Finished (completed, failed or rejected): the report body.
    Done(Box<Report>),
}

impl Services {
    /// The record of a report of this tenant; `Expired` after its retention.
    pub async fn record(&self, tenant: &str, id: &str) -> Result<ReportRecord, ManageError> {
        let record = self
            .store
            .get(tenant, id)
            .await?
            .filter(|r| r.deleted_at.is_none())
            .ok_or(ManageError::NotFound)?;
        if record
            .expires_at
            .is_some_and(|t| t <= self.clock.now().timestamp())
        {
            return Err(ManageError::Expired);
        }
        Ok(record)
    }

    /// The tenant an API key (its sha256 hex) belongs to.
    pub async fn tenant_for_api_key_hash(
        &self,
        key_hash: &str,
    ) -> Result<Option<String>, ManageError> {
        Ok(self.store.tenant_for_api_key_hash(key_hash).await?)
    }

    /// The tenant's reports, newest first, a page at a time.
    pub async fn list_reports(
        &self,
        tenant: &str,
        filter: &ListFilter,
    ) -> Result<ListPage, ManageError> {
        let mut page = self.store.list(tenant, filter).await?;
        page.records.retain(|r| r.deleted_at.is_none());
        Ok(page)
    }

    /// A report's record and the log of its webhook attempts.
    pub async fn delivery_attempts(
        &self,
        tenant: &str,
        id: &str,
    ) -> Result<(ReportRecord, Vec<DeliveryAttempt>), ManageError> {
        let record = self.record(tenant, id).await?;
        let attempts = self.store.list_delivery_attempts(tenant, id).await?;
        Ok((record, attempts))
    }

    pub async fn view(&self, tenant: &str, id: &str) -> Result<ReportView, ManageError> {
        let mut record = self.record(tenant, id).await?;
        if self.expire_abandoned_upload(&record).await {
            record = self.record(tenant, id).await?;
        }
        if !status::has_outcome(record.status) {
            return Ok(ReportView::Pending(Box::new(record)));
        }
        let stored = self
            .blobs
            .get(&keys::report_key(tenant, id))
            .await?
            .and_then(|b| serde_json::from_slice::<Report>(&b).ok());
        let report = match stored {
            Some(r) => r,
            None => {
                let outcome = match record.status {
                    Status::Failed | Status::Rejected => record.status,
                    _ => Status::Completed,
                };
                report_from_record(&record, None, outcome, &record.updated_at)
            }
        };
        Ok(ReportView::Done(Box::new(report)))
    }

    /// A presigned upload whose files never all arrived ends `failed` (`upload_expired`) once
    /// its upload URLs are long expired, so pollers stop waiting. Whether it was ended now.
    pub(crate) async fn expire_abandoned_upload(&self, record: &ReportRecord) -> bool {
        if record.status != Status::Received || record.stage != super::AWAITING_UPLOAD {
            return false;
        }
        let Ok(uploaded) = chrono::DateTime::parse_from_rfc3339(&record.uploaded_at) else {
            return false;
        };
        let grace = chrono::Duration::from_std(self.config.upload_url_ttl * 2).unwrap_or_default();
        if self.clock.now() < uploaded.with_timezone(&chrono::Utc) + grace {
            return false;
        }
        // A lost race (the last file just arrived) leaves the record to intake.
        self.fail(
            record.clone(),
            "upload_expired",
            "not every declared file was uploaded before the upload URLs expired",
            false,
        )
        .await
        .is_ok()
    }

    /// Waits up to `timeout` for the report to finish; the view at the end.
    pub async fn wait_for_outcome(
        &self,
        tenant: &str,
        id: &str,
        timeout: Duration,
    ) -> Result<ReportView, ManageError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let view = self.view(tenant, id).await?;
            if matches!(view, ReportView::Done(_)) || tokio::time::Instant::now() >= deadline {
                return Ok(view);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs extraction and standardization again on the stored files: a new run (stale jobs of
    /// the old one are ignored) and, at its end, a new event id.
    pub async fn reprocess(&self, tenant: &str, id: &str) -> Result<ReportRecord, ManageError> {
        let mut record = self.record(tenant, id).await?;
        if !record.status.is_terminal() {
            return Err(ManageError::Conflict(
                "the report is still being processed".into(),
            ));
        }
        let expected = record.version;
        status::transition(&mut record, Status::Queued, "queued", &self.now_text())
            .map_err(|e| ManageError::Conflict(e.to_string()))?;
        record.run += 1;
        record.rejection = None;
        record.error = None;
        record.event_id = None;
        record.delivery = None;
        record.delivery_attempts = 0;
        record.version = expected + 1;
        self.store.update(&record, expected).await?;
        let job = Job {
            tenant: tenant.to_string(),
            report_id: id.to_string(),
            run: record.run,
            ..Job::default()
        };
        self.queue
            .send(QueueName::Extract, &job, Duration::ZERO)
            .await?;
        Ok(record)
    }

    /// Sends the webhook of the current run again (same event id), with a fresh attempt series.
    pub async fn redeliver(&self, tenant: &str, id: &str) -> Result<ReportRecord, ManageError> {
        let mut record = self.record(tenant, id).await?;
        if !status::has_outcome(record.status) {
            return Err(ManageError::Conflict(
                "the report has no outcome to deliver yet".into(),
            ));
        }
        let endpoint = self.store.get_endpoint(tenant).await?;
        if endpoint.is_none_or(|e| e.disabled) {
            return Err(ManageError::Conflict(
                "no enabled webhook endpoint is configured".into(),
            ));
        }
        let expected = record.version;
        let now = self.now_text();
        match record.delivery.as_mut() {
            Some(d) => {
                if d.phase == DeliveryPhase::InFlight {
                    return Err(ManageError::Conflict(
                        "a delivery attempt is in flight".into(),
                    ));
                }
                // A fresh series of the retry schedule, numbered on from the last attempt.
                d.phase = DeliveryPhase::Pending;
                d.series_start = d.attempts + 1;
                d.claimed_at = None;
                d.next_attempt_at = None;
                d.last_error = None;
            }
            None => {
                let event_id = new_event_id();
                record.event_id = Some(event_id.clone());
                record.delivery = Some(crate::record::Delivery {
                    event_id,
                    event_type: crate::webhook::EventType::for_status(record.status)
                        .as_str()
                        .to_string(),
                    event_created_at: now.clone(),
                    phase: DeliveryPhase::Pending,
                    attempts: 0,
                    series_start: 1,
                    claimed_at: None,
                    next_attempt_at: None,
                    delivered_at: None,
                    last_error: None,
                });
            }
        }
        record.updated_at = now;
        record.version = expected + 1;
        self.store.update(&record, expected).await?;
        let d = record.delivery.as_ref().expect("set above");
        let job = Job {
            tenant: tenant.to_string(),
            report_id: id.to_string(),
            run: record.run,
            event_id: Some(d.event_id.clone()),
            attempt: d.series_start,
            ..Job::default()
        };
        self.queue
            .send(QueueName::Deliver, &job, Duration::ZERO)
            .await?;
        Ok(record)
    }

    /// Deletes the files, artifacts, attempt log and record. The record is marked deleted
    /// first (a tombstone), so a step running meanwhile fails its next conditional write and
    /// removes what it wrote; jobs still queued find nothing and stop. A delete cut short (a
    /// storage error) is finished by the next DELETE or by any job of the report.
    pub async fn delete(&self, tenant: &str, id: &str) -> Result<(), ManageError> {
        // Not `record()`: an expired report, or one whose delete began, can still be deleted.
        let Some(mut record) = self.store.get(tenant, id).await? else {
            return Err(ManageError::NotFound);
        };
        while record.deleted_at.is_none() {
            let expected = record.version;
            record.deleted_at = Some(self.now_text());
            record.version = expected + 1;
            match self.store.update(&record, expected).await {
                Ok(()) => break,
                Err(StoreError::Conflict) => match self.store.get(tenant, id).await? {
                    Some(fresh) => record = fresh,
                    None => return Ok(()),
                },
                Err(e) => return Err(e.into()),
            }
        }
        self.sweep_deleted(tenant, id).await?;
        Ok(())
    }
}
