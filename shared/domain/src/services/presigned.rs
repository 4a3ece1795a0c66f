//! Large files: the client declares its files, gets one `PUT` URL per file (presigned on S3, the
//! API's own route on the embedded store), uploads them, and intake starts the pipeline once
//! every file has arrived (S3: the bucket notifies the extract queue; embedded: the route).
//! Until then the report is `received` at stage `awaiting_upload`.

use super::upload::sanitize_file_name;
use super::{JobError, Services, UploadError, keys};
use crate::record::ReportRecord;
use labrador_engine::model::{
    FileInfo, FileKind, Rejection, RejectionReason, Status, StatusChange,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The stage of a report whose files are still being uploaded.
pub const AWAITING_UPLOAD: &str = "awaiting_upload";

/// A file the client is about to upload.
#[derive(Debug, Clone)]
pub struct DeclaredFile {
    pub file_name: String,
    /// `application/pdf`, `image/png` or `image/jpeg`; the bytes are checked on arrival.
    pub mime_type: String,
    pub size: u64,
}

#[derive(Debug, Clone, Default)]
pub struct PresignedUploadRequest {
    pub files: Vec<DeclaredFile>,
    pub reference_id: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// The `X-Request-Id` of the request, kept on the record.
    pub request_id: Option<String>,
}

/// Where to upload one file.
#[derive(Debug, Clone)]
pub struct UploadSlot {
    pub index: usize,
    /// A presigned URL; `None` where the store has none (the API's own route then takes it).
    pub url: Option<String>,
    /// The `content-type` the upload must carry (part of the signature on S3).
    pub content_type: String,
    pub expires_at: String,
}

fn declared_kind(mime: &str) -> Option<FileKind> {
    match mime.trim().to_ascii_lowercase().as_str() {
        "application/pdf" => Some(FileKind::Pdf),
        "image/png" => Some(FileKind::Png),
        "image/jpeg" | "image/jpg" => Some(FileKind::Jpeg),
        _ => None,
    }
}

impl Services {
    /// Creates the report (`received`, awaiting its files) and one upload slot per file.
    pub async fn start_presigned_upload(
        &self,
        tenant: &str,
        req: PresignedUploadRequest,
    ) -> Result<(ReportRecord, Vec<UploadSlot>), UploadError> {
        self.validate_fields(req.files.len(), req.reference_id.as_deref(), &req.metadata)?;
        let max = self.config.max_presigned_file_bytes;
        let mut kinds = Vec::with_capacity(req.files.len());
        for (i, f) in req.files.iter().enumerate() {
            let kind = declared_kind(&f.mime_type).ok_or_else(|| UploadError::Invalid {
                code: "unsupported_file_type",
                http_status: 415,
                detail: format!(
                    "file {i}: mime_type must be application/pdf, image/png or image/jpeg"
                ),
            })?;
            if f.size == 0 || f.size > max {
                return Err(UploadError::Invalid {
                    code: "file_too_large",
                    http_status: 413,
                    detail: format!("file {i}: size must be 1 to {max} bytes"),
                });
            }
            kinds.push(kind);
        }
        let id = uuid::Uuid::new_v4().to_string();
        let files = req
            .files
            .iter()
            .zip(&kinds)
            .enumerate()
            .map(|(i, (f, kind))| FileInfo {
                index: i,
                file_name: sanitize_file_name(&f.file_name, i, *kind),
                mime_type: kind.mime_type().to_string(),
                sha256: String::new(),
                size: f.size,
                pages: None,
            })
            .collect();
        let mut record = self.received_record(tenant, &id, AWAITING_UPLOAD, files);
        record.reference_id = req.reference_id;
        record.metadata = req.metadata;
        record.request_id = req.request_id;
        self.store.create(&record).await?;

        let ttl = self.config.upload_url_ttl;
        let expires_at = (self.clock.now() + chrono::Duration::from_std(ttl).unwrap_or_default())
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut slots = Vec::with_capacity(kinds.len());
        for (i, (kind, file)) in kinds.iter().zip(&req.files).enumerate() {
            let key = keys::incoming_key(tenant, &id, i);
            let url = self
                .blobs
                .presigned_put_url(&key, kind.mime_type(), file.size, ttl)
                .await?;
            slots.push(UploadSlot {
                index: i,
                url,
                content_type: kind.mime_type().to_string(),
                expires_at: expires_at.clone(),
            });
        }
        Ok((record, slots))
    }

    /// Takes one file of a report awaiting its upload (the embedded store's upload route) and
    /// runs intake. The record as it stands afterwards.
    pub async fn receive_uploaded_file(
        &self,
        tenant: &str,
        id: &str,
        index: usize,
        bytes: bytes::Bytes,
    ) -> Result<ReportRecord, UploadError> {
        let not_open = || UploadError::Invalid {
            code: "not_awaiting_upload",
            http_status: 409,
            detail: "this report is not waiting for this file".into(),
        };
        let record = self
            .store
            .get(tenant, id)
            .await?
            .ok_or(UploadError::Invalid {
                code: "not_found",
                http_status: 404,
                detail: "no such report".into(),
            })?;
        if record.status != Status::Received
            || record.stage != AWAITING_UPLOAD
            || index >= record.files.len()
        {
            return Err(not_open());
        }
        if bytes.is_empty() || bytes.len() as u64 > self.config.max_presigned_file_bytes {
            return Err(UploadError::Invalid {
                code: "file_too_large",
                http_status: 413,
                detail: format!(
                    "a file is 1 to {} bytes",
                    self.config.max_presigned_file_bytes
                ),
            });
        }
        let content_type = record.files[index].mime_type.clone();
        self.blobs
            .put(&keys::incoming_key(tenant, id, index), bytes, &content_type)
            .await?;
        self.complete_presigned_upload(tenant, id).await?;
        Ok(self.store.get(tenant, id).await?.unwrap_or(record))
    }

    /// Intake of a presigned upload: once every declared file is there, checks each one (size,
    /// kind by magic bytes), moves it under the report, and queues the extraction (or rejects
    /// the report). Idempotent: anything but a report awaiting its files is left alone.
    pub async fn complete_presigned_upload(&self, tenant: &str, id: &str) -> Result<(), JobError> {
        let Some(mut record) = self.store.get(tenant, id).await? else {
            return Ok(());
        };
        if record.status != Status::Received || record.stage != AWAITING_UPLOAD {
            return Ok(());
        }
        let max = self.config.max_presigned_file_bytes;
        let mut sizes = Vec::with_capacity(record.files.len());
        for f in &record.files {
            match self
                .blobs
                .head(&keys::incoming_key(tenant, id, f.index))
                .await?
            {
                Some(size) => sizes.push(size),
                // Not all there yet: the last file's arrival finishes intake.
                None => return Ok(()),
            }
        }
        if let Some(i) = sizes.iter().position(|&s| s == 0 || s > max) {
            let rejection = Rejection::new(
                RejectionReason::TooLarge,
                format!("file {i} is empty or larger than {max} bytes"),
            );
            self.reject_at_intake(record, rejection).await?;
            return self.discard_incoming(tenant, id).await;
        }

        let mut all_hashes = Sha256::new();
        for f in record.files.iter_mut() {
            let incoming = keys::incoming_key(tenant, id, f.index);
            let bytes = self
                .blobs
                .get(&incoming)
                .await?
                .ok_or_else(|| JobError::Retriable("an uploaded file vanished".into()))?;
            let Some(kind) = FileKind::sniff(&bytes) else {
                let rejection = Rejection::new(
                    RejectionReason::UnsupportedFileType,
                    format!("file {} is not a PDF, PNG or JPEG", f.index),
                );
                self.reject_at_intake(record, rejection).await?;
                return self.discard_incoming(tenant, id).await;
            };
            let sha = hex::encode(Sha256::digest(&bytes));
            all_hashes.update(sha.as_bytes());
            f.sha256 = sha;
            f.size = bytes.len() as u64;
            f.mime_type = kind.mime_type().to_string();
            self.blobs
                .put(
                    &keys::file_key(tenant, id, f.index),
                    bytes,
                    kind.mime_type(),
                )
                .await?;
        }
        record.content_hash = hex::encode(all_hashes.finalize());
        let expected = record.version;
        let now = self.now_text();
        record.stage = "received".into();
        record.updated_at = now.clone();
        record.status_history.push(StatusChange {
            status: Status::Received,
            stage: "received".into(),
            at: now,
        });
        record.version = expected + 1;
        self.save(&record, expected).await?;
        self.finish_intake(record).await?;
        self.discard_incoming(tenant, id).await
    }

    async fn discard_incoming(&self, tenant: &str, id: &str) -> Result<(), JobError> {
        self.blobs
            .delete_prefix(&keys::incoming_prefix(tenant, id))
            .await?;
        Ok(())
    }
}
