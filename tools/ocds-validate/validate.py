"""Validates OCDS release packages against the official schema, vendored in
tests/fixtures/ocds (OCDS 1.1.5: release-package-schema.json and release-schema.json), with
jsonschema's Draft 4 validator and its format checker (date-time, uri), offline.

Usage: validate.py FILE... — prints each error with its path and exits 1 if any package is
invalid. Before validating, it checks that the checker refuses a package with a malformed
date, so that a validator installed without its format checkers cannot pass silently.
"""

import json
import pathlib
import sys

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMAS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "ocds"


def validator():
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text())
    release = json.loads((SCHEMAS / "release-schema.json").read_text())
    registry = Registry().with_resources(
        [
            (package["id"], Resource(package, specification=DRAFT4)),
            (release["id"], Resource(release, specification=DRAFT4)),
        ]
    )
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())


def errors(checker, document):
    return sorted(checker.iter_errors(document), key=lambda e: list(e.absolute_path))


def main(paths):
    checker = validator()
    broken = {
        "uri": "http://example.org/p.json",
        "version": "1.1",
        "publishedDate": "yesterday",
        "publisher": {"name": "x"},
        "releases": [],
    }
    if not errors(checker, broken):
        print("the validator accepts a malformed date: its format checker is missing")
        return 2
    failed = False
    for path in paths:
        document = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
        found = errors(checker, document)
        releases = len(document.get("releases", []))
        if found:
            failed = True
            for error in found:
                where = "/".join(str(part) for part in error.absolute_path)
                print(f"{path}: {where}: {error.message}")
        else:
            print(f"{path}: valid OCDS release package ({releases} releases)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
