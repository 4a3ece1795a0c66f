#!/usr/bin/env python3
"""Validate FHIR R4 Bundles (JSON files) with the fhir.resources models (R4B).

Usage: validate_fhir.py FILE...   Exit status 0 when every file validates, 1 otherwise.
Also checks what the models do not: LOINC codings carry a display, UCUM quantities carry a code.
"""
import json
import sys

try:
    from fhir.resources.R4B import get_fhir_model_class
    from fhir.resources.R4B.bundle import Bundle
except ImportError as e:  # the package is installed by infra/setup.sh
    print(f"fhir.resources (R4B) is not installed: {e}", file=sys.stderr)
    sys.exit(2)


def extra_checks(data, path):
    errors = []
    for entry in data.get("entry", []):
        res = entry.get("resource", {})
        for coding in res.get("code", {}).get("coding", []):
            if coding.get("system") == "http://loinc.org" and not coding.get("display"):
                errors.append(f"{path}: LOINC code {coding.get('code')} without display")
        q = res.get("valueQuantity")
        if q and q.get("system") == "http://unitsofmeasure.org" and not q.get("code"):
            errors.append(f"{path}: UCUM quantity without code")
    return errors


def main(paths):
    if not paths:
        print("usage: validate_fhir.py FILE...", file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        try:
            bundle = Bundle.model_validate(data)
            # entry resources are typed loosely in the Bundle model: validate each with its own
            for entry in data.get("entry", []):
                res = entry["resource"]
                get_fhir_model_class(res["resourceType"]).model_validate(res)
        except Exception as e:  # pydantic ValidationError and friends
            print(f"INVALID {path}: {e}")
            failed += 1
            continue
        errs = extra_checks(data, path)
        if bundle.type != "collection":
            errs.append(f"{path}: bundle type {bundle.type}")
        if errs:
            failed += 1
            for e in errs:
                print("INVALID", e)
        else:
            print(f"ok {path}: {len(data.get('entry', []))} entries")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
