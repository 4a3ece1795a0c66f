//! Long mutation run of the reader: `cargo run -p labrador-engine --release --example
//! fuzz_reader -- SECONDS PDF...`. Flips, truncates, splices and deletes bytes of the given
//! PDFs and feeds them to the engine; a panic aborts the run. Prints the number of inputs.

#[path = "../tests/reader_support/pdfium_lib.rs"]
mod pdfium_lib;

use labrador_engine::{Engine, EngineConfig, InputFile};
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(5) {
        let n = bytes.len().max(1);
        match rng.below(4) {
            0 => {
                if !bytes.is_empty() {
                    let at = rng.below(n);
                    bytes[at] ^= (rng.next() as u8) | 1;
                }
            }
            1 => bytes.truncate(rng.below(n)),
            2 => {
                let from = rng.below(n).min(bytes.len());
                let end = (from + 1 + rng.below(4096)).min(bytes.len());
                let chunk = bytes[from..end].to_vec();
                let at = rng.below(n).min(bytes.len());
                bytes.splice(at..at, chunk);
            }
            _ => {
                let at = rng.below(n).min(bytes.len());
                let end = (at + 1 + rng.below(512)).min(bytes.len());
                bytes.drain(at..end);
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    let seeds: Vec<Vec<u8>> = args[2..]
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    assert!(!seeds.is_empty(), "usage: fuzz_reader SECONDS PDF...");
    let engine = Engine::new(EngineConfig::new(pdfium_lib::pdfium_lib()))
        .expect("libpdfium (run infra/setup.sh)");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut inputs, mut rejected) = (0u64, 0u64);
    while Instant::now() < deadline {
        let mut bytes = seeds[rng.below(seeds.len())].clone();
        mutate(&mut rng, &mut bytes);
        let file = InputFile {
            index: 0,
            file_name: "fuzz.pdf",
            bytes: &bytes,
        };
        let extraction = engine.extract(std::slice::from_ref(&file));
        inputs += 1;
        if extraction.rejection.is_some() {
            rejected += 1;
        }
    }
    println!("fuzz_reader: {inputs} inputs in {seconds} s, {rejected} rejected, no panic");
}
