//! The recovery sweep: a report whose next job was lost is given it again. An upload that never
//! answered its client (its record still `received` after a crash, or after a storage failure
//! that its clean-up could not undo either) is removed: the client was not told it exists. A
//! report left `queued`, `processed` or `standardized` with a first delivery never tried (the
//! job's send failed after the status was written) gets its step's job again; steps are
//! idempotent, so a job that was only slow does no harm. Reports inside a step are not touched:
//! their message is held by a worker or comes back when its visibility ends.

use super::{AWAITING_UPLOAD, Services};
use crate::ports::{Job, QueueName, StoreError};
use crate::record::{DeliveryPhase, ReportRecord};
use labrador_engine::model::Status;
use std::time::Duration;

/// Records looked at per sweep.
const SWEEP_LIMIT: usize = 500;

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovered {
    /// Uploads that never answered, removed with their files.
    pub removed: usize,
    /// Reports given their next job again.
    pub requeued: usize,
    /// Presigned uploads whose files never all arrived, ended `failed`.
    pub expired: usize,
}

impl Services {
    /// One sweep over the reports waiting between steps for longer than
    /// [`ServiceConfig::stall_after`](super::ServiceConfig::stall_after).
    pub async fn recover_stalled(&self) -> Result<Recovered, StoreError> {
        let stall = chrono::Duration::from_std(self.config.stall_after).unwrap_or_default();
        let cutoff = self.clock.now() - stall;
        let mut done = Recovered::default();
        for record in self.store.in_progress(SWEEP_LIMIT).await? {
            if record.deleted_at.is_some() {
                self.sweep_deleted(&record.tenant, &record.id).await?;
                continue;
            }
            let stalled = chrono::DateTime::parse_from_rfc3339(&record.updated_at)
                .is_ok_and(|at| at.with_timezone(&chrono::Utc) < cutoff);
            if !stalled {
                continue;
            }
            match self.next_job(&record) {
                Recovery::Remove => {
                    self.sweep_deleted(&record.tenant, &record.id).await?;
                    tracing::warn!(
                        tenant = record.tenant,
                        report_id = record.id,
                        "removed an upload that never finished its intake"
                    );
                    done.removed += 1;
                }
                Recovery::Expire => {
                    if self.expire_abandoned_upload(&record).await {
                        done.expired += 1;
                    }
                }
                Recovery::Send(queue, job) => {
                    self.queue
                        .send(queue, &job, Duration::ZERO)
                        .await
                        .map_err(|e| StoreError::backend_from("recovery: send the job", e))?;
                    tracing::warn!(
                        tenant = record.tenant,
                        report_id = record.id,
                        ?queue,
                        "a stalled report was given its job again"
                    );
                    done.requeued += 1;
                }
                Recovery::Nothing => {}
            }
        }
        Ok(done)
    }

    fn next_job(&self, record: &ReportRecord) -> Recovery {
        let job = Job {
            tenant: record.tenant.clone(),
            report_id: record.id.clone(),
            run: record.run,
            ..Job::default()
        };
        match record.status {
            Status::Received if record.stage == AWAITING_UPLOAD => Recovery::Expire,
            Status::Received => Recovery::Remove,
            Status::Queued => Recovery::Send(QueueName::Extract, job),
            Status::Processed => Recovery::Send(QueueName::Standardize, job),
            Status::Standardized => match record.delivery.as_ref() {
                Some(d) if d.phase == DeliveryPhase::Pending && d.attempts == 0 => Recovery::Send(
                    QueueName::Deliver,
                    Job {
                        event_id: Some(d.event_id.clone()),
                        attempt: 1,
                        ..job
                    },
                ),
                _ => Recovery::Nothing,
            },
            _ => Recovery::Nothing,
        }
    }
}

enum Recovery {
    Remove,
    Expire,
    Send(QueueName, Job),
    Nothing,
}
