//! Storage that fails on command, for fault tests: a blob store whose reads fail (a disk or
//! bucket that errs) while a switch is on, and otherwise passes every call through.

use async_trait::async_trait;
use bytes::Bytes;
use labrador_domain::ports::{BlobStore, StoreError, StoreResult};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A [`BlobStore`] over `inner` whose `get` fails with a storage error while [`Self::fail_reads`]
/// is set.
pub struct FailingBlobs {
    inner: Arc<dyn BlobStore>,
    failing: AtomicBool,
}

impl FailingBlobs {
    /// Reads fail from the start.
    pub fn new(inner: Arc<dyn BlobStore>) -> Arc<FailingBlobs> {
        Arc::new(FailingBlobs {
            inner,
            failing: AtomicBool::new(true),
        })
    }

    pub fn fail_reads(&self, failing: bool) {
        self.failing.store(failing, Ordering::SeqCst);
    }
}

#[async_trait]
impl BlobStore for FailingBlobs {
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> StoreResult<()> {
        self.inner.put(key, bytes, content_type).await
    }

    async fn get(&self, key: &str) -> StoreResult<Option<Bytes>> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(StoreError::backend("injected read failure"));
        }
        self.inner.get(key).await
    }

    async fn delete_prefix(&self, prefix: &str) -> StoreResult<()> {
        self.inner.delete_prefix(prefix).await
    }

    async fn head(&self, key: &str) -> StoreResult<Option<u64>> {
        self.inner.head(key).await
    }

    async fn presigned_get_url(&self, key: &str, ttl: Duration) -> StoreResult<Option<String>> {
        self.inner.presigned_get_url(key, ttl).await
    }

    async fn presigned_put_url(
        &self,
        key: &str,
        content_type: &str,
        content_length: u64,
        ttl: Duration,
    ) -> StoreResult<Option<String>> {
        self.inner
            .presigned_put_url(key, content_type, content_length, ttl)
            .await
    }
}
