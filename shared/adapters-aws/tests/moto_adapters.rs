//! The AWS adapters against moto: every port method, conditional writes, pagination, delays.
//! Fails (does not skip) when moto_server is missing: CI runs infra/setup.sh first.

use bytes::Bytes;
use labrador_aws::{AwsAdapters, AwsConfig};
use labrador_devkit::MotoServer;
use labrador_domain::engine::model::Status;
use labrador_domain::ports::{
    ApiKeyStore, BlobStore, DeliveryLog, EndpointStore, IdempotencyStore, Job, JobQueue,
    ListFilter, QueueName, RecordStore, StoreError,
};
use labrador_domain::record::{
    DeliveryAttempt, IdempotentResponse, PayloadFormat, ReportRecord, WebhookEndpoint,
};
use std::time::Duration;

async fn adapters(prefix: &str) -> (MotoServer, AwsAdapters) {
    let moto = MotoServer::start().expect("moto_server must be installed (infra/setup.sh)");
    let mut aws = AwsAdapters::new(AwsConfig::emulator(moto.endpoint(), prefix)).await;
    aws.provision(&labrador_domain::services::QueuePolicy::default())
        .await
        .expect("provision");
    // A second provision keeps what exists.
    aws.provision(&labrador_domain::services::QueuePolicy::default())
        .await
        .expect("provision is idempotent");
    (moto, aws)
}

