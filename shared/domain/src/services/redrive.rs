//! The operator's redrive: every message of a dead-letter queue is dealt with by what its report
//! needs now, not blindly resent. A report given up as `failed` is reprocessed (a new run), a
//! failed delivery is sent again, a job whose report still waits on it goes back to its queue, and
//! a stale job (old run, deleted report, finished work) is dropped.

use super::{JobError, ManageError, Services};
use crate::ports::{DeadLetterQueue, Job, QueueName};
use crate::record::DeliveryPhase;
use labrador_engine::model::Status;
use std::time::Duration;

/// What happened to one dead job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redriven {
    Reprocessed,
    Redelivered,
    Requeued,
    Dropped,
}

/// Counts of one redrive of a queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RedriveSummary {
    pub reprocessed: u64,
    pub redelivered: u64,
    pub requeued: u64,
    pub dropped: u64,
    /// Messages left in the dead-letter queue: not a job, or their report could not be handled.
    pub left: u64,
}

impl RedriveSummary {
    fn count(&mut self, outcome: Redriven) {
        match outcome {
            Redriven::Reprocessed => self.reprocessed += 1,
            Redriven::Redelivered => self.redelivered += 1,
            Redriven::Requeued => self.requeued += 1,
            Redriven::Dropped => self.dropped += 1,
        }
    }
}

fn manage_error(err: ManageError) -> JobError {
    match err {
        ManageError::Unavailable(m) => JobError::Unavailable(m),
        other => JobError::Permanent(other.to_string()),
    }
}

impl Services {
    /// Redrives every message of `queue`'s dead-letter queue.
    pub async fn redrive_dead_letters(
        &self,
        dead: &dyn DeadLetterQueue,
        queue: QueueName,
    ) -> Result<RedriveSummary, JobError> {
        let mut summary = RedriveSummary::default();
        loop {
            let batch = dead.take_dead(queue, 10).await?;
            if batch.is_empty() {
                return Ok(summary);
            }
            for letter in batch {
                let Some(job) = letter.job.as_ref() else {
                    summary.left += 1;
                    continue;
                };
                match self.redrive(queue, job).await {
                    Ok(outcome) => {
                        summary.count(outcome);
                        dead.remove_dead(queue, &letter).await?;
                    }
                    Err(err) => {
                        tracing::warn!(?queue, report = %job.report_id, error = %err, "redrive left a job dead");
                        summary.left += 1;
                    }
                }
            }
        }
    }

    /// Deals with one dead job of `queue` (see the module documentation).
    pub async fn redrive(&self, queue: QueueName, job: &Job) -> Result<Redriven, JobError> {
        if job.upload_arrived {
            let record = self.store.get(&job.tenant, &job.report_id).await?;
            let awaiting = record
                .is_some_and(|r| r.status == Status::Received && r.stage == super::AWAITING_UPLOAD);
            if !awaiting {
                return Ok(Redriven::Dropped);
            }
            self.queue.send(queue, job, Duration::ZERO).await?;
            return Ok(Redriven::Requeued);
        }
        let Some(record) = self.record_for(job).await? else {
            return Ok(Redriven::Dropped);
        };
        let (tenant, id) = (record.tenant.as_str(), record.id.as_str());
        match queue {
            QueueName::Extract | QueueName::Standardize => {
                let waiting: &[Status] = if queue == QueueName::Extract {
                    &[Status::Queued, Status::Processing]
                } else {
                    &[Status::Processed, Status::Standardizing]
                };
                if record.status == Status::Failed
                    && record.error.as_ref().is_some_and(|e| e.retriable)
                {
                    self.reprocess(tenant, id).await.map_err(manage_error)?;
                    Ok(Redriven::Reprocessed)
                } else if waiting.contains(&record.status) {
                    self.queue.send(queue, job, Duration::ZERO).await?;
                    Ok(Redriven::Requeued)
                } else {
                    Ok(Redriven::Dropped)
                }
            }
            QueueName::Deliver => {
                let Some(delivery) = record.delivery.as_ref() else {
                    return Ok(Redriven::Dropped);
                };
                if job.event_id.as_deref() != Some(delivery.event_id.as_str()) {
                    return Ok(Redriven::Dropped);
                }
                match delivery.phase {
                    DeliveryPhase::Failed => {
                        self.redeliver(tenant, id).await.map_err(manage_error)?;
                        Ok(Redriven::Redelivered)
                    }
                    DeliveryPhase::Pending | DeliveryPhase::InFlight => {
                        self.queue.send(queue, job, Duration::ZERO).await?;
                        Ok(Redriven::Requeued)
                    }
                    DeliveryPhase::Delivered => Ok(Redriven::Dropped),
                }
            }
        }
    }
}
