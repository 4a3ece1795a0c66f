//! The extract step: queued → processing (extracting) → processed, or rejected / failed.

use super::{JobError, ReportEngine, Services, keys};
use crate::ports::{Job, QueueName};
use crate::record::ReportRecord;
use crate::status;
use bytes::Bytes;
use labrador_engine::model::{Extraction, InputFile, Status};
use std::sync::Arc;

impl Services {
    pub(crate) async fn run_extract(
        &self,
        job: &Job,
        engine: Arc<dyn ReportEngine>,
    ) -> Result<(), JobError> {
        let Some(mut record) = self.record_for(job).await? else {
            return Ok(());
        };
        match record.status {
            Status::Queued => {}
            Status::Processing => {
                if !record.claim_released
                    && let Some(busy) = self.busy(&record.updated_at, self.config.step_lease)
                {
                    return Err(busy);
                }
                // The worker that claimed it is gone: take it over.
            }
            Status::Processed => {
                // Done before, but the next job may not have been sent: send it again.
                return self.send_next(QueueName::Standardize, &record).await;
            }
            _ => return Ok(()),
        }
        // Claim.
        let expected = record.version;
        let now = self.now_text();
        if record.status == Status::Queued {
            status::transition(&mut record, Status::Processing, "extracting", &now)
                .map_err(|e| JobError::Permanent(e.to_string()))?;
        } else {
            record.updated_at = now;
        }
        record.claim_released = false;
        record.version = expected + 1;
        self.save(&record, expected).await?;
        self.with_claim(record.clone(), self.extract_claimed(record, engine))
            .await
    }

    async fn extract_claimed(
        &self,
        mut record: ReportRecord,
        engine: Arc<dyn ReportEngine>,
    ) -> Result<(), JobError> {
        let mut blobs = Vec::with_capacity(record.files.len());
        for f in &record.files {
            let key = keys::file_key(&record.tenant, &record.id, f.index);
            let Some(bytes) = self.blobs.get(&key).await? else {
                // Gone because the report was deleted meanwhile: nothing to fail or give up.
                self.end_if_deleted(&record).await?;
                return Err(JobError::Permanent(format!("file {} is missing", f.index)));
            };
            blobs.push((f.index, f.file_name.clone(), bytes));
        }
        let result = tokio::task::spawn_blocking(move || {
            let inputs: Vec<InputFile<'_>> = blobs
                .iter()
                .map(|(index, name, bytes)| InputFile {
                    index: *index,
                    file_name: name,
                    bytes,
                })
                .collect();
            engine.extract(&inputs)
        })
        .await;

        let extraction: Extraction = match result {
            Ok(x) => x,
            Err(e) => {
                let message = if e.is_panic() {
                    "the engine failed on this document"
                } else {
                    "extraction was cancelled"
                };
                return self.fail(record, "extraction_failed", message, false).await;
            }
        };
        let body = serde_json::to_vec(&extraction)
            .map_err(|e| JobError::Permanent(format!("extraction does not serialize: {e}")))?;
        self.blobs
            .put(
                &keys::extraction_key(&record.tenant, &record.id),
                Bytes::from(body),
                "application/json",
            )
            .await?;

        for fx in &extraction.files {
            if let Some(info) = record.files.iter_mut().find(|f| f.index == fx.file) {
                info.pages = Some(fx.pages);
            }
        }
        let expected = record.version;
        let now = self.now_text();
        if let Some(rejection) = extraction.rejection.clone() {
            let stage = rejection.reason.code().to_string();
            record.rejection = Some(rejection);
            status::transition(&mut record, Status::Rejected, &stage, &now)
                .map_err(|e| JobError::Permanent(e.to_string()))?;
            self.write_outcome(&mut record, None, Status::Rejected)
                .await?;
            record.version = expected + 1;
            self.save(&record, expected).await?;
            return self.after_outcome(&record).await;
        }
        status::transition(&mut record, Status::Processed, "extracted", &now)
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        record.version = expected + 1;
        self.save(&record, expected).await?;
        self.send_next(QueueName::Standardize, &record).await
    }
}
