//! The webhook endpoint over time, on the embedded runner: during a rotation's overlap the
//! previous secret signs `x-body-signature` (a hex receiver still holds it) and both sign
//! `webhook-signature`, after it only the new one; an endpoint disabled by a 410 and set again
//! resumes the deliveries that waited for it.

use labrador_domain::ports::{EndpointStore, RecordStore};
use labrador_domain::record::DeliveryPhase;
use labrador_domain::webhook::{VerifyError, verify_body_signature, verify_standard};
use labrador_local::{LocalOptions, LocalPipeline};
use labrador_tests::client::Client;
use labrador_tests::receiver::{ReceivedRequest, Receiver};
use labrador_tests::{engine, pdf, poll_until};
use serde_json::json;
use std::time::Duration;

async fn start(dir: &std::path::Path, overlap: Duration) -> (LocalPipeline, Client) {
    let mut opts = LocalOptions::new(dir);
    opts.allow_loopback_webhooks = true;
    opts.services.secret_overlap = overlap;
    let mut p = LocalPipeline::open(engine(), opts).unwrap();
    p.start_workers();
    let addr = p.bind_http("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let key = p.create_api_key("tenant-e").await.unwrap();
    (p, Client::new(format!("http://{addr}"), key))
}

fn standard(hook: &ReceivedRequest, secret: &str) -> Result<(), VerifyError> {
    verify_standard(
        secret,
        hook.header("webhook-id"),
        hook.header("webhook-timestamp"),
        hook.header("webhook-signature"),
        &hook.body,
        chrono::Utc::now().timestamp(),
        Duration::from_secs(300),
    )
}

fn hex_ok(hook: &ReceivedRequest, secret: &str) -> bool {
    verify_body_signature(secret, &hook.body, hook.header("x-body-signature").unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hex_signature_keeps_the_previous_secret_until_the_overlap_ends() {
    let dir = tempfile::tempdir().unwrap();
    let overlap = Duration::from_secs(8);
    let (pipeline, client) = start(dir.path(), overlap).await;
    let receiver = Receiver::start(&[]).await;
    let ep = client
        .put_json(
            "/v1/webhook-endpoint",
            &json!({"url": receiver.url(), "format": "lab_report_record"}),
        )
        .await;
    let old = ep.json()["secret"].as_str().unwrap().to_string();
    let rotated = client
        .send(
            "POST",
            "/v1/webhook-endpoint/rotate-secret",
            None,
            Vec::new(),
            &[],
        )
        .await;
    assert_eq!(rotated.status, 200);
    let new = rotated.json()["secret"].as_str().unwrap().to_string();
    let ends = rotated.json()["previous_secret_expires_at"]
        .as_str()
        .map(|t| chrono::DateTime::parse_from_rfc3339(t).unwrap())
        .expect("the rotation says when the overlap ends");
    // Setting the endpoint again keeps the overlap.
    let set = client
        .put_json(
            "/v1/webhook-endpoint",
            &json!({"url": receiver.url(), "format": "lab_report_record"}),
        )
        .await;
    assert_eq!(set.status, 200);
    assert_eq!(
        set.json()["previous_secret_expires_at"],
        rotated.json()["previous_secret_expires_at"]
    );
    let stored = pipeline
        .store
        .get_endpoint("tenant-e")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.secrets, vec![new.clone(), old.clone()]);
    assert!(stored.previous_secret_expires_at.is_some());

    let up = client
        .upload_pdf("a.pdf", &pdf::lab_report_pdf(&pdf::default_rows()), &[])
        .await;
    let location = up.header("location").unwrap().to_string();
    let hooks = receiver.wait_for(1, Duration::from_secs(90)).await;
    assert_eq!(hooks.len(), 1);
    let sent_at: i64 = hooks[0]
        .header("webhook-timestamp")
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        sent_at < ends.timestamp(),
        "the first webhook was sent within the overlap (raise it if this machine is slow)"
    );
    assert!(
        hex_ok(&hooks[0], &old),
        "during the overlap: the previous secret"
    );
    assert!(!hex_ok(&hooks[0], &new));
    assert_eq!(standard(&hooks[0], &old), Ok(()));
    assert_eq!(standard(&hooks[0], &new), Ok(()));

    // After the overlap a redelivery of the same event is signed with the new secret only.
    let wait = (ends.with_timezone(&chrono::Utc) - chrono::Utc::now())
        .to_std()
        .unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(500)).await;
    let re = client
        .send(
            "POST",
            &format!("{location}/deliveries"),
            None,
            Vec::new(),
            &[],
        )
        .await;
    assert_eq!(re.status, 202, "{:?}", re.json());
    let hooks = receiver.wait_for(2, Duration::from_secs(30)).await;
    assert_eq!(hooks.len(), 2);
    assert_eq!(
        hooks[1].body, hooks[0].body,
        "the same event, the same bytes"
    );
    assert!(hex_ok(&hooks[1], &new), "after the overlap: the new secret");
    assert!(!hex_ok(&hooks[1], &old));
    assert_eq!(standard(&hooks[1], &new), Ok(()));
    assert_eq!(standard(&hooks[1], &old), Err(VerifyError::Mismatch));
    pipeline.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn re_enabling_the_endpoint_resumes_pending_deliveries() {
    let dir = tempfile::tempdir().unwrap();
    let (pipeline, client) = start(dir.path(), Duration::from_secs(3600)).await;
    let receiver = Receiver::start(&[410]).await;
    let body = json!({"url": receiver.url(), "format": "terra_v2"});
    let put = || client.put_json("/v1/webhook-endpoint", &body);
    assert_eq!(put().await.status, 201);
    let base = pdf::lab_report_pdf(&pdf::default_rows());

    // The first webhook answers 410: the endpoint is disabled and that delivery fails.
    let first = client.upload_pdf("a.pdf", &base, &[]).await;
    let first_id = first.json()["id"].as_str().unwrap().to_string();
    let disabled = poll_until(Duration::from_secs(90), || async {
        let e = client.get("/v1/webhook-endpoint").await.json();
        (e["disabled"] == true).then_some(e)
    })
    .await;
    assert!(disabled.is_some(), "410 disabled the endpoint");

    // Reports finished while it is disabled wait, pending.
    let mut waiting = Vec::new();
    for n in 1..=2 {
        let up = client
            .upload_pdf("b.pdf", &pdf::variant(&base, n), &[])
            .await;
        waiting.push(up.json()["id"].as_str().unwrap().to_string());
    }
    for id in &waiting {
        let done = client
            .wait_done(&format!("/v1/lab-reports/{id}"), Duration::from_secs(90))
            .await;
        assert_eq!(done.json()["status"], "completed");
        let rec = pipeline.store.get("tenant-e", id).await.unwrap().unwrap();
        assert_eq!(rec.delivery.unwrap().phase, DeliveryPhase::Pending);
    }
    assert_eq!(receiver.requests().len(), 1);

    // Set again: enabled, and both waiting reports are delivered; the 410'd one is not.
    let again = put().await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["disabled"], false);
    let hooks = receiver.wait_for(3, Duration::from_secs(30)).await;
    assert_eq!(hooks.len(), 3, "both pending deliveries resumed");
    let mut delivered: Vec<String> = hooks[1..]
        .iter()
        .map(|h| h.json()["upload_id"].as_str().unwrap().to_string())
        .collect();
    delivered.sort();
    waiting.sort();
    assert_eq!(delivered, waiting);
    for id in &waiting {
        let phase = poll_until(Duration::from_secs(10), || async {
            let log = client
                .get(&format!("/v1/lab-reports/{id}/deliveries"))
                .await
                .json();
            (log["delivery"]["phase"] == "delivered").then_some(())
        })
        .await;
        assert!(phase.is_some(), "{id} delivered");
    }
    let first_log = client
        .get(&format!("/v1/lab-reports/{first_id}/deliveries"))
        .await
        .json();
    assert_eq!(first_log["delivery"]["phase"], "failed");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.requests().len(), 3, "nothing is sent twice");
    pipeline.shutdown().await;
}
