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


class LeftOutFinder:
    """Last on ``sys.meta_path``: speaks only for left-out modules that nothing else found."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname not in self.names:
            return None
        error = ModuleNotFoundError(HINT.format(name=fullname), name=fullname)
        error._PYODIDE_ADDED_NOTE = True  # type: ignore[attr-defined] # Pyodide's own note would mislead
        raise error


def install() -> None:
    """Add the finder when the stdlib on ``sys.path`` is the trimmed one (once)."""
    if any(isinstance(finder, LeftOutFinder) for finder in sys.meta_path):
        return
    for entry in sys.path:
        if entry.endswith(".zip"):
            try:
                with zipfile.ZipFile(entry) as stdlib:
                    names = stdlib.read(LEFT_OUT).decode().split()
            except (OSError, KeyError, zipfile.BadZipFile):
                return  # the full standard library, or no zip: nothing is left out
            sys.meta_path.append(LeftOutFinder(frozenset(names)))
            return
