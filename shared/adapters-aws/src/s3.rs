//! Blobs in one S3 bucket.

use crate::error::backend;
use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use bytes::Bytes;
use labrador_domain::ports::{BlobStore, StoreError, StoreResult};
use std::time::Duration;

/// S3 allows at most 1000 keys per DeleteObjects request.
const DELETE_BATCH: usize = 1000;

#[derive(Clone)]
pub struct S3BlobStore {
    client: Client,
    bucket: String,
}

impl S3BlobStore {
    pub fn new(client: Client, bucket: impl Into<String>) -> S3BlobStore {
        S3BlobStore {
            client,
            bucket: bucket.into(),
        }
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    async fn delete_keys(&self, keys: Vec<String>) -> StoreResult<()> {
        let objects = keys
            .into_iter()
            .map(|k| ObjectIdentifier::builder().key(k).build().map_err(backend))
            .collect::<StoreResult<Vec<_>>>()?;
        let delete = Delete::builder()
            .set_objects(Some(objects))
            .quiet(true)
            .build()
            .map_err(backend)?;
        let out = self
            .client
            .delete_objects()
            .bucket(&self.bucket)
            .delete(delete)
            .send()
            .await
            .map_err(backend)?;
        match out.errors() {
            [] => Ok(()),
            [first, ..] => Err(StoreError::backend(format!(
                "S3 could not delete {} object(s), first: {}",
                out.errors().len(),
                first.code().unwrap_or("unknown error")
            ))),
        }
    }
}

#[async_trait]
impl BlobStore for S3BlobStore {
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> StoreResult<()> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn get(&self, key: &str) -> StoreResult<Option<Bytes>> {
        let out = match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(out) => out,
            Err(err) if err.as_service_error().is_some_and(|e| e.is_no_such_key()) => {
                return Ok(None);
            }
            Err(err) => return Err(backend(err)),
        };
        let data = out.body.collect().await.map_err(backend)?;
        Ok(Some(data.into_bytes()))
    }

    async fn delete_prefix(&self, prefix: &str) -> StoreResult<()> {
        // Never let an empty prefix wipe the bucket.
        if prefix.is_empty() {
            return Err(StoreError::backend("refusing to delete an empty prefix"));
        }
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(prefix)
            .into_paginator()
            .send();
        let mut keys = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(backend)?;
            keys.extend(
                page.contents()
                    .iter()
                    .filter_map(|o| o.key().map(String::from)),
            );
        }
        for chunk in keys.chunks(DELETE_BATCH) {
            self.delete_keys(chunk.to_vec()).await?;
        }
        Ok(())
    }

    async fn head(&self, key: &str) -> StoreResult<Option<u64>> {
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(out) => Ok(Some(out.content_length().unwrap_or(0).max(0) as u64)),
            Err(err) if err.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
            Err(err) => Err(backend(err)),
        }
    }

    async fn presigned_put_url(
        &self,
        key: &str,
        content_type: &str,
        content_length: u64,
        ttl: Duration,
    ) -> StoreResult<Option<String>> {
        let presign = PresigningConfig::expires_in(ttl).map_err(backend)?;
        let content_length = i64::try_from(content_length).map_err(backend)?;
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .content_length(content_length)
            .presigned(presign)
            .await
            .map_err(backend)?;
        Ok(Some(request.uri().to_string()))
    }

    async fn presigned_get_url(&self, key: &str, ttl: Duration) -> StoreResult<Option<String>> {
        let presign = PresigningConfig::expires_in(ttl).map_err(backend)?;
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .presigned(presign)
            .await
            .map_err(backend)?;
        Ok(Some(request.uri().to_string()))
    }
}
