//! Prints the lines (`lines`) or raw rows (`rows`) the engine reads from files: a layout debugging aid.
//! Usage: cargo run -p labrador-engine --example dump_layout -- rows FILE...

#[path = "../tests/reader_support/pdfium_lib.rs"]
mod pdfium_lib;
use labrador_engine::*;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = Engine::new(EngineConfig::new(pdfium_lib::pdfium_lib())).unwrap();
    let mode = args[1].clone();
    for path in &args[2..] {
        let bytes = std::fs::read(path).unwrap();
        let f = InputFile {
            index: 0,
            file_name: path,
            bytes: &bytes,
        };
        println!("=== {path}");
        if mode == "lines" || mode == "fields" {
            match engine.read_pages(&f) {
                Ok(pages) => {
                    for p in &pages {
                        for l in layout::lines::build_lines(p) {
                            if mode == "fields" {
                                let f = layout::cells::parse_headerless(&l);
                                println!(
                                    "{:?} | {:?} {:?} {:?} {:?} noise={} only={}",
                                    f.name, f.value, f.unit, f.range, f.flag, f.noise, f.only_name
                                );
                                continue;
                            }
                            let cells: Vec<String> = layout::lines::cells(&l)
                                .iter()
                                .map(|c| format!("[{:.0}]{}", c.x0, c.text()))
                                .collect();
                            let bold = l.words.iter().filter(|w| w.bold).count();
                            println!(
                                "p{} y{:.0} fs{:.1} b{} | {}",
                                l.page,
                                l.bbox[1],
                                l.font_size,
                                bold,
                                cells.join(" | ")
                            );
                        }
                    }
                }
                Err(r) => println!("REJ {r:?}"),
            }
        } else {
            match engine.extract_file(&f) {
                Ok(fe) => {
                    println!(
                        "dates {:?} lab {:?} lang {:?} patient {:?}",
                        fe.dates, fe.lab_name, fe.language, fe.patient
                    );
                    for r in &fe.results {
                        println!(
                            "  {:40} | {:12} | {:14} | {:28} | {:8} | {:?} | {:?} | m={:?} d={:?} b={}",
                            r.name,
                            r.value_text,
                            r.unit_text.clone().unwrap_or_default(),
                            r.range_text.clone().unwrap_or_default(),
                            r.flag_text.clone().unwrap_or_default(),
                            r.section,
                            r.confidence,
                            r.method,
                            r.collection_date,
                            r.highlighted
                        );
                    }
                }
                Err(r) => println!("REJ {r:?}"),
            }
        }
    }
}
