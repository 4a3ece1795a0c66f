//! At-least-once delivery: the same extract and deliver messages handled twice (and
//! concurrently) give one webhook id, one sent webhook and a consistent record.

use labrador_domain::ports::{DeliveryLog, QueueName, RecordStore};
use labrador_domain::record::DeliveryPhase;
use labrador_engine::model::Status;
use labrador_local::{LocalOptions, LocalPipeline, ReceivedJob};
use labrador_tests::client::multipart;
use labrador_tests::receiver::Receiver;
use labrador_tests::{engine, sample_pdf};
use std::time::Duration;

async fn take(p: &LocalPipeline, q: QueueName) -> Vec<ReceivedJob> {
    let mut out = Vec::new();
    while let Some(j) = p.queue.receive(q, Duration::from_secs(60)).await.unwrap() {
        out.push(j);
    }
    out
}

fn request(
    method: &str,
    path: &str,
    key: &str,
    ct: &str,
    body: Vec<u8>,
) -> http::Request<bytes::Bytes> {
    http::Request::builder()
        .method(method)
        .uri(path)
        .header("x-api-key", key)
        .header("content-type", ct)
        .body(bytes::Bytes::from(body))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_messages_send_one_webhook() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = LocalOptions::new(dir.path());
    opts.allow_loopback_webhooks = true;
    // No workers: this test plays the queue by hand.
    let p = LocalPipeline::open(engine(), opts).unwrap();
    let key = p.create_api_key("t1").await.unwrap();
    let receiver = Receiver::start(&[]).await;

    let ep = p
        .api
        .handle(request(
            "PUT",
            "/v1/webhook-endpoint",
            &key,
            "application/json",
            serde_json::json!({"url": receiver.url()})
                .to_string()
                .into_bytes(),
        ))
        .await;
    assert_eq!(ep.status(), 201);
    let (ct, body) = multipart("r.pdf", &sample_pdf(), &[]);
    let up = p
        .api
        .handle(request("POST", "/v1/lab-reports", &key, &ct, body))
        .await;
    assert_eq!(up.status(), 202);
    let id = serde_json::from_slice::<serde_json::Value>(up.body()).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // The extract message, delivered twice.
    let extract = take(&p, QueueName::Extract).await;
    assert_eq!(extract.len(), 1);
    let job = extract[0].job.clone();
    p.worker(QueueName::Extract).handle_job(&job).await.unwrap();
    let after_first = p.store.get("t1", &id).await.unwrap().unwrap();
    assert_eq!(after_first.status, Status::Processed);
    p.worker(QueueName::Extract).handle_job(&job).await.unwrap();
    let after_second = p.store.get("t1", &id).await.unwrap().unwrap();
    assert_eq!(after_second.status, Status::Processed);
    assert_eq!(
        after_second.version, after_first.version,
        "the second run changed nothing"
    );

    // Every standardize message (the repeat re-sent one), each handled twice.
    let std_jobs = take(&p, QueueName::Standardize).await;
    assert!(!std_jobs.is_empty());
    for j in &std_jobs {
        p.worker(QueueName::Standardize)
            .handle_job(&j.job)
            .await
            .unwrap();
        p.worker(QueueName::Standardize)
            .handle_job(&j.job)
            .await
            .unwrap();
    }
    let rec = p.store.get("t1", &id).await.unwrap().unwrap();
    assert_eq!(rec.status, Status::Standardized);
    let event_id = rec.event_id.clone().unwrap();

    // Deliver messages: all for the same event; handle the first twice concurrently, then all
    // of them again.
    let deliver = take(&p, QueueName::Deliver).await;
    assert!(!deliver.is_empty());
    assert!(
        deliver
            .iter()
            .all(|j| j.job.event_id.as_deref() == Some(event_id.as_str()))
    );
    let d = deliver[0].job.clone();
    let (a, b) = tokio::join!(
        p.worker(QueueName::Deliver).handle_job(&d),
        p.worker(QueueName::Deliver).handle_job(&d)
    );
    // One of them sent; the other found the attempt claimed (retriable) or done.
    assert!(a.is_ok() || b.is_ok());
    for j in &deliver {
        p.worker(QueueName::Deliver)
            .handle_job(&j.job)
            .await
            .unwrap();
    }
    p.worker(QueueName::Deliver).handle_job(&d).await.unwrap();

    let hooks = receiver.wait_for(2, Duration::from_millis(500)).await;
    assert_eq!(hooks.len(), 1, "exactly one webhook was sent");
    assert_eq!(hooks[0].header("webhook-id"), Some(event_id.as_str()));

    let rec = p.store.get("t1", &id).await.unwrap().unwrap();
    assert_eq!(rec.status, Status::Completed);
    let delivery = rec.delivery.unwrap();
    assert_eq!(delivery.phase, DeliveryPhase::Delivered);
    assert_eq!(delivery.attempts, 1);
    assert_eq!(delivery.event_id, event_id);
    let attempts = p.store.list_delivery_attempts("t1", &id).await.unwrap();
    assert_eq!(attempts.len(), 1);
    // The history walks the status machine once, in order.
    let statuses: Vec<Status> = rec.status_history.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        vec![
            Status::Received,
            Status::Queued,
            Status::Processing,
            Status::Processed,
            Status::Standardizing,
            Status::Standardized,
            Status::Delivering,
            Status::Completed
        ]
    );
    // No queue holds more work, and nothing was dead-lettered.
    for q in [
        QueueName::Extract,
        QueueName::Standardize,
        QueueName::Deliver,
    ] {
        for j in take(&p, q).await {
            p.worker(q).handle_job(&j.job).await.unwrap();
        }
    }
    assert_eq!(receiver.requests().len(), 1);

    // A manual redelivery sends the same event again, under the same id.
    let re = p
        .api
        .handle(request(
            "POST",
            &format!("/v1/lab-reports/{id}/deliveries"),
            &key,
            "application/json",
            Vec::new(),
        ))
        .await;
    assert_eq!(re.status(), 202);
    for j in take(&p, QueueName::Deliver).await {
        p.worker(QueueName::Deliver)
            .handle_job(&j.job)
            .await
            .unwrap();
        p.worker(QueueName::Deliver)
            .handle_job(&j.job)
            .await
            .unwrap();
    }
    let hooks = receiver.requests();
    assert_eq!(hooks.len(), 2);
    assert_eq!(hooks[1].header("webhook-id"), Some(event_id.as_str()));
    assert_eq!(hooks[1].body, hooks[0].body);
}
