//! The tenant's webhook endpoint: PUT/GET/DELETE /v1/webhook-endpoint (with its payload
//! `format`), POST …/rotate-secret.

use crate::Api;
use crate::problem::{Problem, json_response};
use bytes::Bytes;
use http::{Request, Response};
use labrador_domain::record::{PayloadFormat, WebhookEndpoint};
use labrador_domain::services::{EndpointChange, EndpointSettings};
use labrador_domain::webhook::EventType;
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
    #[serde(default)]
    format: Option<String>,
}

fn view(e: &WebhookEndpoint) -> serde_json::Value {
    json!({
        "url": e.url,
        "event_types": e.event_types,
        "has_authorization": e.authorization.is_some(),
        "disabled": e.disabled,
        "updated_at": e.updated_at,
        "format": e.format,
        "previous_secret_expires_at": e.previous_secret_expires_at,
    })
}

/// The endpoint, with its secret when this change made one (shown once).
fn change_view(change: &EndpointChange) -> serde_json::Value {
    let mut out = view(&change.endpoint);
    if let Some(secret) = &change.new_secret {
        out["secret"] = json!(secret);
    }
    out
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
                format!("expected {{url, event_types?, authorization?, format?}}: {e}"),
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
        let format = match body.format.as_deref() {
            None => PayloadFormat::default(),
            Some(f) => PayloadFormat::parse(f).ok_or_else(|| {
                let known: Vec<&str> = PayloadFormat::ALL.iter().map(|f| f.as_str()).collect();
                Problem::bad_request(
                    "invalid_format",
                    format!("unknown format {f:?}; one of {}", known.join(", ")),
                )
            })?,
        };
        let settings = EndpointSettings {
            url: body.url,
            event_types: body.event_types,
            authorization: body.authorization,
            format,
        };
        let change = self.services.set_endpoint(tenant, settings).await?;
        let status = if change.new_secret.is_some() {
            201
        } else {
            200
        };
        Ok(json_response(status, &change_view(&change)))
    }

    pub(crate) async fn get_endpoint(&self, tenant: &str) -> Result<Response<Bytes>, Problem> {
        let endpoint = self.services.endpoint(tenant).await?;
        Ok(json_response(200, &view(&endpoint)))
    }

    pub(crate) async fn delete_endpoint(&self, tenant: &str) -> Result<Response<Bytes>, Problem> {
        self.services.delete_endpoint(tenant).await?;
        Ok(Response::builder()
            .status(204)
            .body(Bytes::new())
            .unwrap_or_default())
    }

    /// A new current secret; the previous one keeps signing until `previous_secret_expires_at`.
    pub(crate) async fn rotate_secret(&self, tenant: &str) -> Result<Response<Bytes>, Problem> {
        let change = self.services.rotate_secret(tenant).await?;
        Ok(json_response(200, &change_view(&change)))
    }
}
