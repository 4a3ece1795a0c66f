//! Storage and senders that fail or stall on command, for the fault tests: a blob store and a
//! report store that act as a full disk, a read-only disk or a slow one while a fault is set,
//! and gates that hold a step at a chosen read or write (or a webhook send) until released, so a delete
//! can race it. Every call otherwise passes through to the real adapter.

use async_trait::async_trait;
use bytes::Bytes;
use labrador_domain::ports::{
    ApiKeyStore, BlobStore, DeliveryLog, EndpointStore, IdempotencyStore, ListFilter, ListPage,
    OutgoingWebhook, RecordStore, ReportStore, SendError, StoreError, StoreResult, WebhookResponse,
    WebhookSender,
};
use labrador_domain::record::{
    DeliveryAttempt, IdempotentResponse, ReportId, ReportRecord, TenantId, WebhookEndpoint,
};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// What a faulty store does while the fault is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Fault {
    /// Every call passes through.
    None = 0,
    /// Writes fail as on a full disk (reads and deletes work).
    DiskFull = 1,
    /// Writes and deletes fail as on a read-only disk (reads work).
    ReadOnly = 2,
    /// Reads fail (a disk or bucket that errs).
    FailReads = 3,
    /// Every call takes [`SLOW`] longer.
    Slow = 4,
}

/// The extra time of every call under [`Fault::Slow`].
pub const SLOW: Duration = Duration::from_millis(150);

#[derive(Default)]
struct Switch(AtomicU8);

impl Switch {
    fn set(&self, fault: Fault) {
        self.0.store(fault as u8, Ordering::SeqCst);
    }

    fn get(&self) -> Fault {
        match self.0.load(Ordering::SeqCst) {
            1 => Fault::DiskFull,
            2 => Fault::ReadOnly,
            3 => Fault::FailReads,
            4 => Fault::Slow,
            _ => Fault::None,
        }
    }

    async fn before(&self, op: Op) -> StoreResult<()> {
        match (self.get(), op) {
            (Fault::Slow, _) => {
                tokio::time::sleep(SLOW).await;
                Ok(())
            }
            (Fault::DiskFull, Op::Write) => Err(StoreError::backend("No space left on device")),
            (Fault::ReadOnly, Op::Write | Op::Delete) => {
                Err(StoreError::backend("Read-only file system"))
            }
            (Fault::FailReads, Op::Read) => Err(StoreError::backend("injected read failure")),
            _ => Ok(()),
        }
    }
}

#[derive(Clone, Copy)]
enum Op {
    Read,
    Write,
    Delete,
}

/// A gate a call waits at until it is opened. `reached` turns true once a call waits there.
pub struct Gate {
    open: watch::Sender<bool>,
    reached: watch::Sender<bool>,
}

impl Default for Gate {
    fn default() -> Self {
        Gate {
            open: watch::channel(false).0,
            reached: watch::channel(false).0,
        }
    }
}

impl Gate {
    async fn pass(&self) {
        self.reached.send_replace(true);
        let mut open = self.open.subscribe();
        let _ = open.wait_for(|o| *o).await;
    }

    /// Waits until a call waits at the gate (or `timeout` passes); whether one did.
    pub async fn reached(&self, timeout: Duration) -> bool {
        let mut reached = self.reached.subscribe();
        tokio::time::timeout(timeout, reached.wait_for(|r| *r))
            .await
            .is_ok()
    }

    pub fn open(&self) {
        self.open.send_replace(true);
    }
}

/// A [`BlobStore`] over `inner` that fails as [`Fault`] says, and holds the puts of keys that end
/// with a chosen suffix at a [`Gate`].
pub struct FaultyBlobs {
    inner: Arc<dyn BlobStore>,
    fault: Switch,
    hold: Mutex<Option<(Held, String, Arc<Gate>)>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Held {
    Puts,
    Gets,
}

/// The blob store of the older fault tests: reads fail from the start until told otherwise.
pub type FailingBlobs = FaultyBlobs;

impl FaultyBlobs {
    /// Reads fail from the start (as the older tests expect); see [`FaultyBlobs::over`].
    pub fn new(inner: Arc<dyn BlobStore>) -> Arc<FaultyBlobs> {
        let blobs = FaultyBlobs::over(inner);
        blobs.set(Fault::FailReads);
        blobs
    }

