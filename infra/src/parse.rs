#[derive(clap::Args)]
pub struct ParseArgs {}

pub fn run(_args: ParseArgs) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
