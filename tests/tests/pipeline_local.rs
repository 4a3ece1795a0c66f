//! The whole pipeline on the embedded default: POST a PDF → 202 + Location → poll until done →
//! the local webhook receiver gets the event with valid signatures → its `data` equals the GET body.

use labrador_domain::webhook::{RetryPolicy, verify_body_signature, verify_standard};
use labrador_local::{LocalOptions, LocalPipeline};
use labrador_tests::client::Client;
use labrador_tests::receiver::Receiver;
use labrador_tests::{engine, sample_pdf};
use serde_json::json;
use std::time::Duration;

async fn start(dir: &std::path::Path, retry: Option<RetryPolicy>) -> (LocalPipeline, Client) {
    let mut opts = LocalOptions::new(dir);
    opts.allow_loopback_webhooks = true;
    if let Some(r) = retry {
        opts.services.retry = r;
    }
    let mut p = LocalPipeline::open(engine(), opts).unwrap();
    p.start_workers();
    let addr = p.bind_http("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let key = p.create_api_key("tenant-a").await.unwrap();
    (p, Client::new(format!("http://{addr}"), key))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_poll_webhook_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (pipeline, client) = start(dir.path(), None).await;
    let receiver = Receiver::start(&[]).await;

    let ep = client
        .put_json("/v1/webhook-endpoint", &json!({"url": receiver.url()}))
        .await;
    assert_eq!(ep.status, 201, "{:?}", ep.json());
    let secret = ep.json()["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));

    let up = client
        .upload_pdf(
            "report.pdf",
            &sample_pdf(),
            &[
                ("reference_id", "patient_123"),
                ("metadata", r#"{"source":"e2e"}"#),
            ],
        )
        .await;
    assert_eq!(up.status, 202, "{:?}", up.json());
    let location = up.header("location").unwrap().to_string();
    let accepted = up.json();
    assert_eq!(
        location,
        format!("/v1/lab-reports/{}", accepted["id"].as_str().unwrap())
    );
    assert_eq!(accepted["status"], "queued");
    assert!(accepted["uploaded_at"].is_string());
    assert_eq!(accepted["files"][0]["mime_type"], "application/pdf");

    let done = client.wait_done(&location, Duration::from_secs(90)).await;
    assert_eq!(done.status, 200, "{:?}", done.json());
    let report = done.json();
    assert_eq!(report["status"], "completed", "{report}");
    assert_eq!(report["reference_id"], "patient_123");
    assert_eq!(report["metadata"]["source"], "e2e");
    let results: usize = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["sections"].as_array().unwrap())
        .map(|s| s["results"].as_array().unwrap().len())
        .sum();
    assert!(results > 0, "the sample yields result rows: {report}");

    let hooks = receiver.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(hooks.len(), 1);
    let hook = &hooks[0];
    assert!(verify_body_signature(
        &secret,
        &hook.body,
        hook.header("x-body-signature").unwrap()
    ));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    verify_standard(
        &secret,
        hook.header("webhook-id"),
        hook.header("webhook-timestamp"),
        hook.header("webhook-signature"),
        &hook.body,
        now,
        Duration::from_secs(300),
    )
    .expect("valid Standard Webhooks signature");
    let event = hook.json();
    assert_eq!(event["type"], "lab_report.completed");
    assert_eq!(event["version"], "1");
    assert_eq!(event["id"].as_str(), hook.header("webhook-id"));
    assert!(event["id"].as_str().unwrap().starts_with("evt_"));
    assert_eq!(event["reference_id"], "patient_123");
    assert_eq!(event["metadata"]["source"], "e2e");

    // The GET body after delivery equals the webhook's data.
    let after = client.get(&location).await;
    assert_eq!(after.status, 200);
    assert_eq!(event["data"], after.json());

    // What needs a human: only those results, the counts still of the whole report.
    let full = after.json();
    let counts = &full["match_counts"];
    let total = ["auto", "needs_review", "unmatched"]
        .iter()
        .map(|k| counts[k].as_u64().unwrap())
        .sum::<u64>();
    let results_of = |r: &serde_json::Value| -> Vec<serde_json::Value> {
        r["documents"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["sections"].as_array().unwrap().clone())
            .flat_map(|s| s["results"].as_array().unwrap().clone())
            .collect()
    };
    assert_eq!(results_of(&full).len() as u64, total);
    let auto = client
        .get(&format!("{location}?match_status=auto"))
        .await
        .json();
    assert_eq!(auto["match_counts"], *counts);
    let auto_results = results_of(&auto);
    assert_eq!(auto_results.len() as u64, counts["auto"].as_u64().unwrap());
    assert!(auto_results.iter().all(|r| r["match_status"] == "auto"));
    let review = client
        .get(&format!("{location}?match_status=needs_review,unmatched"))
        .await
        .json();
    assert_eq!(
        results_of(&review).len() as u64,
        total - counts["auto"].as_u64().unwrap()
    );
    let bad = client.get(&format!("{location}?match_status=maybe")).await;
    assert_eq!(bad.status, 400);

    // The attempt log holds the delivery.
    let log = client.get(&format!("{location}/deliveries")).await.json();
    assert_eq!(log["data"].as_array().unwrap().len(), 1);
    assert_eq!(log["data"][0]["status_code"], 200);
    assert_eq!(log["delivery"]["phase"], "delivered");

    // The same bytes again: a new report, rejected as a duplicate of the first.
    let dup = client.upload_pdf("again.pdf", &sample_pdf(), &[]).await;
    assert_eq!(dup.status, 202);
    let dup_loc = dup.header("location").unwrap().to_string();
    let dup_report = client
        .wait_done(&dup_loc, Duration::from_secs(10))
        .await
        .json();
    assert_eq!(dup_report["status"], "rejected");
    assert_eq!(dup_report["rejection"]["reason"], "duplicate");
    assert_eq!(dup_report["rejection"]["duplicate_of"], accepted["id"]);
    let hooks = receiver.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(hooks[1].json()["type"], "lab_report.rejected");

    // Listing: newest first, filtered by reference id.
    let list = client
        .get("/v1/lab-reports?reference_id=patient_123")
        .await
        .json();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let all = client.get("/v1/lab-reports?limit=1").await.json();
    assert_eq!(all["data"][0]["id"], dup_report["id"]);
    let next = all["next_cursor"].as_str().unwrap();
    let page2 = client
        .get(&format!("/v1/lab-reports?limit=1&cursor={next}"))
        .await
        .json();
    assert_eq!(page2["data"][0]["id"], accepted["id"]);
    // A cursor the service did not issue is the client's mistake, not an outage.
    let bad = client.get("/v1/lab-reports?cursor=not-a-cursor").await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.json()["type"],
        "https://labrador.dev/problems/invalid_query"
    );

    // The original file streams back (the local store cannot presign).
    let file = client.get(&format!("{location}/files/0")).await;
    assert_eq!(file.status, 200);
    assert_eq!(&file.body[..], &sample_pdf()[..]);

    pipeline.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_attempts_are_retried_with_the_same_event_id() {
    let dir = tempfile::tempdir().unwrap();
    let retry = RetryPolicy {
        schedule: vec![Duration::from_millis(200), Duration::from_millis(200)],
        jitter: 0.0,
        max_retry_after: Duration::from_secs(1),
    };
    let (pipeline, client) = start(dir.path(), Some(retry)).await;
    let receiver = Receiver::start(&[503, 302]).await;
    let ep = client
        .put_json("/v1/webhook-endpoint", &json!({"url": receiver.url()}))
        .await;
    assert_eq!(ep.status, 201);

    let up = client
        .upload_pdf(
            "r.pdf",
            &labrador_tests::pdf::lab_report_pdf(&labrador_tests::pdf::default_rows()),
            &[],
        )
        .await;
    assert_eq!(up.status, 202, "{:?}", up.json());
    let location = up.header("location").unwrap().to_string();
    let hooks = receiver.wait_for(3, Duration::from_secs(90)).await;
    assert_eq!(hooks.len(), 3, "503, then a redirect (a failure), then 200");
    let ids: Vec<_> = hooks
        .iter()
        .map(|h| h.header("webhook-id").unwrap().to_string())
        .collect();
    assert!(ids.iter().all(|i| *i == ids[0]));
    assert!(
        hooks.iter().all(|h| h.body == hooks[0].body),
        "every attempt sends the same event"
    );

    let log = labrador_tests::poll_until(Duration::from_secs(10), || async {
        let log = client.get(&format!("{location}/deliveries")).await.json();
        (log["delivery"]["phase"] == "delivered").then_some(log)
    })
    .await
    .expect("delivered");
    let codes: Vec<_> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].clone())
        .collect();
    assert_eq!(codes, vec![json!(503), json!(302), json!(200)]);
    let report = client.get(&location).await.json();
    assert_eq!(report["status"], "completed");
    pipeline.shutdown().await;
}

