//! `eval -j N`: the documents dealt over N child processes of this binary (each loads its own
//! engine, as PDFium is not shared between threads), their results merged.

use super::{DocResult, EvalArgs};
use anyhow::Context;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::str::FromStr;

/// Every `count`-th document from the `index`-th.
#[derive(Debug, Clone, Copy)]
pub struct Shard {
    index: usize,
    count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (k, n) = s.split_once('/').ok_or("expected K/N")?;
        let index: usize = k.parse().map_err(|_| "K is not a number")?;
        let count: usize = n.parse().map_err(|_| "N is not a number")?;
        if count == 0 || index >= count {
            return Err("need 0 <= K < N".into());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    pub fn select(self, files: Vec<PathBuf>) -> Vec<PathBuf> {
        files
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % self.count == self.index)
            .map(|(_, p)| p)
            .collect()
    }
}

/// The arguments every child gets: what to read and how, never how to print.
pub fn child_args(args: &EvalArgs) -> Vec<OsString> {
    let mut out: Vec<OsString> = vec![args.dir.clone().into_os_string()];
    if let Some(f) = &args.filter {
        out.push("--filter".into());
        out.push(f.into());
    }
    for (set, flag) in [
        (args.raw, "--raw"),
        (args.no_ocr, "--no-ocr"),
        (args.verbose, "--verbose"),
    ] {
        if set {
            out.push(flag.into());
        }
    }
    out
}

#[derive(serde::Deserialize)]
struct ChildOutput {
    documents: Vec<DocResult>,
}

pub fn run_children(jobs: usize, base: &[OsString]) -> anyhow::Result<Vec<DocResult>> {
    let exe = std::env::current_exe().context("cannot find the labrador binary")?;
    let children = (0..jobs)
        .map(|k| {
            Command::new(&exe)
                .arg("eval")
                .args(base)
                .arg("--json")
                .arg("--shard")
                .arg(format!("{k}/{jobs}"))
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .context("cannot start an eval child process")
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut docs = Vec::new();
    for child in children {
        let out = child.wait_with_output()?;
        anyhow::ensure!(out.status.success(), "an eval child failed: {}", out.status);
        let parsed: ChildOutput =
            serde_json::from_slice(&out.stdout).context("cannot read an eval child's output")?;
        docs.extend(parsed.documents);
    }
    docs.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(docs)
}
