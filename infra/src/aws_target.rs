//! Where operator commands find the stack: the embedded store by default, an emulator
//! (`--aws-endpoint`), or the deployed stack named by the environment (`--aws`).

use anyhow::Context;
use labrador_aws::{AwsAdapters, AwsConfig};

#[derive(clap::Args, Clone)]
pub struct AwsTarget {
    /// The stack on an emulator (moto, LocalStack), as `labrador serve --aws-endpoint`.
    #[arg(long, value_name = "URL", conflicts_with = "aws")]
    pub aws_endpoint: Option<String>,
    /// Prefix of the resource names on the emulator.
    #[arg(long, default_value = "labrador")]
    pub aws_prefix: String,
    /// The deployed stack on AWS, named by `LABRADOR_BUCKET`, `LABRADOR_TABLE` and
    /// `LABRADOR_{EXTRACT,STANDARDIZE,DELIVER}_QUEUE_URL` (the stack's outputs).
    #[arg(long)]
    pub aws: bool,
}

impl AwsTarget {
    /// The AWS adapters when an AWS target was chosen; `None` for the embedded store.
    pub async fn adapters(&self) -> anyhow::Result<Option<AwsAdapters>> {
        if let Some(endpoint) = &self.aws_endpoint {
            let mut aws = AwsAdapters::new(AwsConfig::emulator(endpoint, &self.aws_prefix)).await;
            aws.provision(&labrador_domain::services::ServiceConfig::from_env()?.queue)
                .await
                .with_context(|| format!("cannot reach the stack at {endpoint}"))?;
            return Ok(Some(aws));
        }
        if self.aws {
            let aws = AwsAdapters::from_env()
                .await
                .context("--aws needs the stack's names in the environment")?;
            return Ok(Some(aws));
        }
        Ok(None)
    }
}
