#[derive(clap::Args)]
pub struct BenchOcrArgs {}

pub fn run(_args: BenchOcrArgs) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
