"""Imports run one way: pages and API -> answers -> progress maths -> models."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A module (or package) and what it must never import, directly or lazily inside a function.
FORBIDDEN = {
    "spending/models": (
        "spending.answers",
        "spending.api",
        "spending.writes",
        "spending.charts",
        "spending.progress",
    ),
    "spending/fields.py": ("django", "spending"),
    "spending/progress": ("django", "spending.models", "spending.answers", "spending.api"),
    "spending/answers.py": ("spending.writes", "spending.views", "spending.charts"),
    "spending/page_answers.py": (
        "spending.writes",
        "spending.views",
        "spending.charts",
        "spending.pages",
        "spending.api",
        "members.views",
    ),
    "members/models.py": ("spending",),
}


def imported_names(path):
    """Every module name a file imports, at the top or inside a function."""
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


@pytest.mark.parametrize("module", sorted(FORBIDDEN))
def test_a_lower_layer_imports_nothing_above_it(module):
    where = ROOT / module
    files = [where] if where.is_file() else sorted(where.rglob("*.py"))
    files = [path for path in files if "migrations" not in path.parts and "tests" not in path.parts]
    assert files
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in imported_names(path)
        if any(name == banned or name.startswith(f"{banned}.") for banned in FORBIDDEN[module])
    ]
    assert wrong == []
