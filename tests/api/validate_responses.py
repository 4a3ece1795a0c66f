#!/usr/bin/env python3
"""Check recorded API answers against the operations of shared/api/openapi.yaml.

Usage: validate_responses.py OPENAPI_YAML ANSWERS_JSON
ANSWERS_JSON is a list of {method, path (the template, e.g. /v1/lab-reports/{id}), status,
content_type, body (the JSON body, or null)}. For each answer: its status must be documented for
the operation, its content type (when it has a body) must be one the status documents, and a JSON
body must validate against that content's schema. Exit status 0 when all conform, 1 when one does
not, 2 when the validator cannot run.
"""
import json
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:  # installed by infra/setup.sh
    print(f"jsonschema and pyyaml are needed: {e}", file=sys.stderr)
    sys.exit(2)


def deref(doc, node):
    """Follows `$ref`s within the document (a response given as a reference)."""
    while isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def check(doc, answer):
    method, path = answer["method"].lower(), answer["path"]
    operation = doc["paths"].get(path, {}).get(method)
    if operation is None:
        return [f"{method.upper()} {path} is not documented"]
    responses = operation.get("responses", {})
    status = str(answer["status"])
    response = responses.get(status) or responses.get(f"{status[0]}XX") or responses.get("default")
    if response is None:
        return [f"{method.upper()} {path}: status {status} is not documented (documented: {', '.join(responses)})"]
    response = deref(doc, response)
    content = response.get("content", {})
    body = answer.get("body")
    media = (answer.get("content_type") or "").split(";")[0].strip()
    if body is None:
        return []
    if media not in content:
        return [f"{method.upper()} {path} {status}: content type {media!r} is not documented ({', '.join(content) or 'none'})"]
    schema = content[media].get("schema")
    if schema is None:
        return []
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": doc["components"], **schema}
    errors = sorted(jsonschema.Draft202012Validator(root).iter_errors(body), key=lambda e: list(e.path))
    return [f"{method.upper()} {path} {status}: /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
            for e in errors[:5]]


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        doc = yaml.safe_load(open(argv[1]))
        answers = json.load(open(argv[2]))
    except (OSError, ValueError, yaml.YAMLError) as e:
        print(f"cannot read the input: {e}", file=sys.stderr)
        return 2
    bad = 0
    for answer in answers:
        problems = check(doc, answer)
        for p in problems:
            print(p)
        bad += bool(problems)
    print(f"{len(answers) - bad}/{len(answers)} answers conform to the OpenAPI document")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
