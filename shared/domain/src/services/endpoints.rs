//! The tenant's webhook endpoint: set, read, delete, and secret rotation. Enabling a disabled
//! endpoint resumes the deliveries that waited for it.

use super::{ManageError, Services};
use crate::record::{PayloadFormat, WebhookEndpoint};
use crate::webhook::generate_secret;

/// What a client sets on its endpoint (already validated by the caller).
#[derive(Debug, Clone)]
pub struct EndpointSettings {
    pub url: String,
    pub event_types: Vec<String>,
    pub authorization: Option<String>,
    pub format: PayloadFormat,
}

/// The endpoint as stored, and its signing secret when this call created it (shown once).
#[derive(Debug, Clone)]
pub struct EndpointChange {
    pub endpoint: WebhookEndpoint,
    pub new_secret: Option<String>,
}

impl Services {
    /// Sets the endpoint; it keeps its secrets and their overlap (a first endpoint gets one)
    /// and is enabled. When it was disabled, the deliveries that waited for it are queued again.
    pub async fn set_endpoint(
        &self,
        tenant: &str,
        settings: EndpointSettings,
    ) -> Result<EndpointChange, ManageError> {
        let existing = self.store.get_endpoint(tenant).await?;
        let was_disabled = existing.as_ref().is_some_and(|e| e.disabled);
        let (secrets, previous_secret_expires_at, new_secret) = match existing {
            Some(e) if !e.secrets.is_empty() => (e.secrets, e.previous_secret_expires_at, None),
            _ => {
                let s = generate_secret();
                (vec![s.clone()], None, Some(s))
            }
        };
        let endpoint = WebhookEndpoint {
            tenant: tenant.to_string(),
            url: settings.url,
            event_types: settings.event_types,
            secrets,
            authorization: settings.authorization,
            disabled: false,
            updated_at: self.now_text(),
            format: settings.format,
            previous_secret_expires_at,
        };
        self.store.put_endpoint(&endpoint).await?;
        if was_disabled {
            let resumed = self.resume_pending_deliveries(&endpoint).await?;
            tracing::info!(
                tenant,
                resumed,
                "endpoint enabled again; pending deliveries queued"
            );
        }
        Ok(EndpointChange {
            endpoint,
            new_secret,
        })
    }

    pub async fn endpoint(&self, tenant: &str) -> Result<WebhookEndpoint, ManageError> {
        self.store
            .get_endpoint(tenant)
            .await?
            .ok_or(ManageError::NotFound)
    }

    pub async fn delete_endpoint(&self, tenant: &str) -> Result<(), ManageError> {
        self.endpoint(tenant).await?;
        Ok(self.store.delete_endpoint(tenant).await?)
    }

    /// A new current secret. For [`ServiceConfig::secret_overlap`](super::ServiceConfig) the
    /// previous one keeps signing: alone in `x-body-signature` (a receiver that checks one hex
    /// signature still holds it), beside the new one in `webhook-signature`.
    pub async fn rotate_secret(&self, tenant: &str) -> Result<EndpointChange, ManageError> {
        let mut endpoint = self.endpoint(tenant).await?;
        let secret = generate_secret();
        let previous = endpoint.secrets.first().cloned();
        endpoint.secrets = std::iter::once(secret.clone()).chain(previous).collect();
        let overlap = chrono::Duration::from_std(self.config.secret_overlap).unwrap_or_default();
        endpoint.previous_secret_expires_at =
            Some((self.clock.now() + overlap).to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        endpoint.updated_at = self.now_text();
        self.store.put_endpoint(&endpoint).await?;
        Ok(EndpointChange {
            endpoint,
            new_secret: Some(secret),
        })
    }
}
