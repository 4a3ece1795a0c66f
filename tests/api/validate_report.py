#!/usr/bin/env python3
"""Validate report JSON files against the `Report` schema of shared/api/openapi.yaml.

Usage: validate_report.py OPENAPI_YAML FILE...   Exit status 0 when every file validates, 1 when
one does not, 2 when the validator cannot run.
Exact as well as valid: every object member a report carries must be declared in the schema (the
schemas are checked as if `additionalProperties: false`), so an undocumented field fails.
"""
import json
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:  # installed by infra/setup.sh
    print(f"jsonschema and pyyaml are needed: {e}", file=sys.stderr)
    sys.exit(2)


def closed(schema):
    """The schema with every object that lists properties closed to other members."""
    if isinstance(schema, dict):
        out = {k: closed(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [closed(v) for v in schema]
    return schema


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        doc = yaml.safe_load(open(argv[1]))
    except (OSError, yaml.YAMLError) as e:
        print(f"{argv[1]}: {e}", file=sys.stderr)
        return 2
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": closed(doc["components"]),
            "$ref": "#/components/schemas/Report"}
    validator = jsonschema.Draft202012Validator(root)
    bad = 0
    for path in argv[2:]:
        errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
        for e in errors[:10]:
            where = "/".join(str(p) for p in e.absolute_path)
            print(f"{path}: /{where}: {e.message}")
        bad += bool(errors)
    print(f"{len(argv) - 2 - bad}/{len(argv) - 2} reports match the Report schema")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
