//! Section headings → LOINC panel codes.

use super::normalize::fold;

pub struct Panel {
    pub code: &'static str,
    /// LOINC Long Common Name of the panel.
    pub name: &'static str,
}

pub const CBC: Panel = Panel {
    code: "58410-2",
    name: "CBC panel - Blood by Automated count",
};
pub const CMP: Panel = Panel {
    code: "24323-8",
    name: "Comprehensive metabolic 2000 panel - Serum or Plasma",
};
pub const BMP: Panel = Panel {
    code: "51990-0",
    name: "Basic metabolic panel - Blood",
};
pub const LIPID: Panel = Panel {
    code: "24331-1",
    name: "Lipid 1996 panel - Serum or Plasma",
};
pub const LIPID_DIRECT_LDL: Panel = Panel {
    code: "57698-3",
    name: "Lipid panel with direct LDL - Serum or Plasma",
};
pub const HEPATIC: Panel = Panel {
    code: "24325-3",
    name: "Hepatic function 2000 panel - Serum or Plasma",
};
pub const RENAL: Panel = Panel {
    code: "24362-6",
    name: "Renal function 2000 panel - Serum or Plasma",
};
pub const URINALYSIS: Panel = Panel {
    code: "24356-8",
    name: "Urinalysis complete panel - Urine",
};
pub const ELECTROLYTES: Panel = Panel {
    code: "24326-1",
    name: "Electrolytes 1998 panel - Serum or Plasma",
};
pub const IRON: Panel = Panel {
    code: "50190-8",
    name: "Iron and Iron binding capacity panel - Serum or Plasma",
};

pub const ALL: &[&Panel] = &[
    &CBC,
    &CMP,
    &BMP,
    &LIPID,
    &LIPID_DIRECT_LDL,
    &HEPATIC,
    &RENAL,
    &URINALYSIS,
    &ELECTROLYTES,
    &IRON,
];

const RULES: &[(&[&str], &Panel)] = &[
    (&["comprehensive metabolic", "cmp"], &CMP),
    (&["basic metabolic", "bmp"], &BMP),
    (
        &[
            "complete blood count",
            "cbc",
            "full blood count",
            "fbc",
            "hemogram",
            "haemogram",
            "blood count",
            "blutbild",
            "hemogramme",
            "numeration formule",
            "nfs",
            "emocromo",
            "hemograma",
            "biometria hematica",
        ],
        &CBC,
    ),
    (
        &[
            "lipid",
            "lipide",
            "lipidogramm",
            "fettstoffwechsel",
            "profilo lipidico",
            "perfil lipidico",
            "bilan lipidique",
            "exploration lipidique",
        ],
        &LIPID,
    ),
    (
        &[
            "liver function",
            "lft",
            "hepatic",
            "leberwerte",
            "leberfunktion",
            "bilan hepatique",
            "funzionalita epatica",
            "perfil hepatico",
            "funcion hepatica",
        ],
        &HEPATIC,
    ),
    (
        &[
            "kidney function",
            "renal function",
            "kft",
            "rft",
            "renal profile",
            "nierenwerte",
            "nierenfunktion",
            "bilan renal",
            "funzionalita renale",
            "perfil renal",
            "funcion renal",
        ],
        &RENAL,
    ),
    (
        &[
            "urinalysis",
            "urine routine",
            "urine examination",
            "urine analysis",
            "harnstatus",
            "urinstatus",
            "analyse d urine",
            "esame urine",
            "esame delle urine",
            "analisi delle urine",
            "uroanalisis",
            "examen general de orina",
            "urine r m",
            "urine re",
        ],
        &URINALYSIS,
    ),
    (
        &[
            "electrolyte",
            "elektrolyte",
            "ionogramme",
            "elettroliti",
            "electrolitos",
        ],
        &ELECTROLYTES,
    ),
    (
        &[
            "iron studies",
            "iron profile",
            "iron panel",
            "eisenstoffwechsel",
            "bilan martial",
        ],
        &IRON,
    ),
];

/// The panel a section heading names. `has_direct_ldl` picks the lipid panel variant.
pub fn panel_for(section: &str, has_direct_ldl: bool) -> Option<&'static Panel> {
    let f: String = fold(section)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let padded = format!(" {} ", f.split_whitespace().collect::<Vec<_>>().join(" "));
    for (keys, panel) in RULES {
        if keys.iter().any(|k| padded.contains(&format!(" {k}"))) {
            if std::ptr::eq(*panel, &LIPID) && has_direct_ldl {
                return Some(&LIPID_DIRECT_LDL);
            }
            return Some(panel);
        }
    }
    None
}

/// The panel a set of results makes up when the heading does not say.
pub fn panel_from_results(ids: &[&str]) -> Option<&'static Panel> {
    let count = |set: &[&str]| set.iter().filter(|b| ids.contains(b)).count();
    let cmp = [
        "glucose",
        "glucose_fasting",
        "bun",
        "creatinine",
        "sodium",
        "potassium",
        "chloride",
        "bicarbonate",
        "calcium",
        "protein_total",
        "albumin",
        "bilirubin_total",
        "alp",
        "ast",
        "alt",
    ];
    let bmp = [
        "glucose",
        "glucose_fasting",
        "bun",
        "creatinine",
        "sodium",
        "potassium",
        "chloride",
        "bicarbonate",
        "calcium",
    ];
    let cbc = [
        "hemoglobin",
        "hematocrit",
        "rbc_count",
        "wbc_count",
        "platelet_count",
        "mcv",
        "mch",
        "mchc",
    ];
    let lipid = [
        "cholesterol_total",
        "hdl_cholesterol",
        "triglycerides",
        "ldl_cholesterol",
    ];
    let hepatic = [
        "alt",
        "ast",
        "alp",
        "bilirubin_total",
        "bilirubin_direct",
        "albumin",
        "protein_total",
    ];
    let urine = ids.iter().filter(|b| b.starts_with("urine_")).count();
    if count(&cmp) >= 12 {
        Some(&CMP)
    } else if count(&bmp) >= 7 {
        Some(&BMP)
    } else if count(&cbc) >= 5 {
        Some(&CBC)
    } else if count(&lipid) >= 3 && ids.contains(&"ldl_cholesterol_direct") {
        Some(&LIPID_DIRECT_LDL)
    } else if count(&lipid) >= 3 {
        Some(&LIPID)
    } else if count(&hepatic) >= 5 {
        Some(&HEPATIC)
    } else if urine >= 5 {
        Some(&URINALYSIS)
    } else {
        None
    }
}
