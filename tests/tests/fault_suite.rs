//! The fault suite, on the embedded default: storage that fails on command (a full disk, a
//! read-only one, a slow one) while uploads and steps run, deletes racing each step, and an upload
//! that died between its record and its job. Each case prints a row (reports accepted, terminal,
//! stuck, webhook events per report, data left after delete) and holds the bar: 0 stuck, 0 lost,
//! 0 left after a delete, exactly one terminal event per report (a redelivery of the same event id
//! counts once). The crash of the runner itself (kill -9 of a child process) is
//! `infra/tests/serve.rs`.

use labrador_api::Api;
use labrador_domain::ports::{
    BlobStore, DeliveryLog, QueueName, RecordStore, ReportStore, WebhookSender,
};
use labrador_domain::services::{Pipeline, Services};
use labrador_engine::model::Status;
use labrador_http::{GuardPolicy, HttpWebhookSender};
use labrador_local::{LocalOptions, LocalPipeline};
use labrador_tests::client::Client;
use labrador_tests::faults::{Fault, FaultyBlobs, FaultyStore, GatedSender};
use labrador_tests::receiver::Receiver;
use labrador_tests::{engine, pdf, sample_pdf};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const TENANT: &str = "fault-tenant";
const SETTLE: Duration = Duration::from_secs(60);

struct Harness {
    pipeline: LocalPipeline,
    client: Client,
    receiver: Receiver,
    blobs: Arc<FaultyBlobs>,
    store: Arc<FaultyStore>,
    sender: Arc<GatedSender>,
    _dir: tempfile::TempDir,
}

/// The embedded pipeline over faulty storage and a gated sender, with quick retries, a
/// webhook endpoint on a local receiver, serving HTTP.
async fn harness(tweak: impl FnOnce(&mut LocalOptions)) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let mut options = LocalOptions::new(dir.path());
    options.allow_loopback_webhooks = true;
    options.services.queue.retry_base = Duration::from_millis(100);
    options.services.queue.retry_cap = Duration::from_millis(800);
    tweak(&mut options);
    let mut pipeline = LocalPipeline::open(engine(), options.clone()).unwrap();
    let blobs = FaultyBlobs::over(pipeline.services.blobs.clone());
    let store = FaultyStore::over(pipeline.services.store.clone());
    let sender = GatedSender::over(Arc::new(
        HttpWebhookSender::new(GuardPolicy::LOCAL).unwrap(),
    ));
    let services = Services {
        blobs: blobs.clone() as Arc<dyn BlobStore>,
        store: store.clone() as Arc<dyn ReportStore>,
        ..pipeline.services.clone()
    };
    pipeline.steps = Pipeline::new(
        services.clone(),
        engine(),
        sender.clone() as Arc<dyn WebhookSender>,
    );
    let mut api_config = options.api.clone();
    api_config.webhook_guard = GuardPolicy::LOCAL;
    pipeline.api = Api::new(services.clone(), api_config);
    pipeline.services = services;
    pipeline.start_workers();
    let addr = pipeline
        .bind_http("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let key = pipeline.create_api_key(TENANT).await.unwrap();
    let client = Client::new(format!("http://{addr}"), key);
    let receiver = Receiver::start(&[]).await;
    let ep = client
        .put_json("/v1/webhook-endpoint", &json!({"url": receiver.url()}))
        .await;
    assert_eq!(ep.status, 201, "{:?}", ep.json());
    Harness {
        pipeline,
        client,
        receiver,
        blobs,
        store,
        sender,
        _dir: dir,
    }
}

/// A distinct PDF per report (the duplicate check would reject repeats).
fn report_pdf(n: usize) -> Vec<u8> {
    pdf::variant(&sample_pdf(), 1000 + n as u64)
}

/// What a case measured; [`Tally::check`] holds the bar.
#[derive(Debug, Default)]
struct Tally {
    case: &'static str,
    accepted: Vec<String>,
    terminal: usize,
    stuck: usize,
    lost: usize,
    /// Distinct terminal event ids per accepted report.
    events: BTreeMap<String, usize>,
    deleted: usize,
    left_after_delete: usize,
}

impl Tally {
    fn print(&self) {
        let per_report: BTreeSet<usize> = self.events.values().copied().collect();
        println!(
            "fault case | {:<28} | accepted {:>2} | terminal {:>2} | stuck {} | lost {} | events/report {:?} | deleted {} | left after delete {}",
            self.case,
            self.accepted.len(),
            self.terminal,
            self.stuck,
            self.lost,
            per_report,
            self.deleted,
            self.left_after_delete
        );
    }

