//! In-process queue workers: poll the SQLite queue, run the step service, ack / retry /
//! dead-letter. A panic in a step fails that job only.

use crate::queue::SqliteQueue;
use labrador_domain::ports::QueueName;
use labrador_domain::services::Services;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// How long a received job stays hidden (a crashed worker's job comes back after it).
    pub visibility: Duration,
    /// Receives after which a job that keeps failing is dead-lettered.
    pub max_receives: u32,
    /// Idle poll interval (sends wake the workers at once).
    pub poll: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            visibility: Duration::from_secs(300),
            max_receives: 5,
            poll: Duration::from_millis(250),
        }
    }
}

/// Runs one worker on `queue` until `shutdown` turns true.
pub async fn run_worker(
    services: Services,
    queue: SqliteQueue,
    name: QueueName,
    config: WorkerConfig,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        if *shutdown.borrow() {
            return;
        }
        let received = match queue.receive(name, config.visibility).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(?name, "queue receive failed: {e}");
                None
            }
        };
        let Some(rj) = received else {
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(config.poll) => {}
                _ = shutdown.changed() => {}
            }
            continue;
        };
        let s = services.clone();
        let job = rj.job.clone();
        let outcome = tokio::spawn(async move { s.handle_job(name, &job).await }).await;
        let result = match outcome {
            Ok(r) => r,
            Err(e) if e.is_panic() => Err(labrador_domain::services::JobError::Retriable(
                "the step panicked".into(),
            )),
            Err(e) => Err(labrador_domain::services::JobError::Retriable(
                e.to_string(),
            )),
        };
        let settled = match result {
            Ok(()) => queue.ack(&rj).await,
            Err(e) if e.is_retriable() && rj.receives < config.max_receives => {
                let backoff = Duration::from_millis(500 * 2u64.pow(rj.receives.min(7)));
                queue.nack(&rj, backoff, &e.to_string()).await
            }
            Err(e) => {
                tracing::warn!(?name, report = %rj.job.report_id, "job dead-lettered: {e}");
                // The report must not wait forever on a job nobody will run again.
                match services.give_up(name, &rj.job).await {
                    Ok(outcome) => {
                        tracing::warn!(?name, report = %rj.job.report_id, ?outcome, "job given up")
                    }
                    Err(g) => {
                        tracing::warn!(?name, report = %rj.job.report_id, "giving up the job failed: {g}")
                    }
                }
                queue.dead_letter(&rj, &e.to_string()).await
            }
        };
        if let Err(e) = settled {
            tracing::warn!(?name, "queue settle failed: {e}");
        }
    }
}
