"""A clear error for a standard-library module the bundle's trimmed stdlib leaves out.

The trimmed zip lists what it leaves out (``analytics_py-left-out.txt``, written by
web/runtime/stdlib.py). Importing one of those from a page's own Python then says how to get
the whole standard library, instead of Pyodide's note that blames browser limitations.
"""

from __future__ import annotations

import sys
import zipfile
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Sequence

LEFT_OUT = "analytics_py-left-out.txt"
HINT = ("No module named {name!r}: analytics_py loads a trimmed Python standard library; "
        "call analytics.load(writeKey, {{pythonStdlib: 'full'}}) to have all of it")


def _left_out() -> frozenset[str]:
    """The names the stdlib zip on ``sys.path`` lists as left out (none: the full stdlib)."""
    for entry in sys.path:
        if entry.endswith(".zip"):
            try:
                with zipfile.ZipFile(entry) as stdlib:
                    return frozenset(stdlib.read(LEFT_OUT).decode().split())
            except (OSError, KeyError, zipfile.BadZipFile):
                return frozenset()
    return frozenset()


class LeftOutFinder:
    """Last on ``sys.meta_path``, so it only hears of modules nothing else found; the list is
    read on the first such miss, not at page start-up."""

    def __init__(self) -> None:
        self._names: frozenset[str] | None = None

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if self._names is None:
            self._names = _left_out()
        if fullname not in self._names:
            return None
        error = ModuleNotFoundError(HINT.format(name=fullname), name=fullname)
        error._PYODIDE_ADDED_NOTE = True  # type: ignore[attr-defined] # Pyodide's own note would mislead
        raise error


def install() -> None:
    """Add the finder (once)."""
    if not any(isinstance(finder, LeftOutFinder) for finder in sys.meta_path):
        sys.meta_path.append(LeftOutFinder())
