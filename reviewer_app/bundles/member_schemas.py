"""Check the JSON members of a bundle against their published schemas before anything is used.

Every message names the member and the place in it, e.g.
``reviews/SRCH_8F12A054.json: 'HIGHEST' is not one of [...] (at $.score_sheets[0]...)``.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema

from reviewer_app.bundles.format import TIME_FORMAT_CHECKER
from reviewer_app.config import schema_path

REVIEW_SCHEMA = "bundle-review.schema.json"
ANNOTATIONS_SCHEMA = "bundle-annotations.schema.json"
TIER_POLICIES_SCHEMA = "bundle-tier-policies.schema.json"


@functools.cache
def _validator(schema_name: str) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_path(schema_name).read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    # Resolving "$ref" through the registry on every use was half the cost of an import.
    return validator_class(
        _inline_refs(schema, schema.get("$defs", {})), format_checker=TIME_FORMAT_CHECKER
    )


def _inline_refs(node: Any, definitions: dict[str, Any]) -> Any:
    """``node`` with each local ``{"$ref": "#/$defs/name"}`` replaced by the definition (the
    bundle schemas' definitions are not recursive)."""
    if isinstance(node, list):
        return [_inline_refs(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
        return _inline_refs(definitions[ref.removeprefix("#/$defs/")], definitions)
    return {key: _inline_refs(value, definitions) for key, value in node.items()}


def schema_problem(schema_name: str, data: Any) -> str | None:
    """The most relevant violation of the schema ``schema_name`` by ``data``, or None."""
    problem = nul_character_problem(data)
    if problem:
        return problem
    error = jsonschema.exceptions.best_match(_validator(schema_name).iter_errors(data))
    if error is None:
        return None
    where = error.json_path if error.path else "the top level"
    return f"{error.message} (at {where})"


def nul_character_problem(data: Any, where: str = "$") -> str | None:
    """NUL characters are valid JSON but no database text column takes them (PostgreSQL)."""
    if isinstance(data, str):
        return f"a string contains a NUL character (at {where})" if "\x00" in data else None
    if isinstance(data, dict):
        items: Any = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return None
    for key, value in items:
        if isinstance(key, str) and "\x00" in key:
            return f"a key contains a NUL character (at {where})"
        problem = nul_character_problem(value, f"{where}[{key!r}]")
        if problem:
            return problem
    return None
