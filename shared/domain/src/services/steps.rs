//! What each queue's worker runs: a step and the capability it needs (the extract step its
//! engine, the deliver step its webhook sender, the standardize step nothing more), over one
//! set of [`Services`]. Each Lambda builds the one worker of its queue; the embedded runner,
//! `labrador serve --aws-endpoint` and the tests build a [`Pipeline`] of all three.

use super::{JobError, ReportEngine, Services};
use crate::ports::{Job, QueueName, WebhookSender};
use std::sync::Arc;

/// A step of the pipeline with what it needs to run.
#[derive(Clone)]
pub enum QueueStep {
    Extract(Arc<dyn ReportEngine>),
    Standardize,
    Deliver(Arc<dyn WebhookSender>),
}

impl QueueStep {
    /// The queue whose messages this step runs.
    pub fn queue(&self) -> QueueName {
        match self {
            QueueStep::Extract(_) => QueueName::Extract,
            QueueStep::Standardize => QueueName::Standardize,
            QueueStep::Deliver(_) => QueueName::Deliver,
        }
    }
}

/// The worker of one queue.
#[derive(Clone)]
pub struct StepWorker {
    pub services: Services,
    pub step: QueueStep,
}

impl StepWorker {
    pub fn new(services: Services, step: QueueStep) -> Self {
        StepWorker { services, step }
    }

    pub fn queue(&self) -> QueueName {
        self.step.queue()
    }

    /// Runs one message of this worker's queue (settled by [`StepWorker::process_job`]).
    pub async fn handle_job(&self, job: &Job) -> Result<(), JobError> {
        let services = &self.services;
        let queue = self.queue();
        if let Some(nb) = job.not_before.as_deref()
            && let Ok(at) = chrono::DateTime::parse_from_rfc3339(nb)
        {
            let now = services.clock.now();
            let at = at.with_timezone(&chrono::Utc);
            if at > now {
                // A delay longer than the queue allows: send it on for the rest of the wait.
                let wait = (at - now).to_std().unwrap_or_default();
                services
                    .queue
                    .send(queue, job, wait.min(services.config.max_queue_delay))
                    .await?;
                return Ok(());
            }
        }
        match &self.step {
            QueueStep::Extract(_) if job.upload_arrived => {
                services
                    .complete_presigned_upload(&job.tenant, &job.report_id)
                    .await
            }
            QueueStep::Extract(engine) => services.run_extract(job, engine.clone()).await,
            QueueStep::Standardize => services.run_standardize(job).await,
            QueueStep::Deliver(sender) => services.run_deliver(job, sender.as_ref()).await,
        }
    }
}

/// The three workers over one set of services.
#[derive(Clone)]
pub struct Pipeline {
    pub extract: StepWorker,
    pub standardize: StepWorker,
    pub deliver: StepWorker,
}

impl Pipeline {
    pub fn new(
        services: Services,
        engine: Arc<dyn ReportEngine>,
        sender: Arc<dyn WebhookSender>,
    ) -> Self {
        Pipeline {
            extract: StepWorker::new(services.clone(), QueueStep::Extract(engine)),
            standardize: StepWorker::new(services.clone(), QueueStep::Standardize),
            deliver: StepWorker::new(services, QueueStep::Deliver(sender)),
        }
    }

    /// The worker of `queue`.
    pub fn worker(&self, queue: QueueName) -> &StepWorker {
        match queue {
            QueueName::Extract => &self.extract,
            QueueName::Standardize => &self.standardize,
            QueueName::Deliver => &self.deliver,
        }
    }

    pub fn workers(&self) -> [&StepWorker; 3] {
        [&self.extract, &self.standardize, &self.deliver]
    }

    /// The services the workers share.
    pub fn services(&self) -> &Services {
        &self.extract.services
    }
}
