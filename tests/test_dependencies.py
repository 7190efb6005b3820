"""The runtime dependencies in pyproject.toml are exactly what the product imports: nothing declared and
unused (werkzeug and defusedxml once were), nothing imported and undeclared."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=~!;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_name(r) for r in project["dependencies"]}


def imported_distributions() -> dict[str, set[str]]:
    """distribution -> the product's files that import it (top-level modules, at any depth in the code)."""
    dists = packages_distributions()
    out: dict[str, set[str]] = {}
    for path in (ROOT / "ips_tui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top == "ips_tui" or top in sys.stdlib_module_names:
                    continue
                for dist in dists.get(top, [top]):
                    out.setdefault(dist.lower().replace("_", "-"), set()).add(str(path.relative_to(ROOT)))
    return out


def test_every_declared_runtime_dependency_is_imported_by_the_product():
    unused = declared() - set(imported_distributions())
    assert unused == set(), f"declared but never imported: {sorted(unused)}"


def test_every_third_party_import_of_the_product_is_declared():
    used = imported_distributions()
    missing = {d: sorted(files)[:3] for d, files in used.items() if d not in declared()}
    assert missing == {}, f"imported but not declared in pyproject.toml: {missing}"
