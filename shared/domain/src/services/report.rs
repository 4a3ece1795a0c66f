//! The report body of a record, and the outcome write shared by every step that
//! finishes a report (standardized, rejected, failed).

use super::{JobError, Services, keys};
use crate::ports::{Job, QueueName};
use crate::record::{Delivery, DeliveryPhase, ReportRecord};
use crate::status;
use crate::webhook::{EventType, new_event_id};
use bytes::Bytes;
use labrador_engine::model::{Report, StandardizedReport, Status, StatusChange};
use std::time::Duration;

/// The report body of a record in its outcome `status`, with what standardization produced
/// (nothing for rejected or failed reports). Finished reports say `completed` in the body:
/// delivery progress is on the record and the deliveries log, not in the report.
pub fn report_from_record(
    record: &ReportRecord,
    standardized: Option<StandardizedReport>,
    outcome: Status,
    now: &str,
) -> Report {
    let mut report = Report::assemble(
        record.id.clone(),
        record.files.clone(),
        standardized.unwrap_or_default(),
        outcome,
        status::default_stage(outcome),
        now,
    );
    report.reference_id = record.reference_id.clone();
    report.metadata = record.metadata.clone();
    report.uploaded_at = record.uploaded_at.clone();
    report.updated_at = now.to_string();
    report.status_history = record.status_history.clone();
    if report.status_history.last().map(|c| c.status) != Some(outcome) {
        report.status_history.push(StatusChange {
            status: outcome,
            stage: status::default_stage(outcome).to_string(),
            at: now.to_string(),
        });
    }
    report.rejection = record.rejection.clone();
    report.error = record.error.clone();
    report.request_id = record.request_id.clone();
    report
}

impl Services {
    /// Writes the report body of an outcome and fixes the run's webhook event on `record`
    /// (the caller then writes the record conditionally and calls [`Services::after_outcome`]).
    pub(crate) async fn write_outcome(
        &self,
        record: &mut ReportRecord,
        standardized: Option<StandardizedReport>,
        outcome: Status,
    ) -> Result<(), JobError> {
        let now = self.now_text();
        let report = report_from_record(record, standardized, outcome, &now);
        let body = serde_json::to_vec(&report)
            .map_err(|e| JobError::Permanent(format!("report does not serialize: {e}")))?;
        self.blobs
            .put(
                &keys::report_key(&record.tenant, &record.id),
                Bytes::from(body),
                "application/json",
            )
            .await?;
        let event_id = new_event_id();
        record.event_id = Some(event_id.clone());
        record.delivery_attempts = 0;
        record.delivery = Some(Delivery {
            event_id,
            event_type: EventType::for_status(outcome).as_str().to_string(),
            event_created_at: now,
            phase: DeliveryPhase::Pending,
            attempts: 0,
            series_start: 1,
            claimed_at: None,
            next_attempt_at: None,
            delivered_at: None,
            last_error: None,
        });
        Ok(())
    }

    /// After an outcome was written: queue the first delivery when the tenant has an enabled
    /// endpoint that wants this event; otherwise finish (standardized → completed).
    pub(crate) async fn after_outcome(&self, record: &ReportRecord) -> Result<(), JobError> {
        let Some(delivery) = record.delivery.as_ref() else {
            return Ok(());
        };
        let endpoint = self.store.get_endpoint(&record.tenant).await?;
        let wants = endpoint.as_ref().is_some_and(|e| {
            !e.disabled
                && (e.event_types.is_empty()
                    || e.event_types.iter().any(|t| t == &delivery.event_type))
        });
        if wants {
            let job = Job {
                tenant: record.tenant.clone(),
                report_id: record.id.clone(),
                run: record.run,
                event_id: Some(delivery.event_id.clone()),
                attempt: delivery.attempts + 1,
                ..Job::default()
            };
            self.send_later(QueueName::Deliver, job, Duration::ZERO)
                .await?;
        } else if record.status == Status::Standardized {
            let mut done = record.clone();
            status::transition(&mut done, Status::Completed, "completed", &self.now_text())
                .map_err(|e| JobError::Permanent(e.to_string()))?;
            done.version = record.version + 1;
            self.save(&done, record.version).await?;
        }
        Ok(())
    }
}
