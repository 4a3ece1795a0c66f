//! The whole pipeline on the AWS adapters against moto: upload through the API handler, the three
//! queues drained by the same batch handler the Lambda functions run, the webhook received on
//! loopback with a valid signature and `data` equal to the GET body.
//! Fails (does not skip) when moto_server or libpdfium is missing: run infra/setup.sh first.

mod aws_support;

use aws_support::receiver::Receiver;
use aws_support::{call, drain_once, expected_body_signature, sample_pdf};
use base64::Engine as _;
use labrador_api::hash_api_key;
use labrador_devkit::MotoServer;
use labrador_domain::ports::{ApiKeyStore, QueueName, RecordStore};
use std::time::{Duration, Instant};

const API_KEY: &str = "lab_moto_test_key";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pdf_upload_to_signed_webhook_on_moto() {
    let moto = MotoServer::start().expect("moto_server must be installed (infra/setup.sh)");
    let aws = aws_support::provisioned(&moto, "pipeline").await;

    let (steps, api) = aws_support::moto_stack(&aws, API_KEY, "acme").await;

    let receiver = Receiver::start().await;
    let endpoint = aws_support::create_endpoint(&api, API_KEY, &receiver.url).await;
    let secret = endpoint["secret"]
        .as_str()
        .expect("a new endpoint gets a secret")
        .to_string();

    let pdf = sample_pdf();
    let (status, headers, accepted) = call(
        &api,
        "POST",
        "/v1/lab-reports",
        API_KEY,
        Some(serde_json::json!({
            "mime_type": "application/pdf",
            "filename": "cbc.pdf",
            "body": base64::engine::general_purpose::STANDARD.encode(&pdf),
            "reference_id": "patient_123",
            "metadata": {"order": "A-1001"},
        })),
    )
    .await;
    assert_eq!(status, 202, "{accepted}");
    let id = accepted["id"].as_str().unwrap().to_string();
    assert_eq!(
        headers.get("location").unwrap().to_str().unwrap(),
        format!("/v1/lab-reports/{id}")
    );
    // The original is in S3 under the tenant's prefix.
    let record = aws
        .store
        .get("acme", &id)
        .await
        .unwrap()
        .expect("record in DynamoDB");
    assert_eq!(record.files.len(), 1);

    // Drive the queues like the event source mappings until the webhook arrives.
    let deadline = Instant::now() + Duration::from_secs(90);
    while receiver.received().is_empty() {
        assert!(Instant::now() < deadline, "no webhook within 90 s");
        if drain_once(&aws, &steps).await == 0 {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    // Let any stray duplicate show itself, then make sure the queues are empty.
    for _ in 0..3 {
        drain_once(&aws, &steps).await;
    }
    let hooks = receiver.received();
    assert_eq!(hooks.len(), 1, "exactly one webhook");
    let hook = &hooks[0];
    assert_eq!(
        hook.headers.get("x-body-signature").map(String::as_str),
        Some(expected_body_signature(&secret, &hook.body).as_str()),
        "x-body-signature is HMAC-SHA256 of the raw body"
    );
    assert!(hook.headers.contains_key("webhook-id"));
    assert!(hook.headers.contains_key("webhook-signature"));
    let event: serde_json::Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(event["type"], "lab_report.completed", "{event}");
    assert_eq!(event["reference_id"], "patient_123");
    assert_eq!(event["metadata"]["order"], "A-1001");

    let (status, _, report) =
        call(&api, "GET", &format!("/v1/lab-reports/{id}"), API_KEY, None).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["status"], "completed");
    assert_eq!(event["data"], report, "webhook data equals the GET body");
    let rows: usize = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["sections"].as_array().unwrap())
        .map(|s| s["results"].as_array().unwrap().len())
        .sum();
    assert!(rows >= 3, "the text-layer PDF yields its rows: {report}");

    // Listing by reference id finds it; another tenant's key does not.
    let (status, _, list) = call(
        &api,
        "GET",
        "/v1/lab-reports?reference_id=patient_123",
        API_KEY,
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert!(list.to_string().contains(&id), "{list}");
    aws.store
        .put_api_key_hash(&hash_api_key("other_key"), "other")
        .await
        .unwrap();
    let (status, _, _) = call(
        &api,
        "GET",
        &format!("/v1/lab-reports/{id}"),
        "other_key",
        None,
    )
    .await;
    assert_eq!(status, 404);

    // Nothing left in any queue.
    for queue in [
        QueueName::Extract,
        QueueName::Standardize,
        QueueName::Deliver,
    ] {
        assert_eq!(
            aws.queue.approximate_depth(queue).await.unwrap(),
            0,
            "{queue:?}"
        );
    }
}
