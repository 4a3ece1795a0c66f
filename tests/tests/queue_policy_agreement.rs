//! The retry policy's numbers have one source (`labrador_domain::services::QueuePolicy`); the SAM
//! template must agree with it: its `MaxReceiveCount` default, every work queue's redrive policy
//! and the functions' `LABRADOR_MAX_RECEIVES`, and a dead-letter queue URL for each work queue.

use labrador_domain::services::{MAX_RECEIVES, QueuePolicy};
use serde_yaml::Value;

fn template() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../template.yaml");
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `!Ref Name` as serde_yaml reads a tagged scalar.
fn is_ref(value: &Value, name: &str) -> bool {
    match value {
        Value::Tagged(tagged) => tagged.tag == "!Ref" && tagged.value.as_str() == Some(name),
        _ => false,
    }
}

#[test]
fn template_receives_match_the_queue_policy() {
    let template = template();
    assert_eq!(QueuePolicy::default().max_receives, MAX_RECEIVES);
    let default = &template["Parameters"]["MaxReceiveCount"]["Default"];
    assert_eq!(default.as_u64(), Some(u64::from(MAX_RECEIVES)));

    let env = &template["Globals"]["Function"]["Environment"]["Variables"];
    assert!(is_ref(&env["LABRADOR_MAX_RECEIVES"], "MaxReceiveCount"));
    for (queue, dlq) in [
        ("ExtractQueue", "ExtractDeadLetterQueue"),
        ("StandardizeQueue", "StandardizeDeadLetterQueue"),
        ("DeliverQueue", "DeliverDeadLetterQueue"),
    ] {
        let redrive = &template["Resources"][queue]["Properties"]["RedrivePolicy"];
        assert!(
            is_ref(&redrive["maxReceiveCount"], "MaxReceiveCount"),
            "{queue}: {redrive:?}"
        );
        let name = format!(
            "LABRADOR_{}_DEAD_LETTER_QUEUE_URL",
            queue.trim_end_matches("Queue").to_uppercase()
        );
        assert!(is_ref(&env[name.as_str()], dlq), "{name}");
    }
}

#[test]
fn deliver_batches_are_as_large_as_the_concurrency_that_sends_them() {
    let template = template();
    let batch = &template["Resources"]["DeliverFunction"]["Properties"]["Events"]["Jobs"]["Properties"]
        ["BatchSize"];
    assert_eq!(
        batch.as_u64(),
        Some(labrador_aws::lambda::DELIVER_CONCURRENCY as u64),
        "a larger batch would wait for its first half; a smaller one wastes the concurrency"
    );
}

/// `labrador serve --aws-endpoint` provisions the queues the template declares: each work queue
/// with a dead-letter queue after the same number of receives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provisioned_queues_match_the_template() {
    use labrador_domain::ports::QueueName;
    let template = template();
    let template_receives = template["Parameters"]["MaxReceiveCount"]["Default"]
        .as_u64()
        .unwrap();
    for queue in ["ExtractQueue", "StandardizeQueue", "DeliverQueue"] {
        let properties = &template["Resources"][queue]["Properties"];
        let target = &properties["RedrivePolicy"]["deadLetterTargetArn"];
        assert!(matches!(target, Value::Tagged(_)), "{queue}: {target:?}");
    }

    let moto = labrador_devkit::MotoServer::start().expect("moto_server (infra/setup.sh)");
    let mut aws = labrador_aws::AwsAdapters::new(labrador_aws::AwsConfig::emulator(
        moto.endpoint(),
        "agreement",
    ))
    .await;
    aws.provision(&QueuePolicy::default()).await.unwrap();
    for queue in [
        QueueName::Extract,
        QueueName::Standardize,
        QueueName::Deliver,
    ] {
        let policy = aws.queue.redrive_policy(queue).await.unwrap();
        assert_eq!(
            u64::from(policy.max_receive_count),
            template_receives,
            "{queue:?}"
        );
        let dead_letters = aws.queue.dead_letter_url(queue).await.unwrap();
        assert_ne!(dead_letters, aws.queue.url(queue), "{queue:?}");
    }
}

/// A step's lease outlives the function that holds it (a Lambda cannot run past its timeout)
/// and ends before its job comes back (the queue's visibility timeout), so the job of a crashed
/// step takes the step over instead of finding it busy until the receives run out. The same
/// holds for the embedded runner's queue.
#[test]
fn leases_fit_between_function_timeouts_and_queue_visibility() {
    let template = template();
    let config = labrador_domain::services::ServiceConfig::default();
    let secs = |value: &Value| std::time::Duration::from_secs(value.as_u64().unwrap());
    for (function, queue, lease) in [
        ("ExtractFunction", "ExtractQueue", config.step_lease),
        ("StandardizeFunction", "StandardizeQueue", config.step_lease),
        ("DeliverFunction", "DeliverQueue", config.delivery_lease),
    ] {
        let timeout = secs(&template["Resources"][function]["Properties"]["Timeout"]);
        let visibility = secs(&template["Resources"][queue]["Properties"]["VisibilityTimeout"]);
        assert!(
            timeout <= lease,
            "{function}: timeout {timeout:?} > lease {lease:?}"
        );
        assert!(
            lease <= visibility,
            "{queue}: lease {lease:?} > visibility {visibility:?}"
        );
    }
}