/// Two webhook attempts, 100 ms apart.
fn one_quick_retry() -> RetryPolicy {
    RetryPolicy {
        schedule: vec![Duration::from_millis(100)],
        jitter: 0.0,
        max_retry_after: Duration::from_secs(1),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exhausted_delivery_is_dead_lettered_and_410_disables_the_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let (pipeline, client) = start(dir.path(), Some(one_quick_retry())).await;
    let receiver = Receiver::start(&[500, 500, 410]).await;
    let ep = client
        .put_json("/v1/webhook-endpoint", &json!({"url": receiver.url()}))
        .await;
    assert_eq!(ep.status, 201);
    let rows = labrador_tests::pdf::default_rows();
    let pdf = labrador_tests::pdf::lab_report_pdf(&rows);

    // Two attempts (the schedule allows one retry), both 500: the delivery fails for good.
    let up = client.upload_pdf("a.pdf", &pdf, &[]).await;
    let location = up.header("location").unwrap().to_string();
    let log = labrador_tests::poll_until(Duration::from_secs(60), || async {
        let log = client.get(&format!("{location}/deliveries")).await.json();
        (log["delivery"]["phase"] == "failed").then_some(log)
    })
    .await
    .expect("delivery gave up");
    assert_eq!(log["data"].as_array().unwrap().len(), 2);
    let report = client.get(&location).await.json();
    assert_eq!(report["status"], "completed", "the report itself is done");
    let dead = labrador_tests::poll_until(Duration::from_secs(10), || async {
        let s = pipeline
            .queue
            .stats(labrador_domain::ports::QueueName::Deliver)
            .await
            .unwrap();
        (s.dead == 1).then_some(s)
    })
    .await;
    assert!(
        dead.is_some(),
        "the exhausted delivery job is dead-lettered"
    );

    // The next report's webhook answers 410: the endpoint is disabled, nothing is retried.
    let up = client
        .upload_pdf("b.pdf", &labrador_tests::pdf::variant(&pdf, 1), &[])
        .await;
    let location = up.header("location").unwrap().to_string();
    let disabled = labrador_tests::poll_until(Duration::from_secs(60), || async {
        let e = client.get("/v1/webhook-endpoint").await.json();
        (e["disabled"] == true).then_some(e)
    })
    .await;
    assert!(disabled.is_some(), "410 disabled the endpoint");
    let log = client.get(&format!("{location}/deliveries")).await.json();
    assert_eq!(log["data"].as_array().unwrap().len(), 1);
    assert_eq!(log["delivery"]["phase"], "failed");
    assert_eq!(receiver.requests().len(), 3);
    pipeline.shutdown().await;
}

/// The stage of a completed report says how its last delivery ended: `delivery_failed` once the
/// retries ran out, `completed` again after a successful redelivery, in the list as in the log;
/// the redelivery's attempts are numbered on from the earlier ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_successful_redelivery_clears_delivery_failed() {
    let dir = tempfile::tempdir().unwrap();
    let (pipeline, client) = start(dir.path(), Some(one_quick_retry())).await;
    let receiver = Receiver::start(&[500, 500]).await;
    let ep = client
        .put_json("/v1/webhook-endpoint", &json!({"url": receiver.url()}))
        .await;
    assert_eq!(ep.status, 201);
    let pdf = labrador_tests::pdf::lab_report_pdf(&labrador_tests::pdf::default_rows());
    let up = client.upload_pdf("a.pdf", &pdf, &[]).await;
    let location = up.header("location").unwrap().to_string();
    let id = up.json()["id"].as_str().unwrap().to_string();
    let phase = |want: &'static str| {
        let client = &client;
        let location = &location;
        async move {
            labrador_tests::poll_until(Duration::from_secs(60), || async {
                let log = client.get(&format!("{location}/deliveries")).await.json();
                (log["delivery"]["phase"] == want).then_some(log)
            })
            .await
            .unwrap_or_else(|| panic!("delivery never {want}"))
        }
    };
    let listed_stage = || async {
        let list = client.get("/v1/lab-reports").await.json();
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id.as_str())
            .map(|r| (r["status"].clone(), r["stage"].clone()))
            .unwrap()
    };

    phase("failed").await;
    assert_eq!(
        listed_stage().await,
        (json!("completed"), json!("delivery_failed"))
    );
    let again = client
        .send(
            "POST",
            &format!("{location}/deliveries"),
            None,
            Vec::new(),
            &[],
        )
        .await;
    assert_eq!(again.status, 202, "{:?}", again.body);
    let log = phase("delivered").await;
    assert_eq!(
        listed_stage().await,
        (json!("completed"), json!("completed"))
    );
    // The attempt numbers keep counting: the log keeps both failed attempts and the third.
    let attempts: Vec<u64> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["attempt"].as_u64().unwrap())
        .collect();
    assert_eq!(attempts, [1, 2, 3], "{log}");
    assert_eq!(log["delivery"]["attempts"], 3);
    assert_eq!(client.get(&location).await.json()["status"], "completed");
    pipeline.shutdown().await;
}
