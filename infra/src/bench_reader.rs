#[derive(clap::Args)]
pub struct BenchReaderArgs {}

pub fn run(_args: BenchReaderArgs) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
