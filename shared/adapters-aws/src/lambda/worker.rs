//! The step services behind the queue functions: configuration from env, one job per message.

use super::sqs::{Disposition, run_sqs};
use labrador_domain::ports::{Job, QueueName};
use labrador_domain::services::{ServiceConfig, Services};
use std::sync::Arc;
use std::time::Duration;

/// Service settings the template passes in: `LABRADOR_RETENTION_DAYS`, and
/// `LABRADOR_MAX_RECEIVES` (the queue's `maxReceiveCount`).
pub fn service_config_from_env() -> ServiceConfig {
    service_config_from_lookup(|name| std::env::var(name).ok())
}

pub fn service_config_from_lookup(get: impl Fn(&str) -> Option<String>) -> ServiceConfig {
    let mut config = ServiceConfig::default();
    if let Some(days) = get("LABRADOR_RETENTION_DAYS").and_then(|d| d.trim().parse::<u64>().ok()) {
        config.retention = (days > 0).then(|| Duration::from_secs(days * 24 * 3600));
    }
    if let Some(receives) = get("LABRADOR_MAX_RECEIVES").and_then(|r| r.trim().parse::<u32>().ok())
    {
        config.max_receives = receives.max(1);
    }
    config
}

/// Runs one job of `queue` through the services and decides the message's fate: success
/// deletes it; any error leaves it for SQS to retry and, once the receive count is spent, to
/// move to the dead-letter queue. A job that failed for good, or on its last receive, is given
/// up first, so its report ends `failed` instead of waiting forever.
pub async fn run_job(
    services: &Services,
    queue: QueueName,
    job: Job,
    receive_count: u32,
) -> Disposition {
    let Err(err) = services.handle_job(queue, &job).await else {
        return Disposition::Done;
    };
    let last = !err.is_retriable() || receive_count >= services.config.max_receives;
    tracing::warn!(
        tenant = job.tenant,
        report_id = job.report_id,
        ?queue,
        retriable = err.is_retriable(),
        receive_count,
        error = %err,
        "job failed"
    );
    if last {
        match services.give_up(queue, &job).await {
            Ok(outcome) => tracing::error!(
                tenant = job.tenant,
                report_id = job.report_id,
                ?queue,
                ?outcome,
                "job given up"
            ),
            Err(give_up_err) => tracing::error!(
                tenant = job.tenant,
                report_id = job.report_id,
                ?queue,
                error = %give_up_err,
                "giving up the job failed"
            ),
        }
    }
    Disposition::Retry
}

/// The Lambda runtime loop of a queue function.
pub async fn run_queue(services: Services, queue: QueueName) -> Result<(), lambda_runtime::Error> {
    let services = Arc::new(services);
    run_sqs(move |job, receive_count| {
        let services = services.clone();
        async move { run_job(&services, queue, job, receive_count).await }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_days_from_env() {
        let config =
            service_config_from_lookup(|k| (k == "LABRADOR_RETENTION_DAYS").then(|| "7".into()));
        assert_eq!(config.retention, Some(Duration::from_secs(7 * 86400)));
        let zero = service_config_from_lookup(|_| Some("0".into()));
        assert_eq!(zero.retention, None);
        let unset = service_config_from_lookup(|_| None);
        assert_eq!(unset.retention, ServiceConfig::default().retention);
        assert_eq!(unset.max_receives, ServiceConfig::default().max_receives);
        let receives =
            service_config_from_lookup(|k| (k == "LABRADOR_MAX_RECEIVES").then(|| "3".into()));
        assert_eq!(receives.max_receives, 3);
    }
}