    /// Passes every call through until a fault is set.
    pub fn over(inner: Arc<dyn BlobStore>) -> Arc<FaultyBlobs> {
        Arc::new(FaultyBlobs {
            inner,
            fault: Switch::default(),
            hold: Mutex::new(None),
        })
    }

    pub fn set(&self, fault: Fault) {
        self.fault.set(fault);
    }

    pub fn fail_reads(&self, failing: bool) {
        self.set(if failing {
            Fault::FailReads
        } else {
            Fault::None
        });
    }

    /// The next puts of keys ending with `suffix` wait at the returned gate.
    pub fn hold_puts(&self, suffix: &str) -> Arc<Gate> {
        self.hold(Held::Puts, suffix)
    }

    /// The next reads of keys ending with `suffix` wait at the returned gate.
    pub fn hold_gets(&self, suffix: &str) -> Arc<Gate> {
        self.hold(Held::Gets, suffix)
    }

    fn hold(&self, on: Held, suffix: &str) -> Arc<Gate> {
        let gate = Arc::new(Gate::default());
        *self.hold.lock().unwrap() = Some((on, suffix.to_string(), gate.clone()));
        gate
    }

    async fn pass(&self, on: Held, key: &str) {
        let gate = self
            .hold
            .lock()
            .unwrap()
            .as_ref()
            .filter(|(held, suffix, _)| *held == on && key.ends_with(suffix.as_str()))
            .map(|(_, _, gate)| gate.clone());
        if let Some(gate) = gate {
            gate.pass().await;
        }
    }
}

#[async_trait]
impl BlobStore for FaultyBlobs {
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> StoreResult<()> {
        self.pass(Held::Puts, key).await;
        self.fault.before(Op::Write).await?;
        self.inner.put(key, bytes, content_type).await
    }

    async fn get(&self, key: &str) -> StoreResult<Option<Bytes>> {
        self.pass(Held::Gets, key).await;
        self.fault.before(Op::Read).await?;
        self.inner.get(key).await
    }

    async fn delete_prefix(&self, prefix: &str) -> StoreResult<()> {
        self.fault.before(Op::Delete).await?;
        self.inner.delete_prefix(prefix).await
    }

