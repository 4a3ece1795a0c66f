//! Upload Lambda: the POST routes of the API (shared/api/openapi.yaml); API Gateway routes decide what reaches it.
//! Both HTTP functions run the same handler (labrador_api::Api).

use labrador_api::{Api, ApiConfig};
use labrador_aws::AwsAdapters;
use labrador_aws::lambda::{LambdaError, init_tracing, run_http};
use labrador_domain::services::ServiceConfig;

#[tokio::main]
async fn main() -> Result<(), LambdaError> {
    init_tracing();
    let aws = AwsAdapters::from_env().await?;
    let api = Api::new(
        aws.services().with_config(ServiceConfig::from_env()?),
        ApiConfig::default(),
    );
    run_http(|request| api.handle(request)).await
}
