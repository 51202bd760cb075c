"""The layers of ARCHITECTURE.md: no Qt below the UI, no SQL in the UI, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mentor_desk"
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _python_files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", ["db", "services", "reports"])
def test_lower_layers_never_import_qt(layer: str) -> None:
    files = _python_files(layer)
    assert files or layer == "reports", f"no modules found in {layer}/"
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in _imports(path) if m.startswith(QT_MODULES)
        )
        for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("layer", ["db", "services"])
def test_lower_layers_never_import_upper_layers(layer: str) -> None:
    upper = ("mentor_desk.ui", "mentor_desk.app", "mentor_desk.cli", "mentor_desk.reports")
    if layer == "db":
        upper = (*upper, "mentor_desk.services")
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(m for m in _imports(path) if m.startswith(upper))
        for path in _python_files(layer)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_ui_never_touches_the_orm_or_sql() -> None:
    forbidden = ("sqlalchemy", "sqlite3", "mentor_desk.db")
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(m for m in _imports(path) if m.startswith(forbidden))
        for path in _python_files("ui")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_package_loads_no_qt() -> None:
    """``mentor-desk --version`` and the CLI commands must not pay for Qt."""
    import subprocess
    import sys

    code = (
        "import sys, mentor_desk.cli, mentor_desk.services.program;"
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
