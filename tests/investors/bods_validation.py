"""BODS 0.4 validation with libcovebods, the Open Ownership validator: the JSON schema the
package ships for 0.4, and its additional checks (record order, parties, shares, identifiers).

One check downloads org-id.guide's list of identifier schemes; tests fetch nothing, so it runs
with an empty list instead: any identifier naming a `scheme` would then fail, and ours name
only a `schemeName` (a registration number has no org-id scheme in every country)."""

import json
from pathlib import Path
from typing import Any
from unittest import mock

from libcovebods.additionalfields import AdditionalFields
from libcovebods.config import LibCoveBODSConfig
from libcovebods.data_reader import DataReader
from libcovebods.jsonschemavalidate import JSONSchemaValidator
from libcovebods.run_tasks import TASK_CLASSES, process_additional_checks
from libcovebods.schema import SchemaBODS
from libcovebods.tasks.checks import legacy_checks, record_based_checks


def bods_report(statements: list[dict[str, Any]], tmp_path: Path) -> dict[str, Any]:
    """Schema errors, fields the schema does not define, additional-check results and
    statistics, and the version libcovebods read."""
    path = tmp_path / "bods.json"
    path.write_text(json.dumps(statements))
    reader = DataReader(str(path))
    config = LibCoveBODSConfig()
    schema = SchemaBODS(reader, config)
    errors = [e.json() for e in JSONSchemaValidator(schema).validate(reader)]
    with (
        mock.patch.object(record_based_checks, "get_orgids_prefixes", return_value=[]),
        mock.patch.object(legacy_checks, "get_orgids_prefixes", return_value=[]),
    ):
        checks = process_additional_checks(reader, config, schema, TASK_CLASSES)
    unknown = AdditionalFields(schema).process(reader)
    return {"version": schema.schema_version, "schema_errors": errors, "additional_fields": unknown, **checks}
