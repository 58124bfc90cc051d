"""The staged boot imports every module of the package, each after the ones it needs."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "analytics_py"


def _staged_modules() -> tuple[str, ...]:
    """browser/staged.py's MODULES, read from its source (importing it needs no browser, but
    this way the test also holds for the file as shipped)."""
    tree = ast.parse((PACKAGE / "browser" / "staged.py").read_text())
    (assignment,) = [n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "MODULES"]
    return tuple(ast.literal_eval(assignment.value))


def _modules() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).with_suffix("")
        if relative.name != "__init__" and relative.parts != ("browser", "staged"):
            names.add(".".join(relative.parts))
    return names


def _imports_of(module: str) -> set[str]:
    """The package's own modules a module imports at its top level (relative imports)."""
    path = PACKAGE.joinpath(*module.split(".")).with_suffix(".py")
    package = module.split(".")[:-1]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return found & _modules()


def test_every_module_is_staged_once():
    staged = _staged_modules()
    assert len(staged) == len(set(staged)) and set(staged) == _modules()


def test_each_module_comes_after_the_modules_it_imports():
    position = {name: i for i, name in enumerate(_staged_modules())}
    late = [(name, dep) for name in position for dep in _imports_of(name) if position[dep] > position[name]]
    assert late == []
