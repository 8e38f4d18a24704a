#!/usr/bin/env python3
"""Checks that `aipol schema --json-schema` of the standard library matches
schema/descriptor.schema.json, ignoring the annotations the language does not
carry (descriptions, titles, const, minimum, minLength, pattern).

usage: compare_schema.py AIPOL_BINARY SCHEMA_FILE
"""
import json
import subprocess
import sys

IGNORED = {"description", "title", "$schema", "minimum", "minLength", "pattern", "const"}


def normalise(node):
    if isinstance(node, dict):
        # `{"const": 1}` carries an integer: the language types it `int`.
        if "const" in node and "type" not in node and isinstance(node["const"], int):
            node = dict(node, type="integer")
        return {k: normalise(v) for k, v in node.items() if k not in IGNORED}
    if isinstance(node, list):
        return [normalise(v) for v in node]
    return node


def differences(a, b, path="$"):
    if type(a) is not type(b):
        yield f"{path}: {json.dumps(a)[:80]} != {json.dumps(b)[:80]}"
    elif isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a:
                yield f"{path}.{key}: only in the shared schema"
            elif key not in b:
                yield f"{path}.{key}: only in aipol's export"
            else:
                yield from differences(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        if a != b:
            yield f"{path}: {a} != {b}"
    elif a != b:
        yield f"{path}: {a!r} != {b!r}"


def main():
    aipol, schema_file = sys.argv[1], sys.argv[2]
    exported = subprocess.run([aipol, "schema", "--json-schema"], check=True, capture_output=True, text=True).stdout
    ours = normalise(json.loads(exported))
    theirs = normalise(json.load(open(schema_file)))
    problems = list(differences(ours, theirs))
    for problem in problems:
        print(problem)
    # Property order matters to readers of the schema: check it too.
    def order(node, path="$"):
        if isinstance(node, dict):
            if "properties" in node:
                yield path, list(node["properties"])
            for k, v in node.items():
                yield from order(v, f"{path}.{k}")
    if list(order(ours)) != list(order(theirs)):
        print("property order differs")
        problems.append("order")
    print("1 passed, 0 failed" if not problems else "0 passed, 1 failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
