//! The tenant's webhook endpoint: set, read, delete, and secret rotation.

use super::{ManageError, Services};
use crate::record::WebhookEndpoint;
use crate::webhook::generate_secret;

/// What a client sets on its endpoint (already validated by the caller).
#[derive(Debug, Clone)]
pub struct EndpointSettings {
    pub url: String,
    pub event_types: Vec<String>,
    pub authorization: Option<String>,
}

/// The endpoint as stored, and its signing secret when this call created it (shown once).
#[derive(Debug, Clone)]
pub struct EndpointChange {
    pub endpoint: WebhookEndpoint,
    pub new_secret: Option<String>,
}

impl Services {
    /// Sets the endpoint; it keeps its secrets (a first endpoint gets one) and is enabled.
    pub async fn set_endpoint(
        &self,
        tenant: &str,
        settings: EndpointSettings,
    ) -> Result<EndpointChange, ManageError> {
        let existing = self.store.get_endpoint(tenant).await?;
        let (secrets, new_secret) = match existing {
            Some(e) if !e.secrets.is_empty() => (e.secrets, None),
            _ => {
                let s = generate_secret();
                (vec![s.clone()], Some(s))
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
        };
        self.store.put_endpoint(&endpoint).await?;
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

    /// A new current secret; the previous one keeps signing (as a second signature) until the
    /// next rotation, so receivers can switch without losing events.
    pub async fn rotate_secret(&self, tenant: &str) -> Result<EndpointChange, ManageError> {
        let mut endpoint = self.endpoint(tenant).await?;
        let secret = generate_secret();
        let previous = endpoint.secrets.first().cloned();
        endpoint.secrets = std::iter::once(secret.clone()).chain(previous).collect();
        endpoint.updated_at = self.now_text();
        self.store.put_endpoint(&endpoint).await?;
        Ok(EndpointChange {
            endpoint,
            new_secret: Some(secret),
        })
    }
}