    fn check(&self) {
        self.print();
        assert_eq!(self.stuck, 0, "{}: reports stuck", self.case);
        assert_eq!(self.lost, 0, "{}: reports lost", self.case);
        assert_eq!(self.left_after_delete, 0, "{}: data left", self.case);
        assert_eq!(self.terminal, self.accepted.len(), "{}", self.case);
        for (id, n) in &self.events {
            assert_eq!(*n, 1, "{}: report {id} got {n} terminal events", self.case);
        }
    }
}

impl Harness {
    async fn upload(&self, n: usize) -> (u16, Option<String>) {
        let up = self.client.upload_pdf("r.pdf", &report_pdf(n), &[]).await;
        let id = (up.status == 202).then(|| up.json()["id"].as_str().unwrap().to_string());
        (up.status, id)
    }

    /// Waits until every accepted report is terminal and has its webhook, then counts.
    async fn settle(&self, case: &'static str, accepted: Vec<String>) -> Tally {
        let store = &self.pipeline.store;
        let all_done = labrador_tests::poll_until(SETTLE, || async {
            for id in &accepted {
                let r = store.get(TENANT, id).await.ok()??;
                if !r.status.is_terminal() {
                    return None;
                }
            }
            let hooked: BTreeSet<String> = self
                .receiver
                .requests()
                .iter()
                .filter_map(|r| r.json()["data"]["id"].as_str().map(String::from))
                .collect();
            accepted.iter().all(|id| hooked.contains(id)).then_some(())
        })
        .await;
        // A second event would come within the retry schedule; give it a moment.
        if all_done.is_some() {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let mut tally = Tally {
            case,
            ..Tally::default()
        };
        for id in &accepted {
            match store.get(TENANT, id).await.unwrap() {
                Some(r) if r.status.is_terminal() => tally.terminal += 1,
                Some(r) => {
                    println!(
                        "stuck: {id} {:?}/{} delivery {:?}",
                        r.status, r.stage, r.delivery
                    );
                    tally.stuck += 1
                }
                None => tally.lost += 1,
            }
        }
        let mut events: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for request in self.receiver.requests() {
            let body = request.json();
            if let (Some(id), Some(event)) =
                (body["data"]["id"].as_str(), request.header("webhook-id"))
            {
                events
                    .entry(id.to_string())
                    .or_default()
                    .insert(event.to_string());
            }
        }
        tally.events = accepted
            .iter()
            .map(|id| (id.clone(), events.get(id).map_or(0, |e| e.len())))
            .collect();
        tally.accepted = accepted;
        tally
    }

    /// Whether anything of report `id` remains: files or artifacts on disk, the record, the
    /// attempt log.
    async fn remains(&self, id: &str) -> usize {
        let files = files_under(&self.pipeline.data_dir().join("blobs"), id);
        let record = self.pipeline.store.get(TENANT, id).await.unwrap().is_some() as usize;
        let attempts = self
            .pipeline
            .store
            .list_delivery_attempts(TENANT, id)
            .await
            .unwrap()
            .len();
        files + record + attempts
    }

    async fn delete(&self, id: &str) {
        let answer = self
            .client
            .send(
                "DELETE",
                &format!("/v1/lab-reports/{id}"),
                None,
                Vec::new(),
                &[],
            )
            .await;
        assert_eq!(answer.status, 204, "{:?}", answer.json());
    }

    async fn no_live_jobs(&self) -> bool {
        labrador_tests::poll_until(Duration::from_secs(20), || async {
            let mut live = 0;
            for q in [
                QueueName::Extract,
                QueueName::Standardize,
                QueueName::Deliver,
            ] {
                live += self.pipeline.queue.stats(q).await.unwrap().live;
            }
            (live == 0).then_some(())
        })
        .await
        .is_some()
    }

    async fn dead_letters(&self) -> u64 {
        let mut dead = 0;
        for q in [
            QueueName::Extract,
            QueueName::Standardize,
            QueueName::Deliver,
        ] {
            dead += self.pipeline.queue.stats(q).await.unwrap().dead;
        }
        dead
    }
}

/// Files anywhere under `root` whose path names `id`.
fn files_under(root: &Path, id: &str) -> usize {
    let mut n = 0;
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.to_string_lossy().contains(id) {
                n += 1;
            }
        }
    }
    n
}

