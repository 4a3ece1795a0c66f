//! Giving up on a job: when a step keeps failing (its queue's receives are spent) or fails for
//! good, the report must not stay `processing` forever. The record ends as `failed` (retriable,
//! so a client or an operator can reprocess it) and the failure is announced like any other.

use super::{JobError, Services};
use crate::ports::{Job, QueueName};
use crate::record::DeliveryPhase;
use labrador_engine::model::Status;

/// What [`Services::give_up`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GaveUp {
    /// The record was still in the step's hands and is now `failed`.
    MarkedFailed,
    /// The webhook delivery of the current event is now marked failed.
    DeliveryFailed,
    /// Nothing was left to do: the job is stale or the record had already moved on.
    Nothing,
}

impl Services {
    /// Ends the work of `job` on `queue` that could not be done. Safe to call more than once and
    /// concurrently with the step itself (every write is conditional).
    pub async fn give_up(&self, queue: QueueName, job: &Job) -> Result<GaveUp, JobError> {
        if job.upload_arrived {
            let record = self.store.get(&job.tenant, &job.report_id).await?;
            let Some(record) = record.filter(|r| r.status == Status::Received) else {
                return Ok(GaveUp::Nothing);
            };
            self.fail(
                record,
                "intake_failed",
                "the uploaded files could not be taken in; upload them again",
                false,
            )
            .await?;
            return Ok(GaveUp::MarkedFailed);
        }
        let Some(record) = self.record_for(job).await? else {
            return Ok(GaveUp::Nothing);
        };
        match queue {
            QueueName::Extract | QueueName::Standardize => {
                let (code, in_step): (&str, &[Status]) = match queue {
                    QueueName::Extract => (
                        "extraction_failed",
                        &[Status::Received, Status::Queued, Status::Processing],
                    ),
                    _ => (
                        "standardization_failed",
                        &[Status::Processed, Status::Standardizing],
                    ),
                };
                if !in_step.contains(&record.status) {
                    return Ok(GaveUp::Nothing);
                }
                self.fail(
                    record,
                    code,
                    "processing failed repeatedly; reprocess the report to try again",
                    true,
                )
                .await?;
                Ok(GaveUp::MarkedFailed)
            }
            QueueName::Deliver => {
                let open = record.delivery.as_ref().is_some_and(|d| {
                    job.event_id.as_deref() == Some(d.event_id.as_str())
                        && matches!(d.phase, DeliveryPhase::Pending | DeliveryPhase::InFlight)
                });
                if !open {
                    return Ok(GaveUp::Nothing);
                }
                self.finish_delivery(record, DeliveryPhase::Failed, Some(GAVE_UP))
                    .await?;
                Ok(GaveUp::DeliveryFailed)
            }
        }
    }
}

const GAVE_UP: &str = "the delivery step failed repeatedly; request a redelivery to try again";
