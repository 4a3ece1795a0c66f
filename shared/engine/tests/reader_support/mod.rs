//! Test support: a tiny PDF writer (text at positions, optional encryption) and the engine.
#![allow(dead_code)]

mod pdfium_lib;

use labrador_engine::{Engine, EngineConfig};
pub use pdfium_lib::pdfium_lib;
use std::sync::OnceLock;

/// The engine with the installed libpdfium; panics (fails the test) when it is missing,
/// since CI runs `infra/setup.sh` first.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::new(EngineConfig::new(pdfium_lib()))
            .expect("libpdfium is required for this test: run infra/setup.sh")
    })
}

pub struct Text<'a> {
    pub x: f32,
    /// Baseline, from the top of the page.
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    pub text: &'a str,
}

pub fn t(x: f32, y: f32, text: &str) -> Text<'_> {
    Text {
        x,
        y,
        size: 10.0,
        bold: false,
        text,
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)")
}

/// A one-page PDF (US letter) showing `texts`; `encrypted` adds a standard security handler
/// whose user password is not empty.
pub fn pdf(texts: &[Text], encrypted: bool) -> Vec<u8> {
    let mut content = String::new();
    for t in texts {
        let font = if t.bold { "F2" } else { "F1" };
        content.push_str(&format!(
            "BT /{font} {} Tf {} {} Td ({}) Tj ET\n",
            t.size,
            t.x,
            792.0 - t.y,
            escape(t.text)
        ));
    }
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>".to_string(),
        format!("<< /Length {} >>\nstream\n{}endstream", content.len(), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>".to_string(),
    ];
    if encrypted {
        objects.push(format!(
            "<< /Filter /Standard /V 1 /R 2 /O <{}> /U <{}> /P -44 >>",
            "5a".repeat(32),
            "c3".repeat(32)
        ));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{}\nendobj\n", i + 1, body).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in &offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    let encrypt = if encrypted {
        format!(
            " /Encrypt {} 0 R /ID [<{}> <{}>]",
            objects.len(),
            "ab".repeat(16),
            "ab".repeat(16)
        )
    } else {
        String::new()
    };
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R{encrypt} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A small lab report: header, section, three rows.
pub fn lab_report_texts() -> Vec<Text<'static>> {
    vec![
        Text {
            x: 50.0,
            y: 60.0,
            size: 16.0,
            bold: true,
            text: "City Clinical Laboratory",
        },
        t(50.0, 100.0, "Collected: 15/01/2024"),
        t(300.0, 100.0, "Sex: Female  Age: 34 Years"),
        Text {
            x: 50.0,
            y: 140.0,
            size: 10.0,
            bold: true,
            text: "Test",
        },
        Text {
            x: 250.0,
            y: 140.0,
            size: 10.0,
            bold: true,
            text: "Result",
        },
        Text {
            x: 350.0,
            y: 140.0,
            size: 10.0,
            bold: true,
            text: "Units",
        },
        Text {
            x: 450.0,
            y: 140.0,
            size: 10.0,
            bold: true,
            text: "Reference Range",
        },
        Text {
            x: 50.0,
            y: 160.0,
            size: 10.0,
            bold: true,
            text: "HEMATOLOGY",
        },
        t(50.0, 180.0, "Hemoglobin"),
        t(250.0, 180.0, "11.2"),
        t(300.0, 180.0, "L"),
        t(350.0, 180.0, "g/dL"),
        t(450.0, 180.0, "12.0 - 15.5"),
        t(50.0, 200.0, "Platelet Count"),
        t(250.0, 200.0, "250"),
        t(350.0, 200.0, "10^3/uL"),
        t(450.0, 200.0, "150 - 400"),
        t(50.0, 220.0, "HIV 1/2 Antibodies"),
        t(250.0, 220.0, "Non Reactive"),
        t(450.0, 220.0, "Non Reactive"),
    ]
}
