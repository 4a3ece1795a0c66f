//! Standardization: raw rows → standardized results (catalogue, LOINC, UCUM, values, ranges, flags, dates, panels).
