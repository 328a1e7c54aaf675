"""The licensing package's layout rules that import-linter cannot state (see pyproject.toml)."""

import ast
from pathlib import Path

import licensing
from licensing.domain import states
from licensing.models import CLOSED_STATES, OPEN_STATES, ApplicationState

ROOT = Path(licensing.__file__).parent


def test_the_domain_imports_nothing_of_the_database() -> None:
    for path in (ROOT / "domain").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not [n for n in names if n == "django.db" or n.startswith("django.db.")], path


def test_no_licensing_module_is_longer_than_about_400_lines() -> None:
    for path in ROOT.rglob("*.py"):
        if "migrations" not in path.parts:
            assert len(path.read_text().splitlines()) <= 450, path


def test_the_transition_table_speaks_of_the_states_the_database_holds() -> None:
    named = {state for step in states.TRANSITIONS.values() for state in step.sources | step.targets}
    assert named <= set(ApplicationState.values)
    assert states.CLOSED == CLOSED_STATES
    assert states.OPEN == OPEN_STATES
    assert set(states.WORKBENCH_ACTIONS) <= set(states.TRANSITIONS)
