//! Accepting an upload: validate, store the files, create the record, detect duplicates,
//! queue the extraction.

use super::{JobError, Services, keys};
use crate::ports::{Job, QueueError, QueueName, StoreError};
use crate::record::ReportRecord;
use crate::status;
use bytes::Bytes;
use labrador_engine::model::{
    FileInfo, FileKind, Rejection, RejectionReason, Status, StatusChange,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::time::Duration;

/// One uploaded file as received. `declared_mime` is what the client said; it is not trusted.
#[derive(Debug, Clone)]
pub struct UploadFile {
    pub file_name: String,
    pub declared_mime: Option<String>,
    pub bytes: Bytes,
}

#[derive(Debug, Clone, Default)]
pub struct UploadRequest {
    pub files: Vec<UploadFile>,
    pub reference_id: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// The `X-Request-Id` of the upload, kept on the record.
    pub request_id: Option<String>,
}

/// Why an upload is refused. `code` is a stable string; `http_status` the answer to give.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("{detail}")]
    Invalid {
        code: &'static str,
        http_status: u16,
        detail: String,
    },
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

impl UploadError {
    fn invalid(code: &'static str, http_status: u16, detail: impl Into<String>) -> Self {
        UploadError::Invalid {
            code,
            http_status,
            detail: detail.into(),
        }
    }
}

impl From<StoreError> for UploadError {
    fn from(e: StoreError) -> Self {
        UploadError::Unavailable(e.to_string())
    }
}

impl From<QueueError> for UploadError {
    fn from(e: QueueError) -> Self {
        UploadError::Unavailable(e.to_string())
    }
}

impl From<JobError> for UploadError {
    fn from(e: JobError) -> Self {
        UploadError::Unavailable(e.to_string())
    }
}

impl Services {
    /// Checks the number of files, the reference id and the metadata against the limits.
    pub(crate) fn validate_fields(
        &self,
        files: usize,
        reference_id: Option<&str>,
        metadata: &BTreeMap<String, String>,
    ) -> Result<(), UploadError> {
        let c = &self.config;
        if files == 0 {
            return Err(UploadError::invalid(
                "no_files",
                400,
                "at least one file is required",
            ));
        }
        if files > c.max_files {
            return Err(UploadError::invalid(
                "too_many_files",
                400,
                format!("at most {} files per report", c.max_files),
            ));
        }
        if metadata.len() > c.max_metadata_pairs {
            return Err(UploadError::invalid(
                "invalid_metadata",
                400,
                format!("metadata holds at most {} pairs", c.max_metadata_pairs),
            ));
        }
        for (k, v) in metadata {
            if k.is_empty() || k.chars().count() > c.max_metadata_key {
                return Err(UploadError::invalid(
                    "invalid_metadata",
                    400,
                    format!("metadata keys are 1 to {} characters", c.max_metadata_key),
                ));
            }
            if v.chars().count() > c.max_metadata_value {
                return Err(UploadError::invalid(
                    "invalid_metadata",
                    400,
                    format!(
                        "metadata values are at most {} characters",
                        c.max_metadata_value
                    ),
                ));
            }
        }
        if let Some(r) = reference_id
            && (r.is_empty()
                || r.chars().count() > c.max_reference_id
                || r.chars().any(char::is_control))
        {
            return Err(UploadError::invalid(
                "invalid_reference_id",
                400,
                format!(
                    "reference_id is 1 to {} printable characters",
                    c.max_reference_id
                ),
            ));
        }
        Ok(())
    }

    /// Checks the request against the limits without storing anything.
    pub fn validate_upload(&self, req: &UploadRequest) -> Result<Vec<FileKind>, UploadError> {
        let c = &self.config;
        self.validate_fields(req.files.len(), req.reference_id.as_deref(), &req.metadata)?;
        let mut kinds = Vec::with_capacity(req.files.len());
        for (i, f) in req.files.iter().enumerate() {
            if f.bytes.is_empty() {
                return Err(UploadError::invalid(
                    "empty_file",
                    400,
                    format!("file {i} is empty"),
                ));
            }
            if f.bytes.len() > c.max_file_bytes {
                return Err(UploadError::invalid(
                    "file_too_large",
                    413,
                    format!("file {i} exceeds {} bytes", c.max_file_bytes),
                ));
            }
            match FileKind::sniff(&f.bytes) {
                Some(k) => kinds.push(k),
                None => {
                    return Err(UploadError::invalid(
                        "unsupported_file_type",
                        415,
                        format!("file {i} is not a PDF, PNG or JPEG"),
                    ));
                }
            }
        }
        Ok(kinds)
    }

    /// Accepts an upload: the new record, `queued` (or `rejected` as a duplicate). All or
    /// nothing: when any of the files, the record or the job cannot be written, what was written
    /// is removed again and the answer is `Unavailable` (a 503). If even that clean-up fails,
    /// the record stays `received`, which the recovery sweep removes later, and which the
    /// duplicate check never takes for an original.
    pub async fn accept_upload(
        &self,
        tenant: &str,
        req: UploadRequest,
    ) -> Result<ReportRecord, UploadError> {
        let kinds = self.validate_upload(&req)?;
        let id = uuid::Uuid::new_v4().to_string();
        match self.store_upload(tenant, &id, req, &kinds).await {
            Ok(record) => Ok(record),
            Err(err) => {
                if let Err(cleanup) = self.sweep_deleted(tenant, &id).await {
                    tracing::warn!(
                        tenant,
                        report_id = id,
                        error = %cleanup,
                        "cannot remove a failed upload; the recovery sweep will"
                    );
                }
                Err(err)
            }
        }
    }

    async fn store_upload(
        &self,
        tenant: &str,
        id: &str,
        req: UploadRequest,
        kinds: &[FileKind],
    ) -> Result<ReportRecord, UploadError> {
        let id = id.to_string();
        let mut files = Vec::with_capacity(req.files.len());
        let mut all_hashes = Sha256::new();
        for (i, (f, kind)) in req.files.iter().zip(kinds).enumerate() {
            let sha = hex::encode(Sha256::digest(&f.bytes));
            all_hashes.update(sha.as_bytes());
            self.blobs
                .put(
                    &keys::file_key(tenant, &id, i),
                    f.bytes.clone(),
                    kind.mime_type(),
                )
                .await?;
            files.push(FileInfo {
                index: i,
                file_name: sanitize_file_name(&f.file_name, i, *kind),
                mime_type: kind.mime_type().to_string(),
                sha256: sha,
                size: f.bytes.len() as u64,
                pages: None,
            });
        }
        let mut record = self.received_record(tenant, &id, "received", files);
        record.reference_id = req.reference_id;
        record.metadata = req.metadata;
        record.request_id = req.request_id;
        record.content_hash = hex::encode(all_hashes.finalize());
        self.store.create(&record).await?;
        Ok(self.finish_intake(record).await?)
    }

    /// The end of intake, once a `received` record has all its files: `rejected` as a duplicate
    /// of an older report with the same files, else `queued` with its extraction job sent.
    pub(crate) async fn finish_intake(
        &self,
        mut record: ReportRecord,
    ) -> Result<ReportRecord, JobError> {
        if let Some(original) = self.older_duplicate(&record).await? {
            let mut rejection = Rejection::new(
                RejectionReason::Duplicate,
                "the same files were uploaded before",
            );
            rejection.duplicate_of = Some(original);
            return self.reject_at_intake(record, rejection).await;
        }
        let expected = record.version;
        status::transition(&mut record, Status::Queued, "queued", &self.now_text())
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        record.version = expected + 1;
        self.save(&record, expected).await?;
        let job = Job {
            tenant: record.tenant.clone(),
            report_id: record.id.clone(),
            run: record.run,
            ..Job::default()
        };
        self.queue
            .send(QueueName::Extract, &job, Duration::ZERO)
            .await?;
        Ok(record)
    }

    /// Ends a `received` record as `rejected` (and announces it).
    pub(crate) async fn reject_at_intake(
        &self,
        mut record: ReportRecord,
        rejection: Rejection,
    ) -> Result<ReportRecord, JobError> {
        record.rejection = Some(rejection);
        let expected = record.version;
        status::transition(&mut record, Status::Rejected, "rejected", &self.now_text())
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        self.write_outcome(&mut record, None, Status::Rejected)
            .await?;
        record.version = expected + 1;
        self.save(&record, expected).await?;
        self.after_outcome(&record).await?;
        Ok(record)
    }

    /// The original this record duplicates: the oldest other report of the tenant with the
    /// same content hash, when it was uploaded before this one (ties broken by id) and got
    /// past intake.
    async fn older_duplicate(&self, record: &ReportRecord) -> Result<Option<String>, StoreError> {
        let Some(other_id) = self
            .store
            .find_by_content_hash(&record.tenant, &record.content_hash, &record.id)
            .await?
        else {
            return Ok(None);
        };
        let Some(other) = self.store.get(&record.tenant, &other_id).await? else {
            return Ok(None);
        };
        // Only a report that made it counts: an upload whose intake never finished (still
        // `received`) or one being deleted is no original.
        if other.status == Status::Received || other.deleted_at.is_some() {
            return Ok(None);
        }
        let older = (other.uploaded_at.as_str(), other.id.as_str())
            < (record.uploaded_at.as_str(), record.id.as_str());
        Ok(older.then_some(other_id))
    }
}

impl Services {
    /// A new record, `received` at `stage`, run 1, version 1.
    pub(crate) fn received_record(
        &self,
        tenant: &str,
        id: &str,
        stage: &str,
        files: Vec<FileInfo>,
    ) -> ReportRecord {
        let now = self.now_text();
        ReportRecord {
            tenant: tenant.to_string(),
            id: id.to_string(),
            status: Status::Received,
            stage: stage.to_string(),
            reference_id: None,
            metadata: BTreeMap::new(),
            files,
            content_hash: String::new(),
            uploaded_at: now.clone(),
            updated_at: now.clone(),
            status_history: vec![StatusChange {
                status: Status::Received,
                stage: stage.to_string(),
                at: now,
            }],
            rejection: None,
            error: None,
            run: 1,
            event_id: None,
            delivery_attempts: 0,
            expires_at: self.expires_at(),
            version: 1,
            delivery: None,
            deleted_at: None,
            claim_released: false,
            request_id: None,
        }
    }

    pub(crate) fn expires_at(&self) -> Option<i64> {
        self.config
            .retention
            .map(|r| self.clock.now().timestamp() + r.as_secs() as i64)
    }
}

/// A file name safe to echo: the last path component, printable, bounded; a default otherwise.
pub(crate) fn sanitize_file_name(name: &str, index: usize, kind: FileKind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() {
        let ext = match kind {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpg",
        };
        format!("file{index}.{ext}")
    } else {
        clean
    }
}
