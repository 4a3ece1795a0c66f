//! What every step shares: the record a job is for, its conditional writes (which find a
//! deleted report and clean up after it), the job of the next step, and ending a run as
//! `failed`.

use super::{JobError, Services, keys};
use crate::ports::{Job, QueueName, StoreError};
use crate::record::ReportRecord;
use crate::status;
use labrador_engine::model::{ReportError, Status};
use std::time::Duration;

impl Services {
    /// The record a job is about, or `None` when the job is stale (record deleted, or a newer
    /// run started by reprocessing).
    /// A deleted report (no record, or its delete under way) is swept here: whatever a step
    /// of it wrote after the delete removed its files is removed too.
    pub(crate) async fn record_for(&self, job: &Job) -> Result<Option<ReportRecord>, JobError> {
        let record = self.store.get(&job.tenant, &job.report_id).await?;
        if let Some(id) = record.as_ref().and_then(|r| r.request_id.as_deref()) {
            tracing::Span::current().record("request_id", id);
        }
        match record {
            Some(r) if r.deleted_at.is_none() => Ok((r.run == job.run).then_some(r)),
            _ => {
                self.sweep_deleted(&job.tenant, &job.report_id).await?;
                Ok(None)
            }
        }
    }

    /// A step's write of `record`, conditional on the stored version being `expected`. When the
    /// report was deleted meanwhile, what the step wrote is removed and the job ends
    /// ([`JobError::ReportDeleted`]): a step writes only while its report exists.
    pub(crate) async fn save(&self, record: &ReportRecord, expected: u64) -> Result<(), JobError> {
        match self.store.update(record, expected).await {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict | StoreError::NotFound) => {
                self.end_if_deleted(record).await?;
                Err(JobError::Retriable("concurrent update".into()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Ends the job ([`JobError::ReportDeleted`], after sweeping) when `record`'s report was
    /// deleted or its delete began; `Ok` while it exists.
    pub(crate) async fn end_if_deleted(&self, record: &ReportRecord) -> Result<(), JobError> {
        let current = self.store.get(&record.tenant, &record.id).await?;
        self.end_if_gone(&record.tenant, &record.id, current.as_ref())
            .await
    }

    /// [`Services::end_if_deleted`] on a record already read (`current`, `None` when absent).
    pub(crate) async fn end_if_gone(
        &self,
        tenant: &str,
        id: &str,
        current: Option<&ReportRecord>,
    ) -> Result<(), JobError> {
        if current.is_none_or(|r| r.deleted_at.is_some()) {
            self.sweep_deleted(tenant, id).await?;
            return Err(JobError::ReportDeleted);
        }
        Ok(())
    }

    /// Runs `step` on a record this worker has just claimed (at `record.version`). When the step
    /// fails but may be retried, the claim is let go, so the retry need not wait out the lease;
    /// if even that write fails, the lease runs out as after a crash.
    pub(crate) async fn with_claim<F>(&self, record: ReportRecord, step: F) -> Result<(), JobError>
    where
        F: std::future::Future<Output = Result<(), JobError>>,
    {
        let outcome = step.await;
        if let Err(JobError::Retriable(_) | JobError::Unavailable(_)) = &outcome
            && let Ok(Some(mut current)) = self.store.get(&record.tenant, &record.id).await
            && current.version == record.version
            && current.deleted_at.is_none()
        {
            current.claim_released = true;
            current.version = record.version + 1;
            let _ = self.store.update(&current, record.version).await;
        }
        outcome
    }

    /// Removes all a deleted report has: its files and artifacts, its record (the tombstone)
    /// and its attempt log. Idempotent.
    pub(crate) async fn sweep_deleted(&self, tenant: &str, id: &str) -> Result<(), StoreError> {
        self.blobs
            .delete_prefix(&keys::report_prefix(tenant, id))
            .await?;
        self.blobs
            .delete_prefix(&keys::incoming_prefix(tenant, id))
            .await?;
        self.store.delete(tenant, id).await
    }

    /// Queues the record's current run on `queue` (the next step).
    pub(crate) async fn send_next(
        &self,
        queue: QueueName,
        record: &ReportRecord,
    ) -> Result<(), JobError> {
        let job = Job {
            tenant: record.tenant.clone(),
            report_id: record.id.clone(),
            run: record.run,
            ..Job::default()
        };
        self.queue.send(queue, &job, Duration::ZERO).await?;
        Ok(())
    }

    /// Ends the run as `failed` with an error, and announces it.
    pub(crate) async fn fail(
        &self,
        mut record: ReportRecord,
        code: &str,
        message: &str,
        retriable: bool,
    ) -> Result<(), JobError> {
        let expected = record.version;
        record.error = Some(ReportError {
            code: code.to_string(),
            message: message.to_string(),
            retriable,
        });
        status::transition(&mut record, Status::Failed, code, &self.now_text())
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        self.write_outcome(&mut record, None, Status::Failed)
            .await?;
        record.version = expected + 1;
        self.save(&record, expected).await?;
        self.after_outcome(&record).await
    }
}
