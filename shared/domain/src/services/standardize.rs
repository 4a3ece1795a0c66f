//! The standardize step: processed → standardizing → standardized (report.json written), then
//! delivery or completion.

use super::{JobError, Services, keys};
use crate::ports::Job;
use crate::record::ReportRecord;
use crate::status;
use labrador_engine::model::{Extraction, Status};
use labrador_engine::standardize::{self, StandardizeOptions};

impl Services {
    pub(crate) async fn run_standardize(&self, job: &Job) -> Result<(), JobError> {
        let Some(mut record) = self.record_for(job).await? else {
            return Ok(());
        };
        match record.status {
            Status::Processed => {}
            Status::Standardizing => {
                if !record.claim_released
                    && let Some(busy) = self.busy(&record.updated_at, self.config.step_lease)
                {
                    return Err(busy);
                }
            }
            // Finished before; make sure what follows was queued (idempotent on its side).
            Status::Standardized => return self.after_outcome(&record).await,
            _ => return Ok(()),
        }
        let expected = record.version;
        let now = self.now_text();
        if record.status == Status::Processed {
            status::transition(&mut record, Status::Standardizing, "standardizing", &now)
                .map_err(|e| JobError::Permanent(e.to_string()))?;
        } else {
            record.updated_at = now;
        }
        record.claim_released = false;
        record.version = expected + 1;
        self.save(&record, expected).await?;
        self.with_claim(record.clone(), self.standardize_claimed(record))
            .await
    }

    async fn standardize_claimed(&self, mut record: ReportRecord) -> Result<(), JobError> {
        let key = keys::extraction_key(&record.tenant, &record.id);
        let Some(bytes) = self.blobs.get(&key).await? else {
            return self
                .fail(
                    record,
                    "extraction_missing",
                    "the extraction artifact is missing",
                    true,
                )
                .await;
        };
        let extraction: Extraction = match serde_json::from_slice(&bytes) {
            Ok(x) => x,
            Err(_) => {
                return self
                    .fail(
                        record,
                        "extraction_invalid",
                        "the extraction artifact is invalid",
                        true,
                    )
                    .await;
            }
        };
        let result = tokio::task::spawn_blocking(move || {
            standardize::standardize(&extraction, &StandardizeOptions::default())
        })
        .await;
        let standardized = match result {
            Ok(s) => s,
            Err(_) => {
                return self
                    .fail(
                        record,
                        "standardization_failed",
                        "standardization failed on this document",
                        false,
                    )
                    .await;
            }
        };

        let expected = record.version;
        status::transition(
            &mut record,
            Status::Standardized,
            "standardized",
            &self.now_text(),
        )
        .map_err(|e| JobError::Permanent(e.to_string()))?;
        self.write_outcome(&mut record, Some(standardized), Status::Completed)
            .await?;
        record.version = expected + 1;
        self.save(&record, expected).await?;
        self.after_outcome(&record).await
    }
}
