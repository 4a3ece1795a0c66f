//! The operator's redrive: dead jobs are dealt with by what their report needs now. On the
//! embedded queue and on SQS dead-letter queues (moto), through the same service.

mod aws_support;

use aws_support::sample_pdf;
use labrador_aws::lambda::{Disposition, run_job};
use labrador_devkit::MotoServer;
use labrador_domain::ports::{DeadLetterQueue, Job, QueueName};
use labrador_domain::services::{Pipeline, RedriveSummary, Services};
use labrador_engine::model::Status;
use labrador_http::{GuardPolicy, HttpWebhookSender};
use labrador_local::{LocalOptions, LocalPipeline};
use labrador_tests::engine;
use labrador_tests::faults::FailingBlobs;
use std::sync::Arc;
use std::time::Duration;

const TENANT: &str = "acme";

async fn create_report(services: &Services, pdf: &[u8]) -> String {
    let api = labrador_api::Api::new(services.clone(), labrador_api::ApiConfig::default());
    services
        .store
        .put_api_key_hash(&labrador_api::hash_api_key("lab_redrive_key"), TENANT)
        .await
        .unwrap();
    aws_support::upload_pdf_json(&api, "lab_redrive_key", pdf).await
}

/// Step workers over `services` whose blob reads fail (a disk or bucket that errs) until told
/// otherwise, with no lease to wait out, so every receive fails and the receives run out.
fn failing_steps(services: &Services) -> (Pipeline, Arc<FailingBlobs>) {
    let blobs = FailingBlobs::new(services.blobs.clone());
    let mut failing = Services {
        blobs: blobs.clone(),
        ..services.clone()
    };
    failing.config.step_lease = Duration::ZERO;
    // Outages count as failures at once, so the jobs are given up within the receives.
    failing.config.queue.outage_retries = 0;
    let steps = Pipeline::new(
        failing,
        engine(),
        Arc::new(HttpWebhookSender::new(GuardPolicy::LOCAL).unwrap()),
    );
    (steps, blobs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_dead_jobs_are_reprocessed() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = LocalOptions::new(dir.path());
    options.services.queue.max_receives = 1;
    let mut pipeline = LocalPipeline::open(engine(), options).unwrap();
    let services = pipeline.services.clone();

    // The worker dead-letters the job it cannot run and gives the report up.
    let (steps, blobs) = failing_steps(&services);
    pipeline.steps = steps;
    let id = create_report(&services, &sample_pdf()).await;
    pipeline.start_workers();
    let queue = pipeline.queue.clone();
    let failed = labrador_tests::poll_until(Duration::from_secs(30), || async {
        let r = services.store.get(TENANT, &id).await.unwrap().unwrap();
        let dead = queue.stats(QueueName::Extract).await.unwrap().dead;
        (r.status == Status::Failed && dead == 1).then_some(r)
    })
    .await
    .expect("the report is given up and its job dead-lettered");
    assert_eq!(failed.error.unwrap().code, "extraction_failed");

    // The disk recovers. The redrive reprocesses the given-up report (a new run) instead of
    // resending its job.
    blobs.fail_reads(false);
    let summary = services
        .redrive_dead_letters(&queue, QueueName::Extract)
        .await
        .unwrap();
    assert_eq!(
        summary,
        RedriveSummary {
            reprocessed: 1,
            ..RedriveSummary::default()
        }
    );
    let done = labrador_tests::poll_until(Duration::from_secs(60), || async {
        let r = services.store.get(TENANT, &id).await.unwrap().unwrap();
        (r.status == Status::Completed).then_some(r)
    })
    .await
    .expect("the reprocessed report completes");
    assert_eq!(done.run, 2);
    assert_eq!(
        pipeline.queue.stats(QueueName::Extract).await.unwrap().dead,
        0
    );
    pipeline.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqs_dead_letters_are_redriven_on_moto() {
    let moto = MotoServer::start().expect("moto_server must be installed (infra/setup.sh)");
    let aws = aws_support::provisioned(&moto, "redrive").await;
    let services = aws.services();
    let (steps, blobs) = failing_steps(&services);
    let max = labrador_domain::services::MAX_RECEIVES;

    let held = create_report(&services, &sample_pdf()).await;
    // Every receive fails (the bucket errs): SQS counts the receives, and on the last one the
    // job is given up and its message moved to the dead-letter queue.
    let mut receives = 0;
    for _ in 0..(max * 4) {
        let batch = aws
            .queue
            .receive(QueueName::Extract, 10, Duration::ZERO)
            .await
            .unwrap();
        if batch.is_empty() && receives > 0 {
            break;
        }
        for message in batch {
            receives += 1;
            // The bucket's notification test event (sent when provisioning set it up) is no job.
            let Ok(parsed) = serde_json::from_str::<Job>(&message.body) else {
                aws.queue
                    .delete(QueueName::Extract, &message.receipt_handle)
                    .await
                    .unwrap();
                continue;
            };
            let disposition = run_job(
                steps.worker(QueueName::Extract),
                &aws.queue,
                parsed,
                message.receive_count,
            )
            .await;
            if disposition == Disposition::Retry {
                aws.queue
                    .release(QueueName::Extract, &message.receipt_handle)
                    .await
                    .unwrap();
            } else {
                aws.queue
                    .delete(QueueName::Extract, &message.receipt_handle)
                    .await
                    .unwrap();
            }
        }
    }
    let record = services.store.get(TENANT, &held).await.unwrap().unwrap();
    assert_eq!(
        record.status,
        Status::Failed,
        "given up on the last receive"
    );

    blobs.fail_reads(false);
    let summary = services
        .redrive_dead_letters(&aws.queue, QueueName::Extract)
        .await
        .unwrap();
    assert_eq!(summary.reprocessed, 1, "{summary:?}");
    assert_eq!(summary.left, 0, "{summary:?}");
    assert!(
        aws.queue
            .take_dead(QueueName::Extract, 10)
            .await
            .unwrap()
            .is_empty(),
        "the dead-letter queue is empty"
    );
    // The reprocessed run's job is on the work queue.
    let batch = aws
        .queue
        .receive(QueueName::Extract, 10, Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(batch.len(), 1);
    let requeued: Job = serde_json::from_str(&batch[0].body).unwrap();
    assert_eq!(
        (requeued.report_id.as_str(), requeued.run),
        (held.as_str(), 2)
    );
}
