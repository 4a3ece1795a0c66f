//! The deliver function's batch against slow webhook receivers, on moto: the batch's webhooks go
//! out at once (`BatchLimits::for_queue`), and the batch answers by its invocation deadline with
//! the unfinished messages as batch item failures, instead of timing out as a whole (a timed-out
//! invocation answers nothing, so every message of it would spend a receive and, after five,
//! reach the dead-letter queue without the give-up step ever running).

mod aws_support;

use aws_support::receiver::Receiver;
use aws_support::{call, moto_stack, sample_pdf, upload_pdf_json};
use labrador_aws::lambda::{DEADLINE_RESERVE, DELIVER_CONCURRENCY, poll_once, run_job};
use labrador_devkit::MotoServer;
use labrador_domain::ports::QueueName;
use std::time::Duration;
use tokio::time::Instant;

const API_KEY: &str = "lab_deliver_batch_key";
/// Each webhook takes this long to be answered.
const RECEIVER_DELAY: Duration = Duration::from_secs(3);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_slow_receivers_answers_by_its_deadline_with_the_unfinished_messages() {
    let moto = MotoServer::start().expect("moto_server must be installed (infra/setup.sh)");
    let aws = aws_support::provisioned(&moto, "deliverbatch").await;
    let (steps, api) = moto_stack(&aws, API_KEY, "acme").await;
    let receiver = Receiver::start_slow(RECEIVER_DELAY).await;
    aws_support::create_endpoint(&api, API_KEY, &receiver.url).await;

    // Two more reports than the deliver function sends at once: one full wave and part of a
    // second, which cannot finish before two receiver delays.
    let reports = DELIVER_CONCURRENCY + 2;
    let pdf = sample_pdf();
    for n in 0..reports {
        // Distinct files: a second upload of the same file is rejected as a duplicate.
        upload_pdf_json(
            &api,
            API_KEY,
            &labrador_devkit::pdf::variant(&pdf, n as u64),
        )
        .await;
    }
    let ready_by = Instant::now() + Duration::from_secs(120);
    while aws
        .queue
        .approximate_depth(QueueName::Deliver)
        .await
        .unwrap()
        < reports as u64
    {
        assert!(
            Instant::now() < ready_by,
            "the reports did not reach delivery"
        );
        for queue in [QueueName::Extract, QueueName::Standardize] {
            let worker = steps.worker(queue);
            let handler = |job, receives| run_job(worker, &aws.queue, job, receives);
            poll_once(&aws.queue, queue, Duration::ZERO, &handler, None)
                .await
                .unwrap();
        }
    }

    // An invocation whose deadline leaves room for one wave (RECEIVER_DELAY plus the moto
    // calls around each webhook) but not for two.
    let worker = steps.worker(QueueName::Deliver);
    let handler = |job, receives| run_job(worker, &aws.queue, job, receives);
    let room = RECEIVER_DELAY * 3 / 2;
    let started = Instant::now();
    let deadline = started + DEADLINE_RESERVE + room;
    let handled = poll_once(
        &aws.queue,
        QueueName::Deliver,
        Duration::from_secs(1),
        &handler,
        Some(deadline),
    )
    .await
    .unwrap();
    let took = started.elapsed();
    assert_eq!(handled, reports, "one receive hands out the whole batch");
    // It answered at its deadline (and acknowledged the finished messages), without waiting for
    // the second wave, which cannot end before two receiver delays.
    assert!(
        took < RECEIVER_DELAY * 2,
        "the batch answered by its deadline: took {took:?}, room {room:?}"
    );
    // One after the other, only one webhook would have been answered in that time.
    assert!(room < RECEIVER_DELAY * 2);

    // Every webhook went out; the first wave was answered and acknowledged, the two still
    // waiting on the receiver at the deadline stay on the queue for another receive.
    assert_eq!(receiver.received().len(), reports);
    assert_eq!(
        aws.queue
            .approximate_depth(QueueName::Deliver)
            .await
            .unwrap(),
        2,
        "the unfinished messages are not acknowledged"
    );
    // Nothing was given up: every report is completed, none failed or dead-lettered.
    let (status, _, list) = call(&api, "GET", "/v1/lab-reports?limit=50", API_KEY, None).await;
    assert_eq!(status, 200, "{list}");
    let items = list["data"].as_array().expect("a list of reports");
    assert_eq!(items.len(), reports, "{list}");
    for item in items {
        assert_ne!(item["status"], "failed", "{item}");
    }
}
