//! The step services behind the queue functions: configuration from env, one job per message.

use super::sqs::{Disposition, run_sqs};
use labrador_domain::ports::{Job, QueueName};
use labrador_domain::services::{ServiceConfig, Services};
use std::sync::Arc;
use std::time::Duration;

/// Service settings the template passes in: `LABRADOR_RETENTION_DAYS`.
pub fn service_config_from_env() -> ServiceConfig {
    service_config_from_lookup(|name| std::env::var(name).ok())
}

pub fn service_config_from_lookup(get: impl Fn(&str) -> Option<String>) -> ServiceConfig {
    let mut config = ServiceConfig::default();
    if let Some(days) = get("LABRADOR_RETENTION_DAYS").and_then(|d| d.trim().parse::<u64>().ok()) {
        config.retention = (days > 0).then(|| Duration::from_secs(days * 24 * 3600));
    }
    config
}

/// Runs one job of `queue` through the services and decides the message's fate: success
/// deletes it; any error leaves it for SQS to retry and, once the receive count is spent, to
/// move to the dead-letter queue.
pub async fn run_job(services: &Services, queue: QueueName, job: Job) -> Disposition {
    match services.handle_job(queue, &job).await {
        Ok(()) => Disposition::Done,
        Err(err) => {
            tracing::warn!(
                tenant = job.tenant,
                report_id = job.report_id,
                ?queue,
                retriable = err.is_retriable(),
                error = %err,
                "job failed"
            );
            Disposition::Retry
        }
    }
}

/// The Lambda runtime loop of a queue function.
pub async fn run_queue(services: Services, queue: QueueName) -> Result<(), lambda_runtime::Error> {
    let services = Arc::new(services);
    run_sqs(move |job| {
        let services = services.clone();
        async move { run_job(&services, queue, job).await }
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
    }
}