    async fn head(&self, key: &str) -> StoreResult<Option<u64>> {
        self.fault.before(Op::Read).await?;
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

/// A [`ReportStore`] over `inner` that fails as [`Fault`] says (a full disk fails writes, a
/// read-only one writes and deletes).
pub struct FaultyStore {
    inner: Arc<dyn ReportStore>,
    fault: Switch,
}

impl FaultyStore {
    pub fn over(inner: Arc<dyn ReportStore>) -> Arc<FaultyStore> {
        Arc::new(FaultyStore {
            inner,
            fault: Switch::default(),
        })
    }

    pub fn set(&self, fault: Fault) {
        self.fault.set(fault);
    }
}

#[async_trait]
impl RecordStore for FaultyStore {
    async fn create(&self, record: &ReportRecord) -> StoreResult<()> {
        self.fault.before(Op::Write).await?;
        self.inner.create(record).await
    }

    async fn get(&self, tenant: &str, id: &str) -> StoreResult<Option<ReportRecord>> {
        self.fault.before(Op::Read).await?;
        self.inner.get(tenant, id).await
    }

    async fn update(&self, record: &ReportRecord, expected_version: u64) -> StoreResult<()> {
        self.fault.before(Op::Write).await?;
        self.inner.update(record, expected_version).await
    }

    async fn delete(&self, tenant: &str, id: &str) -> StoreResult<()> {
        self.fault.before(Op::Delete).await?;
        self.inner.delete(tenant, id).await
    }

    async fn list(&self, tenant: &str, filter: &ListFilter) -> StoreResult<ListPage> {
        self.fault.before(Op::Read).await?;
        self.inner.list(tenant, filter).await
    }

    async fn find_by_content_hash(
        &self,
        tenant: &str,
        content_hash: &str,
        except: &str,
    ) -> StoreResult<Option<ReportId>> {
        self.fault.before(Op::Read).await?;
        self.inner
            .find_by_content_hash(tenant, content_hash, except)
            .await
    }

    async fn in_progress(&self, limit: usize) -> StoreResult<Vec<ReportRecord>> {
        self.fault.before(Op::Read).await?;
        self.inner.in_progress(limit).await
    }
}

#[async_trait]
impl IdempotencyStore for FaultyStore {
    async fn put_idempotent(&self, response: &IdempotentResponse) -> StoreResult<()> {
        self.fault.before(Op::Write).await?;
        self.inner.put_idempotent(response).await
    }

    async fn replace_idempotent(&self, response: &IdempotentResponse) -> StoreResult<()> {
        self.fault.before(Op::Write).await?;
        self.inner.replace_idempotent(response).await
    }

    async fn delete_idempotent(&self, tenant: &str, key: &str) -> StoreResult<()> {
        self.fault.before(Op::Delete).await?;
        self.inner.delete_idempotent(tenant, key).await
    }

    async fn get_idempotent(
        &self,
        tenant: &str,
        key: &str,
    ) -> StoreResult<Option<IdempotentResponse>> {
        self.fault.before(Op::Read).await?;
        self.inner.get_idempotent(tenant, key).await
    }
}

#[async_trait]
impl ApiKeyStore for FaultyStore {
    async fn tenant_for_api_key_hash(&self, key_hash: &str) -> StoreResult<Option<TenantId>> {
        self.fault.before(Op::Read).await?;
        self.inner.tenant_for_api_key_hash(key_hash).await
    }

    async fn put_api_key_hash(&self, key_hash: &str, tenant: &str) -> StoreResult<()> {
        self.fault.before(Op::Write).await?;
        self.inner.put_api_key_hash(key_hash, tenant).await
    }
}

#[async_trait]
impl EndpointStore for FaultyStore {
    async fn get_endpoint(&self, tenant: &str) -> StoreResult<Option<WebhookEndpoint>> {
        self.fault.before(Op::Read).await?;
        self.inner.get_endpoint(tenant).await
    }

    async fn put_endpoint(&self, endpoint: &WebhookEndpoint) -> StoreResult<()> {
        self.fault.before(Op::Write).await?;
        self.inner.put_endpoint(endpoint).await
    }

    async fn delete_endpoint(&self, tenant: &str) -> StoreResult<()> {
        self.fault.before(Op::Delete).await?;
        self.inner.delete_endpoint(tenant).await
    }
}

#[async_trait]
impl DeliveryLog for FaultyStore {
    async fn append_delivery_attempt(
        &self,
        tenant: &str,
        id: &str,
        attempt: &DeliveryAttempt,
    ) -> StoreResult<()> {
        self.fault.before(Op::Write).await?;
        self.inner
            .append_delivery_attempt(tenant, id, attempt)
            .await
    }

    async fn list_delivery_attempts(
        &self,
        tenant: &str,
        id: &str,
    ) -> StoreResult<Vec<DeliveryAttempt>> {
        self.fault.before(Op::Read).await?;
        self.inner.list_delivery_attempts(tenant, id).await
    }
}

/// A [`WebhookSender`] whose sends wait at a [`Gate`] once one is set.
pub struct GatedSender {
    inner: Arc<dyn WebhookSender>,
    gate: Mutex<Option<Arc<Gate>>>,
}

impl GatedSender {
    pub fn over(inner: Arc<dyn WebhookSender>) -> Arc<GatedSender> {
        Arc::new(GatedSender {
            inner,
            gate: Mutex::new(None),
        })
    }

    /// The next sends wait at the returned gate.
    pub fn hold(&self) -> Arc<Gate> {
        let gate = Arc::new(Gate::default());
        *self.gate.lock().unwrap() = Some(gate.clone());
        gate
    }
}

#[async_trait]
impl WebhookSender for GatedSender {
    async fn send(&self, request: &OutgoingWebhook) -> Result<WebhookResponse, SendError> {
        let gate = self.gate.lock().unwrap().clone();
        if let Some(gate) = gate {
            gate.pass().await;
        }
        self.inner.send(request).await
    }
}
