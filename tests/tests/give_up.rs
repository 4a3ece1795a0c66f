//! A job that fails for good, or on its last receive, is given up: the report ends `failed`
//! (retriable, so it can be reprocessed) instead of waiting forever while its message sits in the
//! dead-letter queue. Driven through `Services::process_job`, which every queue backend runs, on
//! the embedded adapters.

mod aws_support;

use labrador_domain::ports::{Job, QueueName, RecordStore};
use labrador_domain::services::{GaveUp, Settlement, file_key};
use labrador_engine::model::Status;
use labrador_local::{LocalOptions, LocalPipeline};
use labrador_tests::{engine, pdf, sample_pdf};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exhausted_and_permanent_failures_end_the_report_as_failed() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = LocalPipeline::open(engine(), LocalOptions::new(dir.path())).unwrap();
    pipeline.add_api_key(API_KEY, TENANT).await.unwrap();
    let services = &pipeline.services;
    let max = services.config.queue.max_receives;

    // Another worker holds the extraction (a fresh claim): every receive fails, retriably.
    let busy = upload(&pipeline, &sample_pdf()).await;
    let mut record = pipeline.store.get(TENANT, &busy).await.unwrap().unwrap();
    let expected = record.version;
    record.status = Status::Processing;
    record.stage = "extracting".into();
    record.updated_at = services.clock.now().to_rfc3339();
    record.version += 1;
    pipeline.store.update(&record, expected).await.unwrap();

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

    // A missing original fails for good on the first receive; a second receive is a no-op.
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
