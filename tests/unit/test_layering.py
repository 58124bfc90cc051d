"""The core stays pure: nothing under analytics_py/core imports js, pyodide or the adapters."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "analytics_py"
PURE = ("core", "destinations")  # the bundled destinations use the core's ports only
FORBIDDEN = ("js", "pyodide", "analytics_py.browser")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level and node.module and node.module.startswith("browser"):
                names.add("analytics_py.browser")
            elif node.level >= 2:
                names.update(f"analytics_py.{alias.name}" for alias in node.names)
            elif node.module:
                names.add(node.module)
    return names


def test_core_and_destinations_import_no_browser_module():
    offenders = {
        path.name: sorted(name for name in imported_modules(path)
                          if any(name == f or name.startswith(f + ".") for f in FORBIDDEN))
        for folder in PURE for path in (PACKAGE / folder).glob("*.py")
    }
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_the_package_imports_under_cpython():
    import analytics_py

    assert analytics_py.__version__
    assert "analytics" in analytics_py.__all__
