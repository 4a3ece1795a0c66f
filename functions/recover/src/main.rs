//! Recover Lambda: every few minutes (EventBridge schedule), the recovery sweep. A report left
//! waiting between steps (its job's send failed after its status was written) gets its job again;
//! an upload that never answered its client is removed.

use labrador_aws::AwsAdapters;
use labrador_aws::lambda::{LambdaError, init_tracing, run_recovery};
use labrador_domain::services::ServiceConfig;

#[tokio::main]
async fn main() -> Result<(), LambdaError> {
    init_tracing();
    let aws = AwsAdapters::from_env().await?;
    let services = aws.services().with_config(ServiceConfig::from_env()?);
    run_recovery(services).await
}
