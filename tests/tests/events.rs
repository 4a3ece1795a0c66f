//! Keeps `events/` valid: every sample event deserializes into the Lambda event type its
//! function takes and runs through the very handler functions the mains use (`handle_http`,
//! `sqs_batch` + `Services::process_job`), here on the embedded adapters.

mod aws_support;

use aws_support::repo_root;
use aws_support::run_embedded;
use labrador_aws::lambda::aws_lambda_events::event::apigw::ApiGatewayV2httpRequest;
use labrador_aws::lambda::aws_lambda_events::event::sqs::SqsEvent;
use labrador_aws::lambda::lambda_http::request::LambdaRequest;
use labrador_aws::lambda::lambda_http::{Body, Request};
use labrador_aws::lambda::{handle_http, sqs_batch};
use labrador_domain::ports::{Job, QueueName};
use labrador_engine::{Engine, EngineConfig};
use labrador_local::{LocalOptions, LocalPipeline};
use serde_json::Value;
use std::sync::Arc;

/// The tenant and key the sample events carry.
const TENANT: &str = "example";
const API_KEY: &str = "lab_example_key_0123456789";

fn load(name: &str) -> Value {
    let path = repo_root().join("events").join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"))).unwrap()
}

fn http_request(event: Value) -> Request {
    let _: ApiGatewayV2httpRequest =
        serde_json::from_value(event.clone()).expect("an HTTP API (payload v2) request");
    let lambda: LambdaRequest = serde_json::from_value(event).expect("a lambda_http request");
    Request::from(lambda)
}

fn body_json(body: &Body) -> Value {
    serde_json::from_slice(body.as_ref()).expect("a JSON body")
}

/// The event with the sample report id replaced by `id` (in the path or in every job body).
fn with_report_id(mut event: Value, id: &str) -> Value {
    let sample = "8d5e3f0a-6c1b-4c55-9a7e-2f4b1d0c9e11";
    let text = event.to_string().replace(sample, id);
    event = serde_json::from_str(&text).unwrap();
    event
}