/// Files of any kind under `root` (the blob store holds nothing but reports' files).
fn all_files(root: &Path) -> usize {
    files_under(root, "")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disk_full_at_upload_answers_503_keeps_nothing_and_the_retry_is_no_duplicate() {
    let h = harness(|_| {}).await;
    h.blobs.set(Fault::DiskFull);
    for n in 0..4 {
        let (status, _) = h.upload(n).await;
        assert_eq!(status, 503, "a full disk refuses the upload");
    }
    let listed = h.client.get("/v1/lab-reports").await.json();
    assert_eq!(listed["data"].as_array().map(Vec::len), Some(0), "{listed}");
    assert_eq!(all_files(&h.pipeline.data_dir().join("blobs")), 0);

    // The disk full only once the record is to be written: the files go again.
    h.blobs.set(Fault::None);
    h.store.set(Fault::DiskFull);
    let (status, _) = h.upload(0).await;
    assert_eq!(status, 503);
    assert_eq!(all_files(&h.pipeline.data_dir().join("blobs")), 0);

    h.store.set(Fault::None);
    let mut accepted = Vec::new();
    for n in 0..4 {
        let (status, id) = h.upload(n).await;
        assert_eq!(
            status, 202,
            "the client's retry is accepted, not a duplicate"
        );
        accepted.push(id.unwrap());
    }
    let tally = h.settle("disk full at upload", accepted).await;
    tally.check();
    for id in &tally.accepted {
        let r = h.pipeline.store.get(TENANT, id).await.unwrap().unwrap();
        assert_eq!(r.status, Status::Completed, "{:?}", r.rejection);
    }
    h.pipeline.shutdown().await;
}

/// Storage fails (as `fault`) for a while under reports in flight; they all complete once it
/// recovers, and no message is dead-lettered: an outage spends no receives.
async fn outage_mid_pipeline(case: &'static str, fault: Fault, blobs: bool, store: bool) {
    let h = harness(|o| {
        o.services.queue.max_receives = 2;
        // A step whose claim could not be let go (the store was down too) waits out its lease,
        // as after a crash: short here. A webhook sent whose outcome could not be written is
        // sent again after its lease, under the same event id.
        o.services.step_lease = Duration::from_secs(3);
        o.services.delivery_lease = Duration::from_secs(3);
    })
    .await;
    let mut accepted = Vec::new();
    for n in 0..4 {
        let (status, id) = h.upload(n).await;
        assert_eq!(status, 202);
        accepted.push(id.unwrap());
    }
    if blobs {
        h.blobs.set(fault);
    }
    if store {
        h.store.set(fault);
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    h.blobs.set(Fault::None);
    h.store.set(Fault::None);
    let tally = h.settle(case, accepted).await;
    tally.check();
    assert_eq!(h.dead_letters().await, 0, "{case}: an outage is no failure");
    for id in &tally.accepted {
        let r = h.pipeline.store.get(TENANT, id).await.unwrap().unwrap();
        assert_eq!(r.status, Status::Completed, "{case}: {:?}", r.error);
    }
    h.pipeline.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disk_full_mid_pipeline_delays_but_loses_nothing() {
    outage_mid_pipeline("disk full mid-pipeline", Fault::DiskFull, true, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_storage_mid_pipeline_delays_but_loses_nothing() {
    outage_mid_pipeline("read-only mid-pipeline", Fault::ReadOnly, true, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_storage_completes_every_report_once() {
    let h = harness(|_| {}).await;
    h.blobs.set(Fault::Slow);
    h.store.set(Fault::Slow);
    let mut accepted = Vec::new();
    for n in 0..3 {
        let (status, id) = h.upload(n).await;
        assert_eq!(status, 202);
        accepted.push(id.unwrap());
    }
    h.settle("slow storage", accepted).await.check();
    h.pipeline.shutdown().await;
}

/// A delete lands while one report's step is held at `gate`; the other report completes.
async fn delete_racing(
    case: &'static str,
    hold: impl FnOnce(&Harness) -> Arc<labrador_tests::faults::Gate>,
) {
    let h = harness(|_| {}).await;
    let gate = hold(&h);
    let (status, doomed) = h.upload(0).await;
    assert_eq!(status, 202);
    let doomed = doomed.unwrap();
    assert!(
        gate.reached(Duration::from_secs(30)).await,
        "{case}: the step reaches its gate"
    );
    h.delete(&doomed).await;
    gate.open();
    assert!(h.no_live_jobs().await, "{case}: the held job ends");
    let left = h.remains(&doomed).await;
    let (status, kept) = h.upload(1).await;
    assert_eq!(status, 202);
    let mut tally = h.settle(case, vec![kept.unwrap()]).await;
    tally.deleted = 1;
    tally.left_after_delete = left + h.remains(&doomed).await;
    tally.check();
    assert_eq!(
        h.client
            .get(&format!("/v1/lab-reports/{doomed}"))
            .await
            .status,
        404
    );
    h.pipeline.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_racing_extraction_leaves_nothing() {
    delete_racing("delete racing extract", |h| {
        h.blobs.hold_puts("extraction.json")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_before_extraction_reads_its_files_ends_the_job_quietly() {
    // The files vanish under the claimed step: no give-up, no dead letter, nothing left.
    let h = harness(|_| {}).await;
    let gate = h.blobs.hold_gets("files/0");
    let (status, doomed) = h.upload(0).await;
    assert_eq!(status, 202);
    let doomed = doomed.unwrap();
    assert!(gate.reached(Duration::from_secs(30)).await);
    h.delete(&doomed).await;
    gate.open();
    assert!(h.no_live_jobs().await, "the held job ends");
    assert_eq!(
        h.dead_letters().await,
        0,
        "a deleted report is not given up"
    );
    let tally = Tally {
        case: "delete before extract reads",
        deleted: 1,
        left_after_delete: h.remains(&doomed).await,
        ..Tally::default()
    };
    tally.check();
    h.pipeline.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_racing_standardization_leaves_nothing() {
    delete_racing("delete racing standardize", |h| {
        h.blobs.hold_puts("report.json")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_racing_delivery_leaves_nothing() {
    delete_racing("delete racing deliver", |h| h.sender.hold()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_left_without_a_job_are_recovered() {
    let h = harness(|o| o.services.stall_after = Duration::from_secs(1)).await;
    let services = &h.pipeline.services;

    // An upload that died after its record, before its job: removed with its file (its client
    // never got a 2xx). Then one that died after `queued`, before the job was sent: it gets its
    // job and completes.
    let (status, orphan) = h.upload(0).await;
    assert_eq!(status, 202);
    let orphan = orphan.unwrap();
    h.settle("(warm-up)", vec![orphan.clone()]).await;
    let mut died_in_intake = h
        .pipeline
        .store
        .get(TENANT, &orphan)
        .await
        .unwrap()
        .unwrap();
    died_in_intake.id = "00000000-0000-4000-8000-000000000001".into();
    died_in_intake.status = Status::Received;
    died_in_intake.stage = "received".into();
    died_in_intake.content_hash = "not-an-original".into();
    died_in_intake.version = 1;
    h.pipeline.store.create(&died_in_intake).await.unwrap();
    services
        .blobs
        .put(
            &labrador_domain::services::file_key(TENANT, &died_in_intake.id, 0),
            bytes::Bytes::from(report_pdf(7)),
            "application/pdf",
        )
        .await
        .unwrap();
    let mut died_before_job = died_in_intake.clone();
    died_before_job.id = "00000000-0000-4000-8000-000000000002".into();
    died_before_job.status = Status::Queued;
    died_before_job.stage = "queued".into();
    died_before_job.delivery = None;
    died_before_job.event_id = None;
    h.pipeline.store.create(&died_before_job).await.unwrap();
    services
        .blobs
        .put(
            &labrador_domain::services::file_key(TENANT, &died_before_job.id, 0),
            bytes::Bytes::from(report_pdf(8)),
            "application/pdf",
        )
        .await
        .unwrap();

    let gone = labrador_tests::poll_until(Duration::from_secs(20), || async {
        (h.remains(&died_in_intake.id).await == 0).then_some(())
    })
    .await;
    assert!(gone.is_some(), "the dead upload is removed with its file");
    let mut tally = h
        .settle("record without a job", vec![died_before_job.id.clone()])
        .await;
    tally.deleted = 1;
    tally.left_after_delete = h.remains(&died_in_intake.id).await;
    tally.check();
    // The recovered report went through the steps (its queue job was never sent by anyone).
    let done = h
        .pipeline
        .store
        .get(TENANT, &died_before_job.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.status, Status::Completed);
    h.pipeline.shutdown().await;
}
