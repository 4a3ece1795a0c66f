//! The tenant's webhook endpoint: PUT/GET/DELETE /v1/webhook-endpoint, POST …/rotate-secret.

use crate::Api;
use crate::problem::{Problem, json_response};
use bytes::Bytes;
use http::{Request, Response};
use labrador_domain::record::WebhookEndpoint;
use labrador_domain::webhook::{EventType, generate_secret};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EndpointBody {
    url: String,
    #[serde(default)]
    event_types: Vec<String>,
    #[serde(default)]
    authorization: Option<String>,
}

fn view(e: &WebhookEndpoint) -> serde_json::Value {
    json!({
        "url": e.url,
        "event_types": e.event_types,
        "has_authorization": e.authorization.is_some(),
        "disabled": e.disabled,
        "updated_at": e.updated_at,
    })
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Api {
    pub(crate) async fn put_endpoint(
        &self,
        tenant: &str,
        req: &Request<Bytes>,
    ) -> Result<Response<Bytes>, Problem> {
        let body: EndpointBody = serde_json::from_slice(req.body()).map_err(|e| {
            Problem::bad_request(
                "invalid_json",
                format!("expected {{url, event_types?, authorization?}}: {e}"),
            )
        })?;
        if body.url.len() > 2048 {
            return Err(Problem::bad_request("invalid_url", "the URL is too long"));
        }
        labrador_domain::webhook_url::check_url(&body.url, self.config.webhook_guard)
            .await
            .map_err(|e| Problem::new(422, "invalid_url", "Webhook URL not allowed", e.0))?;
        if let Some(bad) = body
            .event_types
            .iter()
            .find(|t| EventType::parse(t).is_none())
        {
            return Err(Problem::bad_request(
                "invalid_event_type",
                format!("unknown event type {bad:?}"),
            ));
        }
        if body
            .authorization
            .as_deref()
            .is_some_and(|a| a.len() > 1024 || a.chars().any(char::is_control))
        {
            return Err(Problem::bad_request(
                "invalid_authorization",
                "authorization must be a short header value",
            ));
        }
        let existing = self.services.store.get_endpoint(tenant).await?;
        let (secrets, new_secret) = match &existing {
            Some(e) if !e.secrets.is_empty() => (e.secrets.clone(), None),
            _ => {
                let s = generate_secret();
                (vec![s.clone()], Some(s))
            }
        };
        let endpoint = WebhookEndpoint {
            tenant: tenant.to_string(),
            url: body.url,
            event_types: body.event_types,
            secrets,
            authorization: body.authorization,
            disabled: false,
            updated_at: now(),
        };
        self.services.store.put_endpoint(&endpoint).await?;
        let mut out = view(&endpoint);
        match new_secret {
            Some(s) => {
                out["secret"] = json!(s);
                Ok(json_response(201, &out))
            }
            None => Ok(json_response(200, &out)),
        }
    }

    pub(crate) async fn get_endpoint(&self, tenant: &str) -> Result<Response<Bytes>, Problem> {
        let e = self
            .services
            .store
            .get_endpoint(tenant)
            .await?
            .ok_or_else(Problem::not_found)?;
        Ok(json_response(200, &view(&e)))
    }

    pub(crate) async fn delete_endpoint(&self, tenant: &str) -> Result<Response<Bytes>, Problem> {
        if self.services.store.get_endpoint(tenant).await?.is_none() {
            return Err(Problem::not_found());
        }
        self.services.store.delete_endpoint(tenant).await?;
        Ok(Response::builder()
            .status(204)
            .body(Bytes::new())
            .unwrap_or_default())
    }

    /// A new current secret; the previous one keeps signing (as a second signature) until the
    /// next rotation, so receivers can switch without losing events.
    pub(crate) async fn rotate_secret(&self, tenant: &str) -> Result<Response<Bytes>, Problem> {
        let mut e = self
            .services
            .store
            .get_endpoint(tenant)
            .await?
            .ok_or_else(Problem::not_found)?;
        let secret = generate_secret();
        let previous = e.secrets.first().cloned();
        e.secrets = std::iter::once(secret.clone()).chain(previous).collect();
        e.updated_at = now();
        self.services.store.put_endpoint(&e).await?;
        let mut out = view(&e);
        out["secret"] = json!(secret);
        Ok(json_response(200, &out))
    }
}