fn sqs(event: Value) -> SqsEvent {
    let event: SqsEvent = serde_json::from_value(event).expect("an SQS event");
    for record in &event.records {
        let job: Job = serde_json::from_str(record.body.as_deref().unwrap()).expect("a job body");
        assert_eq!(job.tenant, TENANT);
    }
    event
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_events_run_through_the_handlers() {
    let dir = std::env::temp_dir().join(format!("labrador-events-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let engine = Engine::new(EngineConfig::new(labrador_tests::pdfium_lib()))
        .expect("libpdfium (infra/setup.sh)");
    let pipeline = LocalPipeline::open(Arc::new(engine), LocalOptions::new(&dir)).unwrap();
    pipeline.add_api_key(API_KEY, TENANT).await.unwrap();
    let api = pipeline.api.clone();
    let handler = |request| {
        let api = api.clone();
        async move { api.handle(request).await }
    };

    // upload: POST /v1/lab-reports with a JSON body carrying a base64 PDF.
    let response = handle_http(&handler, http_request(load("upload-post-json.json"))).await;
    assert_eq!(response.status(), 202, "{:?}", response.body());
    let accepted = body_json(response.body());
    let id = accepted["id"].as_str().unwrap().to_string();

    // upload: POST /v1/lab-reports as multipart/form-data (isBase64Encoded), one PDF part.
    let response = handle_http(&handler, http_request(load("upload-post-multipart.json"))).await;
    assert_eq!(response.status(), 202, "{:?}", response.body());
    let multipart = body_json(response.body());
    assert_eq!(
        multipart["status"], "queued",
        "not a duplicate: {multipart}"
    );
    assert_eq!(multipart["files"][0]["file_name"], "cbc-multipart.pdf");

    // POST /v1/lab-reports/uploads: a large file declared, to be PUT to its target.
    let response = handle_http(&handler, http_request(load("uploads-post.json"))).await;
    assert_eq!(response.status(), 201, "{:?}", response.body());
    let created = body_json(response.body());
    assert_eq!(created["stage"], "awaiting_upload", "{created}");
    assert_eq!(created["files"][0]["upload"]["method"], "PUT");

    // extract → standardize → deliver, each from its sample SQS batch.
    for (file, queue) in [
        ("extract-sqs.json", QueueName::Extract),
        ("standardize-sqs.json", QueueName::Standardize),
        ("deliver-sqs.json", QueueName::Deliver),
    ] {
        let event = sqs(with_report_id(load(file), &id));
        let worker = pipeline.worker(queue);
        let job_handler = |job, receives| run_embedded(worker, job, receives);
        let response = sqs_batch(event, &job_handler).await;
        assert!(
            response.batch_item_failures.is_empty(),
            "{file}: {:?}",
            response.batch_item_failures
        );
    }

    // results: GET /v1/lab-reports/{id} and the list by reference id.
    let response = handle_http(
        &handler,
        http_request(with_report_id(load("results-get.json"), &id)),
    )
    .await;
    assert_eq!(response.status(), 200, "{:?}", response.body());
    let report = body_json(response.body());
    assert_eq!(report["id"], id.as_str());
    assert_eq!(report["status"], "completed", "{report}");
    assert_eq!(report["reference_id"], "patient_123");

    let response = handle_http(&handler, http_request(load("results-list.json"))).await;
    assert_eq!(response.status(), 200, "{:?}", response.body());
    assert!(body_json(response.body()).to_string().contains(&id));

    // The unmodified sample id is unknown here: a clean 404 problem, not a crash.
    let response = handle_http(&handler, http_request(load("results-get.json"))).await;
    assert_eq!(response.status(), 404);

    // A message whose body is not a job is reported as failed (→ DLQ by redrive); its batch
    // neighbours still run.
    let mut event = sqs(with_report_id(load("extract-sqs.json"), &id));
    let mut bad = event.records[0].clone();
    bad.message_id = Some("bad".into());
    bad.body = Some("{\"not\": \"a job\"".into());
    event.records.insert(0, bad);
    let worker = pipeline.worker(QueueName::Extract);
    let job_handler = |job, receives| run_embedded(worker, job, receives);
    let response = sqs_batch(event, &job_handler).await;
    let failed: Vec<_> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    assert_eq!(failed, ["bad"]);

    // extract-s3-upload-sqs.json: the bucket's notification that a presigned upload arrived
    // starts intake of that report.
    let declared = serde_json::json!({"files": [
        {"filename": "big.pdf", "mime_type": "application/pdf", "size": 4096}
    ]});
    let request = http::Request::builder()
        .method("POST")
        .uri("/v1/lab-reports/uploads")
        .header("x-api-key", API_KEY)
        .header("content-type", "application/json")
        .body(bytes::Bytes::from(declared.to_string()))
        .unwrap();
    let created = pipeline.api.handle(request).await;
    assert_eq!(created.status(), 201);
    let large_id = serde_json::from_slice::<Value>(created.body()).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pdf = labrador_tests::pdf::variant(&labrador_tests::sample_pdf(), 3);
    pipeline
        .services
        .blobs
        .put(
            &labrador_domain::services::incoming_key(TENANT, &large_id, 0),
            pdf.into(),
            "application/pdf",
        )
        .await
        .unwrap();
    let event: SqsEvent = serde_json::from_value(with_report_id(
        load("extract-s3-upload-sqs.json"),
        &large_id,
    ))
    .expect("an SQS event");
    let response = sqs_batch(event, &job_handler).await;
    assert!(response.batch_item_failures.is_empty());
    let record = pipeline
        .services
        .store
        .get(TENANT, &large_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.status, labrador_engine::model::Status::Queued);

    // recover: the scheduled sweep (its event is not read). An upload that died after its
    // record, untouched past `stall_after`, is removed.
    let _scheduled: Value = load("recover-schedule.json");
    let mut orphan = record.clone();
    orphan.id = "00000000-0000-4000-8000-0000000000aa".into();
    orphan.status = labrador_engine::model::Status::Received;
    orphan.stage = "received".into();
    orphan.version = 1;
    pipeline.services.store.create(&orphan).await.unwrap();
    let mut sweeping = pipeline.services.clone();
    sweeping.config.stall_after = std::time::Duration::ZERO;
    let swept = labrador_aws::lambda::sweep_once(&sweeping).await.unwrap();
    assert!(swept.removed >= 1, "{swept:?}");
    assert!(
        pipeline
            .services
            .store
            .get(TENANT, &orphan.id)
            .await
            .unwrap()
            .is_none()
    );

    pipeline.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_sample_event_is_run_here() {
    let this_file = include_str!("events.rs");
    for entry in std::fs::read_dir(repo_root().join("events")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        // env*.json are SAM's environment files, not events.
        if name.ends_with(".json") && !name.starts_with("env") {
            assert!(
                this_file.contains(&format!("\"{name}\"")),
                "events/{name} is not run by tests/tests/events.rs"
            );
        }
    }
}
