//! The recovery function's handler: each scheduled invocation (an EventBridge rule; its event
//! is not read) runs one recovery sweep over the table ([`Services::recover_stalled`]).

use labrador_domain::services::{Recovered, Services};
use lambda_runtime::{LambdaEvent, service_fn};

/// One sweep, logged; a storage error fails the invocation (the next one sweeps again).
pub async fn sweep_once(services: &Services) -> Result<Recovered, lambda_runtime::Error> {
    let done = services.recover_stalled().await?;
    tracing::info!(
        removed = done.removed,
        requeued = done.requeued,
        expired = done.expired,
        "recovery sweep"
    );
    Ok(done)
}

/// The Lambda runtime loop of the recovery function.
pub async fn run_recovery(services: Services) -> Result<(), lambda_runtime::Error> {
    lambda_runtime::run(service_fn(move |_: LambdaEvent<serde_json::Value>| {
        let services = services.clone();
        async move { sweep_once(&services).await.map(|_| ()) }
    }))
    .await
}
