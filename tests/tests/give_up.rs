//! A job that fails for good, or on its last receive, is given up: the report ends `failed`
//! (retriable, so it can be reprocessed) instead of waiting forever while its message sits in the
//! dead-letter queue. Driven through `Services::process_job`, which every queue backend runs, on
//! the embedded adapters.

mod aws_support;

use labrador_domain::ports::{Job, QueueName, RecordStore};
use labrador_domain::services::{GaveUp, Pipeline, Services, Settlement, file_key};
use labrador_engine::model::Status;
use labrador_http::{GuardPolicy, HttpWebhookSender};
use labrador_local::{LocalOptions, LocalPipeline};
use labrador_tests::faults::FailingBlobs;
use labrador_tests::{engine, pdf, sample_pdf};
use std::sync::Arc;
use std::time::Duration;

const TENANT: &str = "acme";
const API_KEY: &str = "lab_give_up_test_key";

async fn upload(pipeline: &LocalPipeline, pdf: &[u8]) -> String {
    aws_support::upload_pdf_json(&pipeline.api, API_KEY, pdf).await
}

fn job(id: &str) -> Job {
    Job {
        tenant: TENANT.into(),
        report_id: id.into(),
        run: 1,
        ..Job::default()
    }
}

/// The pipeline's step workers over blobs whose reads fail until told otherwise.
fn with_failing_reads(pipeline: &mut LocalPipeline) -> Arc<FailingBlobs> {
    let blobs = FailingBlobs::new(pipeline.services.blobs.clone());
    let services = Services {
        blobs: blobs.clone(),
        ..pipeline.services.clone()
    };
    pipeline.steps = Pipeline::new(
        services,
        engine(),
        Arc::new(HttpWebhookSender::new(GuardPolicy::LOCAL).unwrap()),
    );
    blobs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exhausted_and_permanent_failures_end_the_report_as_failed() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = LocalOptions::new(dir.path());
    // No lease to wait out: each receive takes the step over, fails, and spends a receive.
    options.services.step_lease = Duration::ZERO;
    // Outages count as failures at once (they are otherwise waited out: `outages.rs`).
    options.services.queue.outage_retries = 0;
    let mut pipeline = LocalPipeline::open(engine(), options).unwrap();
    pipeline.add_api_key(API_KEY, TENANT).await.unwrap();
    let max = pipeline.services.config.queue.max_receives;

    // The originals cannot be read (the disk errs): every receive fails, retriably.
    let busy = upload(&pipeline, &sample_pdf()).await;
    let blobs = with_failing_reads(&mut pipeline);
    let services = &pipeline.services;

    for receive in 1..max {
        let settlement = pipeline
            .worker(QueueName::Extract)
            .process_job(&job(&busy), receive)
            .await;
        assert!(
            matches!(settlement, Settlement::Retry { .. }),
            "{settlement:?}"
        );
        let record = pipeline.store.get(TENANT, &busy).await.unwrap().unwrap();
        assert_eq!(record.status, Status::Processing, "receive {receive}");
    }
    let settlement = pipeline
        .worker(QueueName::Extract)
        .process_job(&job(&busy), max)
        .await;
    assert!(
        matches!(settlement, Settlement::DeadLetter { .. }),
        "on to the dead-letter queue: {settlement:?}"
    );
    let record = pipeline.store.get(TENANT, &busy).await.unwrap().unwrap();
    assert_eq!(record.status, Status::Failed);
    let error = record.error.expect("a failed report says why");
    assert_eq!(error.code, "extraction_failed");
    assert!(error.retriable);

    // The disk recovers. A missing original fails for good on the first receive; a second
    // receive is a no-op.
    blobs.fail_reads(false);
    let lost = upload(&pipeline, &pdf::variant(&sample_pdf(), 7)).await;
    services
        .blobs
        .delete_prefix(&file_key(TENANT, &lost, 0))
        .await
        .unwrap();
    let settlement = pipeline
        .worker(QueueName::Extract)
        .process_job(&job(&lost), 1)
        .await;
    assert!(
        matches!(settlement, Settlement::DeadLetter { .. }),
        "{settlement:?}"
    );
    let record = pipeline.store.get(TENANT, &lost).await.unwrap().unwrap();
    assert_eq!(record.status, Status::Failed);
    assert_eq!(
        pipeline
            .worker(QueueName::Extract)
            .process_job(&job(&lost), 2)
            .await,
        Settlement::Ack
    );

    // Both failed reports can be reprocessed; the reprocessed run completes.
    let request = http::Request::builder()
        .method("POST")
        .uri(format!("/v1/lab-reports/{busy}/reprocess"))
        .header("x-api-key", API_KEY)
        .body(bytes::Bytes::new())
        .unwrap();
    assert_eq!(pipeline.api.handle(request).await.status(), 202);
    let rerun = Job {
        run: 2,
        ..job(&busy)
    };
    assert_eq!(
        pipeline
            .worker(QueueName::Extract)
            .process_job(&rerun, 1)
            .await,
        Settlement::Ack
    );
    assert_eq!(
        pipeline
            .worker(QueueName::Standardize)
            .process_job(&rerun, 1)
            .await,
        Settlement::Ack
    );
    let record = pipeline.store.get(TENANT, &busy).await.unwrap().unwrap();
    assert_eq!(record.status, Status::Completed);
    assert!(record.error.is_none());

    // Giving up a stale job (an old run) or a finished one changes nothing.
    assert_eq!(
        services
            .give_up(QueueName::Extract, &job(&busy))
            .await
            .unwrap(),
        GaveUp::Nothing
    );
    let again = pipeline.store.get(TENANT, &busy).await.unwrap().unwrap();
    assert_eq!(again.version, record.version);
    pipeline.shutdown().await;
}

/// A step held under a live claim (another worker runs it, or died holding it) is waited for,
/// never given up however often its job comes back; once the lease runs out, the job takes the
/// step over and the report completes once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_under_a_live_claim_is_waited_for_and_then_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = LocalOptions::new(dir.path());
    let lease = Duration::from_secs(2);
    options.services.step_lease = lease;
    let pipeline = LocalPipeline::open(engine(), options).unwrap();
    pipeline.add_api_key(API_KEY, TENANT).await.unwrap();
    let max = pipeline.services.config.queue.max_receives;

    let id = upload(&pipeline, &sample_pdf()).await;
    let mut record = pipeline.store.get(TENANT, &id).await.unwrap().unwrap();
    let expected = record.version;
    record.status = Status::Processing;
    record.stage = "extracting".into();
    record.updated_at = pipeline.services.clock.now().to_rfc3339();
    record.version += 1;
    pipeline.store.update(&record, expected).await.unwrap();

    let mut wait = Duration::ZERO;
    for receive in 1..=max + 3 {
        match pipeline
            .worker(QueueName::Extract)
            .process_job(&job(&id), receive)
            .await
        {
            Settlement::Retry { after, .. } => {
                assert!(after <= lease, "receive {receive}: {after:?}");
                wait = after;
            }
            other => panic!("receive {receive}: {other:?}"),
        }
    }
    let record = pipeline.store.get(TENANT, &id).await.unwrap().unwrap();
    assert_eq!(record.status, Status::Processing, "not given up");

    tokio::time::sleep(wait).await;
    let settlement = pipeline
        .worker(QueueName::Extract)
        .process_job(&job(&id), max + 4)
        .await;
    assert_eq!(
        settlement,
        Settlement::Ack,
        "taken over once the lease ran out"
    );
    let record = pipeline.store.get(TENANT, &id).await.unwrap().unwrap();
    assert_eq!(record.status, Status::Processed);
}
