//! The fate of a queue message, decided in one place for every queue backend: a job that
//! succeeded is acknowledged, a retriable failure comes back after a backoff, an outage of
//! storage or a queue is waited out with backoff without spending receives (the job is sent
//! again and the message acknowledged), and a job that failed for good or on its last receive is
//! given up (its report ends `failed`) and its message dead-lettered. The SQS Lambdas, the SQS pollers of `labrador serve --aws-endpoint` and the
//! embedded workers all run [`StepWorker::process_job`] and only carry out its answer.

use super::{JobError, StepWorker};
use crate::ports::Job;
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::time::Duration;
use tracing::Instrument;

/// Receives of a message before its job is given up; the SAM template's `MaxReceiveCount`
/// default and the emulator's redrive policy are this number (a test holds them to it).
pub const MAX_RECEIVES: u32 = 5;

/// The queue side of the retry policy. One value, passed to every worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuePolicy {
    /// Receives after which a failing job is given up (SQS: the queue's `maxReceiveCount`).
    pub max_receives: u32,
    /// Backoff after the first failed receive; doubled after each further one.
    pub retry_base: Duration,
    /// Upper bound of the backoff.
    pub retry_cap: Duration,
    /// Times a job is sent again over an outage (`JobError::Unavailable`) without spending a
    /// receive; after that an outage counts like any retriable failure.
    pub outage_retries: u32,
}

impl Default for QueuePolicy {
    fn default() -> Self {
        QueuePolicy {
            max_receives: MAX_RECEIVES,
            retry_base: Duration::from_secs(10),
            retry_cap: Duration::from_secs(15 * 60),
            // With the 15-minute cap: an outage of about ten hours is waited out.
            outage_retries: 48,
        }
    }
}

impl QueuePolicy {
    /// The wait before the receive after `receives` failed ones: base × 2^(receives−1), capped.
    pub fn backoff(&self, receives: u32) -> Duration {
        let doublings = receives.saturating_sub(1).min(20);
        self.retry_base
            .saturating_mul(1u32 << doublings)
            .min(self.retry_cap)
    }
}

/// What the policy says about a job's outcome, before anything is done about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Ack,
    Retry {
        after: Duration,
    },
    /// Send the job again after `after` and acknowledge this message: its receives are kept.
    Requeue {
        after: Duration,
    },
    GiveUp,
}

/// The shortest wait for a busy step, so a lease about to end is not polled in a tight loop.
const MIN_BUSY_WAIT: Duration = Duration::from_secs(1);

/// The pure decision: `receives` counts this receive (1 on the first delivery), `outages` the
/// times the job was already sent again over an outage.
pub fn settle(
    outcome: &Result<(), JobError>,
    receives: u32,
    outages: u32,
    policy: &QueuePolicy,
) -> Decision {
    match outcome {
        Ok(()) | Err(JobError::ReportDeleted) => Decision::Ack,
        Err(JobError::Unavailable(_)) if outages < policy.outage_retries => Decision::Requeue {
            after: policy.backoff(outages + 1),
        },
        // The lease runs out, and the step is then taken over: waiting is always right.
        Err(JobError::Busy(left)) => Decision::Retry {
            after: (*left).max(MIN_BUSY_WAIT),
        },
        Err(err) if err.is_retriable() && receives < policy.max_receives => Decision::Retry {
            after: policy.backoff(receives),
        },
        Err(_) => Decision::GiveUp,
    }
}

/// What the queue adapter must do with the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// Delete it: the job is done (or there is nothing left to do).
    Ack,
    /// Make it visible again after `after` (SQS: the queue's visibility timeout).
    Retry { after: Duration, reason: String },
    /// The report was given up; keep the message as a dead letter for the operator's redrive.
    DeadLetter { reason: String },
}

impl StepWorker {
    /// Runs a received job, contains a panic in it, and settles the message by the queue policy.
    /// A give-up that cannot be written is retried like any transient failure, so a report
    /// never stays `processing` because its failure could not be recorded. Everything it logs
    /// is in a `job` span that carries the report's `request_id` once the step read the record.
    pub async fn process_job(&self, job: &Job, receives: u32) -> Settlement {
        let span = tracing::info_span!(
            "job",
            tenant = %job.tenant,
            report_id = %job.report_id,
            queue = ?self.queue(),
            request_id = tracing::field::Empty,
        );
        self.settle_job(job, receives).instrument(span).await
    }