fn record(
    tenant: &str,
    id: &str,
    uploaded_at: &str,
    reference: Option<&str>,
    hash: &str,
) -> ReportRecord {
    ReportRecord {
        tenant: tenant.into(),
        id: id.into(),
        status: Status::Queued,
        stage: "queued".into(),
        reference_id: reference.map(String::from),
        metadata: Default::default(),
        files: vec![],
        content_hash: hash.into(),
        uploaded_at: uploaded_at.into(),
        updated_at: uploaded_at.into(),
        status_history: vec![],
        rejection: None,
        error: None,
        run: 1,
        event_id: None,
        delivery_attempts: 0,
        expires_at: None,
        version: 1,
        delivery: None,
        deleted_at: None,
        claim_released: false,
        request_id: Some("req-1".into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blobs_round_trip_delete_by_prefix_and_presign() {
    let (_moto, aws) = adapters("blobs").await;
    let blobs = &aws.blobs;
    for n in 0..3 {
        let key = format!("tenants/t1/reports/r1/files/{n}");
        blobs
            .put(&key, Bytes::from(vec![n as u8; 10]), "application/pdf")
            .await
            .unwrap();
    }
    blobs
        .put(
            "tenants/t1/reports/r10/report.json",
            Bytes::from_static(b"{}"),
            "application/json",
        )
        .await
        .unwrap();
    assert_eq!(
        blobs.get("tenants/t1/reports/r1/files/2").await.unwrap(),
        Some(Bytes::from(vec![2u8; 10]))
    );
    assert_eq!(
        blobs.get("tenants/t1/reports/r1/missing").await.unwrap(),
        None
    );

    let url = blobs
        .presigned_get_url("tenants/t1/reports/r1/files/0", Duration::from_secs(60))
        .await
        .unwrap()
        .expect("S3 presigns");
    assert!(url.starts_with(moto_endpoint(&aws)), "{url}");
    assert!(url.contains("X-Amz-Signature="), "{url}");

    blobs.delete_prefix("tenants/t1/reports/r1/").await.unwrap();
    assert_eq!(
        blobs.get("tenants/t1/reports/r1/files/0").await.unwrap(),
        None
    );
    // Only that report's prefix went.
    assert!(
        blobs
            .get("tenants/t1/reports/r10/report.json")
            .await
            .unwrap()
            .is_some()
    );
    assert!(blobs.delete_prefix("").await.is_err());
}

fn moto_endpoint(aws: &AwsAdapters) -> &str {
    aws.config.endpoint_url.as_deref().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_are_versioned_and_tenant_scoped() {
    let (_moto, aws) = adapters("records").await;
    let store = &aws.store;
    let mut rec = record("t1", "r1", "2026-01-01T00:00:00.000Z", Some("p1"), "h1");
    store.create(&rec).await.unwrap();
    assert!(matches!(
        store.create(&rec).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(store.get("t1", "r1").await.unwrap(), Some(rec.clone()));
    assert_eq!(store.get("t2", "r1").await.unwrap(), None);

    rec.status = Status::Processing;
    rec.version = 2;
    store.update(&rec, 1).await.unwrap();
    // A stale writer loses.
    let mut stale = rec.clone();
    stale.status = Status::Failed;
    stale.version = 2;
    assert!(matches!(
        store.update(&stale, 1).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(
        store.get("t1", "r1").await.unwrap().unwrap().status,
        Status::Processing
    );
    // Updating a record that does not exist is a conflict, not an upsert.
    let ghost = record("t1", "ghost", "2026-01-01T00:00:00.000Z", None, "");
    assert!(matches!(
        store.update(&ghost, 0).await,
        Err(StoreError::Conflict)
    ));

    let attempt = DeliveryAttempt {
        event_id: "evt_1".into(),
        attempt: 1,
        at: "2026-01-01T00:00:05.000Z".into(),
        status_code: Some(500),
        duration_ms: 12,
        error: None,
        response: Some("oops".into()),
    };
    let second = DeliveryAttempt {
        attempt: 2,
        at: "2026-01-01T00:00:35.000Z".into(),
        status_code: Some(200),
        ..attempt.clone()
    };
    store
        .append_delivery_attempt("t1", "r1", &second)
        .await
        .unwrap();
    store
        .append_delivery_attempt("t1", "r1", &attempt)
        .await
        .unwrap();
    assert_eq!(
        store.list_delivery_attempts("t1", "r1").await.unwrap(),
        vec![attempt.clone(), second.clone()]
    );
    assert!(
        store
            .list_delivery_attempts("t2", "r1")
            .await
            .unwrap()
            .is_empty()
    );

    store.delete("t1", "r1").await.unwrap();
    assert_eq!(store.get("t1", "r1").await.unwrap(), None);
    assert!(
        store
            .list_delivery_attempts("t1", "r1")
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_pages_newest_first_with_filters_and_duplicates() {
    let (_moto, aws) = adapters("listing").await;
    let store = &aws.store;
    for i in 0..7 {
        let reference = if i % 2 == 0 {
            Some("even")
        } else {
            Some("odd")
        };
        let mut rec = record(
            "t1",
            &format!("r{i}"),
            &format!("2026-01-0{}T00:00:00.000Z", i + 1),
            reference,
            &format!("h{}", i % 3),
        );
        if i == 3 {
            rec.status = Status::Completed;
        }
        store.create(&rec).await.unwrap();
    }
    store
        .create(&record(
            "t2",
            "other",
            "2026-01-05T00:00:00.000Z",
            Some("even"),
            "h0",
        ))
        .await
        .unwrap();

    // All of t1, newest first, in pages of 3.
    let mut ids = Vec::new();
    let mut filter = ListFilter {
        limit: 3,
        ..Default::default()
    };
    loop {
        let page = store.list("t1", &filter).await.unwrap();
        assert!(page.records.len() <= 3);
        ids.extend(page.records.iter().map(|r| r.id.clone()));
        match page.next_cursor {
            Some(cursor) => filter.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(ids, ["r6", "r5", "r4", "r3", "r2", "r1", "r0"]);

    let even = store
        .list(
            "t1",
            &ListFilter {
                reference_id: Some("even".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let even: Vec<_> = even.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(even, ["r6", "r4", "r2", "r0"]);

    let window = store
        .list(
            "t1",
            &ListFilter {
                from: Some("2026-01-02T00:00:00.000Z".into()),
                to: Some("2026-01-04T00:00:00.000Z".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let window: Vec<_> = window.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(window, ["r3", "r2", "r1"]);

    let done = store
        .list(
            "t1",
            &ListFilter {
                status: Some(Status::Completed),
                limit: 2,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        done.records
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        ["r3"]
    );

    for bad in ["zz", "eyJub3QiOiJhIGtleSJ9"] {
        let err = store
            .list(
                "t1",
                &ListFilter {
                    cursor: Some(bad.into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::InvalidCursor), "{bad}: {err:?}");
    }

    // Duplicates: the oldest other report with the same hash, never another tenant's.
    assert_eq!(
        store
            .find_by_content_hash("t1", "h0", "r6")
            .await
            .unwrap()
            .as_deref(),
        Some("r0")
    );
    assert_eq!(
        store
            .find_by_content_hash("t1", "h0", "r0")
            .await
            .unwrap()
            .as_deref(),
        Some("r3")
    );
    assert_eq!(
        store.find_by_content_hash("t2", "h1", "x").await.unwrap(),
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_endpoints_and_idempotency() {
    let (_moto, aws) = adapters("keys").await;
    let store = &aws.store;
    store.put_api_key_hash("abc123", "t1").await.unwrap();
    assert_eq!(
        store
            .tenant_for_api_key_hash("abc123")
            .await
            .unwrap()
            .as_deref(),
        Some("t1")
    );
    assert_eq!(store.tenant_for_api_key_hash("nope").await.unwrap(), None);

    let endpoint = WebhookEndpoint {
        tenant: "t1".into(),
        url: "https://example.com/hook".into(),
        event_types: vec!["lab_report.completed".into()],
        secrets: vec!["whsec_2".into(), "whsec_1".into()],
        authorization: None,
        disabled: false,
        updated_at: "2026-01-01T00:00:00.000Z".into(),
        format: PayloadFormat::LabReportRecord,
        previous_secret_expires_at: Some("2026-01-02T00:00:00.000Z".into()),
    };
    store.put_endpoint(&endpoint).await.unwrap();
    assert_eq!(store.get_endpoint("t1").await.unwrap(), Some(endpoint));
    assert_eq!(store.get_endpoint("t2").await.unwrap(), None);
    store.delete_endpoint("t1").await.unwrap();
    assert_eq!(store.get_endpoint("t1").await.unwrap(), None);

    let far = 4_000_000_000;
    let response = IdempotentResponse {
        tenant: "t1".into(),
        key: "k1".into(),
        request_hash: "rh".into(),
        status: 202,
        headers: vec![("location".into(), "/v1/lab-reports/r1".into())],
        body: "{}".into(),
        expires_at: far,
    };
    store.put_idempotent(&response).await.unwrap();
    assert!(matches!(
        store.put_idempotent(&response).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(
        store.get_idempotent("t1", "k1").await.unwrap(),
        Some(response.clone())
    );
    assert_eq!(store.get_idempotent("t2", "k1").await.unwrap(), None);
    // An expired key reads as absent and may be taken again.
    let old = IdempotentResponse {
        key: "k2".into(),
        expires_at: 1,
        ..response.clone()
    };
    store.put_idempotent(&old).await.unwrap();
    assert_eq!(store.get_idempotent("t1", "k2").await.unwrap(), None);
    store
        .put_idempotent(&IdempotentResponse {
            expires_at: far,
            ..old
        })
        .await
        .unwrap();
    // A reservation gets its final answer, or is freed when its request failed.
    let answered = IdempotentResponse {
        status: 202,
        body: "{\"id\":\"r9\"}".into(),
        ..response.clone()
    };
    store.replace_idempotent(&answered).await.unwrap();
    assert_eq!(
        store.get_idempotent("t1", "k1").await.unwrap(),
        Some(answered)
    );
    store.delete_idempotent("t1", "k1").await.unwrap();
    assert_eq!(store.get_idempotent("t1", "k1").await.unwrap(), None);
    store.put_idempotent(&response).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queues_send_receive_delay_and_delete() {
    let (_moto, aws) = adapters("queues").await;
    let queue = &aws.queue;
    assert!(
        queue.url(QueueName::Extract).ends_with("/queues-extract"),
        "{}",
        queue.url(QueueName::Extract)
    );
    let job = Job {
        tenant: "t1".into(),
        report_id: "r1".into(),
        run: 1,
        ..Default::default()
    };
    queue
        .send(QueueName::Standardize, &job, Duration::ZERO)
        .await
        .unwrap();
    // Delays beyond SQS's 15 minutes are capped, not rejected.
    queue
        .send(QueueName::Deliver, &job, Duration::from_secs(3600))
        .await
        .unwrap();

    let got = queue
        .receive(QueueName::Standardize, 10, Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(serde_json::from_str::<Job>(&got[0].body).unwrap(), job);
    assert_eq!(got[0].receive_count, 1);
    queue
        .delete(QueueName::Standardize, &got[0].receipt_handle)
        .await
        .unwrap();
    // Only the bucket's notification test event (sent when provisioning set it up) is there.
    assert!(
        queue
            .receive(QueueName::Extract, 10, Duration::ZERO)
            .await
            .unwrap()
            .iter()
            .all(|m| m.body.contains("s3:TestEvent"))
    );
    assert!(
        queue
            .receive(QueueName::Deliver, 10, Duration::ZERO)
            .await
            .unwrap()
            .is_empty(),
        "delayed"
    );
    assert_eq!(
        queue.approximate_depth(QueueName::Deliver).await.unwrap(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_progress_finds_the_records_waiting_between_steps_of_every_tenant() {
    let (_moto, aws) = adapters("inprogress").await;
    let store = &aws.store;
    let statuses = [
        ("r-received", "t1", Status::Received),
        ("r-queued", "t2", Status::Queued),
        ("r-processing", "t1", Status::Processing),
        ("r-processed", "t2", Status::Processed),
        ("r-standardized", "t1", Status::Standardized),
        ("r-completed", "t2", Status::Completed),
        ("r-failed", "t1", Status::Failed),
    ];
    for (id, tenant, status) in statuses {
        let mut r = record(tenant, id, "2026-01-01T00:00:00Z", None, id);
        r.status = status;
        store.create(&r).await.unwrap();
    }
    // Other items of the table (an endpoint, an attempt) are no records.
    store
        .append_delivery_attempt(
            "t1",
            "r-standardized",
            &DeliveryAttempt {
                event_id: "evt_1".into(),
                attempt: 1,
                at: "2026-01-01T00:00:01Z".into(),
                status_code: Some(500),
                duration_ms: 3,
                error: None,
                response: None,
            },
        )
        .await
        .unwrap();
    let mut found: Vec<String> = store
        .in_progress(100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    found.sort();
    assert_eq!(
        found,
        ["r-processed", "r-queued", "r-received", "r-standardized"]
    );
    assert_eq!(
        store.in_progress(2).await.unwrap().len(),
        2,
        "the limit holds"
    );
}
