//! In-process queue workers: poll the SQLite queue, run the job through its step worker, and
//! carry out its settlement (ack, retry after the policy's backoff, dead-letter).

use crate::queue::SqliteQueue;
use labrador_domain::services::{Settlement, StepWorker};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Idle poll interval (sends wake the workers at once).
    pub poll: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            poll: Duration::from_millis(250),
        }
    }
}

/// How long a received job stays hidden: its step's lease, so the job of a worker that crashed
/// comes back just as its claim runs out and takes the step over. A running job's visibility
/// is renewed every third of it (heartbeat), however long its step takes.
fn job_visibility(worker: &StepWorker) -> Duration {
    worker
        .services
        .config
        .lease_of(worker.queue())
        .max(Duration::from_secs(1))
}

/// Runs `worker` on its queue until `shutdown` turns true.
pub async fn run_worker(
    worker: StepWorker,
    queue: SqliteQueue,
    config: WorkerConfig,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let name = worker.queue();
    let visibility = job_visibility(&worker);
    loop {
        if *shutdown.borrow() {
            return;
        }
        let received = match queue.receive(name, visibility).await {
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
        let settlement = {
            let job = worker.process_job(&rj.job, rj.receives);
            tokio::pin!(job);
            let beat = visibility / 3;
            let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + beat, beat);
            loop {
                tokio::select! {
                    settlement = &mut job => break settlement,
                    _ = heartbeat.tick() => {
                        if let Err(e) = queue.extend_visibility(&rj, visibility).await {
                            tracing::warn!(?name, "queue heartbeat failed: {e}");
                        }
                    }
                }
            }
        };
        let settled = match settlement {
            Settlement::Ack => queue.ack(&rj).await,
            Settlement::Retry { after, reason } => queue.nack(&rj, after, &reason).await,
            Settlement::DeadLetter { reason } => queue.dead_letter(&rj, &reason).await,
        };
        if let Err(e) = settled {
            tracing::warn!(?name, "queue settle failed: {e}");
        }
    }
}