    async fn settle_job(&self, job: &Job, receives: u32) -> Settlement {
        let queue = self.queue();
        // Boxed: the step futures are deep, and every queue main would otherwise nest them again.
        let outcome = AssertUnwindSafe(Box::pin(self.handle_job(job)))
            .catch_unwind()
            .await
            .unwrap_or_else(|_| Err(JobError::Retriable("the step panicked".into())));
        if let Err(err) = outcome.as_ref()
            && !matches!(err, JobError::ReportDeleted)
        {
            tracing::warn!(
                tenant = job.tenant,
                report_id = job.report_id,
                ?queue,
                receives,
                retriable = err.is_retriable(),
                error = %err,
                "job failed"
            );
        }
        let policy = &self.services.config.queue;
        let reason = || {
            outcome
                .as_ref()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        match settle(&outcome, receives, job.outages, policy) {
            Decision::Ack => {
                tracing::info!(receives, "job done");
                Settlement::Ack
            }
            Decision::Retry { after } => Settlement::Retry {
                after,
                reason: reason(),
            },
            Decision::Requeue { after } => {
                let again = Job {
                    outages: job.outages + 1,
                    ..job.clone()
                };
                let delay = after.min(self.services.config.max_queue_delay);
                match self.services.queue.send(queue, &again, delay).await {
                    Ok(()) => Settlement::Ack,
                    // The queue is down too: the message itself comes back (a receive spent).
                    Err(err) => Settlement::Retry {
                        after,
                        reason: format!("{}; sending it again failed: {err}", reason()),
                    },
                }
            }
            Decision::GiveUp => match self.services.give_up(queue, job).await {
                // Deleted meanwhile (its files vanished under the step): nothing to give up.
                Err(JobError::ReportDeleted) => Settlement::Ack,
                Ok(gave_up) => {
                    tracing::error!(
                        tenant = job.tenant,
                        report_id = job.report_id,
                        ?queue,
                        ?gave_up,
                        "job given up"
                    );
                    Settlement::DeadLetter { reason: reason() }
                }
                Err(err) => {
                    tracing::error!(
                        tenant = job.tenant,
                        report_id = job.report_id,
                        ?queue,
                        error = %err,
                        "giving up the job failed; retrying"
                    );
                    Settlement::Retry {
                        after: policy.backoff(receives),
                        reason: format!("giving up failed: {err}"),
                    }
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retriable() -> Result<(), JobError> {
        Err(JobError::Retriable("busy".into()))
    }

    #[test]
    fn success_is_acknowledged_on_any_receive() {
        let policy = QueuePolicy::default();
        assert_eq!(settle(&Ok(()), 1, 0, &policy), Decision::Ack);
        assert_eq!(settle(&Ok(()), 99, 0, &policy), Decision::Ack);
    }

    #[test]
    fn retriable_failures_back_off_until_the_last_receive() {
        let policy = QueuePolicy::default();
        let delays: Vec<Decision> = (1..policy.max_receives)
            .map(|n| settle(&retriable(), n, 0, &policy))
            .collect();
        let s = Duration::from_secs;
        assert_eq!(
            delays,
            [s(10), s(20), s(40), s(80)].map(|after| Decision::Retry { after })
        );
        assert_eq!(
            settle(&retriable(), policy.max_receives, 0, &policy),
            Decision::GiveUp
        );
    }

    #[test]
    fn a_busy_step_waits_out_its_lease_on_any_receive() {
        let policy = QueuePolicy::default();
        let busy = |secs| Err(JobError::Busy(Duration::from_secs(secs)));
        for receives in [1, policy.max_receives, policy.max_receives + 10] {
            assert_eq!(
                settle(&busy(240), receives, 0, &policy),
                Decision::Retry {
                    after: Duration::from_secs(240)
                },
                "receive {receives}"
            );
        }
        assert_eq!(
            settle(&Err(JobError::Busy(Duration::ZERO)), 1, 0, &policy),
            Decision::Retry {
                after: MIN_BUSY_WAIT
            }
        );
    }

    #[test]
    fn a_deleted_report_ends_its_job() {
        let policy = QueuePolicy::default();
        let deleted = Err(JobError::ReportDeleted);
        assert_eq!(settle(&deleted, 1, 0, &policy), Decision::Ack);
        assert_eq!(
            settle(&deleted, policy.max_receives, 0, &policy),
            Decision::Ack
        );
    }

    #[test]
    fn permanent_failures_are_given_up_at_once() {
        let policy = QueuePolicy::default();
        let permanent = Err(JobError::Permanent("file missing".into()));
        assert_eq!(settle(&permanent, 1, 0, &policy), Decision::GiveUp);
    }

    #[test]
    fn outages_are_waited_out_without_spending_receives_then_count_as_failures() {
        let policy = QueuePolicy::default();
        let outage = Err(JobError::Unavailable("disk full".into()));
        // On the last receive, too: an outage is no reason to give up while it lasts.
        assert_eq!(
            settle(&outage, policy.max_receives, 0, &policy),
            Decision::Requeue {
                after: policy.retry_base
            }
        );
        assert_eq!(
            settle(&outage, 1, 3, &policy),
            Decision::Requeue {
                after: policy.backoff(4)
            }
        );
        let spent = policy.outage_retries;
        assert_eq!(
            settle(&outage, 1, spent, &policy),
            Decision::Retry {
                after: policy.backoff(1)
            }
        );
        assert_eq!(
            settle(&outage, policy.max_receives, spent, &policy),
            Decision::GiveUp
        );
    }

    #[test]
    fn backoff_is_capped() {
        let policy = QueuePolicy::default();
        assert_eq!(policy.backoff(30), policy.retry_cap);
        assert_eq!(policy.backoff(u32::MAX), policy.retry_cap);
    }
}
