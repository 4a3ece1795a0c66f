//! What every step shares: the record a job is for, the job of the next step, and ending a
//! run as `failed`.

use super::{JobError, Services};
use crate::ports::{Job, QueueName};
use crate::record::ReportRecord;
use crate::status;
use labrador_engine::model::{ReportError, Status};
use std::time::Duration;

impl Services {
    /// The record a job is about, or `None` when the job is stale (record deleted, or a newer
    /// run started by reprocessing).
    pub(crate) async fn record_for(&self, job: &Job) -> Result<Option<ReportRecord>, JobError> {
        let record = self.store.get(&job.tenant, &job.report_id).await?;
        if let Some(id) = record.as_ref().and_then(|r| r.request_id.as_deref()) {
            tracing::Span::current().record("request_id", id);
        }
        Ok(record.filter(|r| r.run == job.run))
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
        self.store.update(&record, expected).await?;
        self.after_outcome(&record).await
    }
}
