//! Resuming the deliveries that waited while the tenant's webhook endpoint was disabled.

use super::{ManageError, Services};
use crate::ports::{Job, ListFilter, QueueName};
use crate::record::{DeliveryPhase, WebhookEndpoint};
use std::time::Duration;

impl Services {
    /// Queues the next attempt of every pending delivery of the endpoint's tenant that the
    /// endpoint wants; the number queued. A delivery whose retry is already queued gets a
    /// second job for the same attempt, which the attempt's claim makes a no-op.
    pub(crate) async fn resume_pending_deliveries(
        &self,
        endpoint: &WebhookEndpoint,
    ) -> Result<usize, ManageError> {
        let tenant = endpoint.tenant.as_str();
        let mut filter = ListFilter {
            limit: 100,
            ..ListFilter::default()
        };
        let mut resumed = 0;
        loop {
            let page = self.store.list(tenant, &filter).await?;
            for record in &page.records {
                let Some(d) = record.delivery.as_ref() else {
                    continue;
                };
                let wanted = endpoint.event_types.is_empty()
                    || endpoint.event_types.iter().any(|t| t == &d.event_type);
                if d.phase != DeliveryPhase::Pending || !wanted {
                    continue;
                }
                let job = Job {
                    tenant: tenant.to_string(),
                    report_id: record.id.clone(),
                    run: record.run,
                    event_id: Some(d.event_id.clone()),
                    attempt: d.attempts + 1,
                    ..Job::default()
                };
                self.queue
                    .send(QueueName::Deliver, &job, Duration::ZERO)
                    .await?;
                resumed += 1;
            }
            match page.next_cursor {
                Some(next) => filter.cursor = Some(next),
                None => return Ok(resumed),
            }
        }
    }
}
