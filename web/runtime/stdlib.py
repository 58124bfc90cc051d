"""Run inside Pyodide by stdlib.mjs: write the standard library zips the bundle ships.

``python_stdlib.zip`` holds only the modules reachable from the interpreter's start-up, Pyodide's
own packages and the source roots (ours first, then PyScript's), found by modulefinder;
``python_stdlib_full.zip`` holds every module. Both carry bytecode instead of source
(unchecked-hash .pyc, as CPython 3.14 in Pyodide writes it), so importing skips compiling, and
are stored uncompressed, so the HTTP layer's brotli compresses across files. ``bytecode/``
holds the first root's modules compiled the same way, as ``__pycache__`` files for our wheel;
``OUR_MODULES`` names them for stdlib.mjs's import check.
"""

import importlib.util
import modulefinder
import os
import py_compile
import sys
import sysconfig
import zipfile

STDLIB = next(p for p in sys.path if p.endswith(".zip"))
EXTRACTED = "/tmp/stdlib"
# Imported by name at run time or from C modules, out of modulefinder's sight: codecs, the site
# hook, sysconfig's data, and what _datetime, _decimal and _pickle import.
ALWAYS = ("_strptime", "site", "_sitebuiltins", "_sysconfigdata__emscripten_wasm32-emscripten",
          "numbers", "copyreg", "_compat_pickle",
          *(f"encodings.{codec}" for codec in ("aliases", "utf_8", "utf_8_sig", "utf_16", "utf_16_le", "utf_16_be",
                                               "utf_32", "utf_32_le", "utf_32_be", "ascii", "latin_1", "cp1252",
                                               "charmap", "idna", "punycode", "raw_unicode_escape",
                                               "unicode_escape", "base64_codec", "hex_codec")))
WHOLE = ("_pyodide", "pyodide")  # Pyodide's own packages, kept entire
# In the trimmed zip: the modules it leaves out, one per line, for browser/stdlib_hint.py.
LEFT_OUT = "analytics_py-left-out.txt"
# Tools for people at a console, never reached by a page's code: the trimmed zip leaves them out.
TOOLS = ("pdb", "bdb", "_pyrepl", "pydoc", "pydoc_data", "doctest", "unittest", "multiprocessing", "tkinter",
         "idlelib", "turtle", "turtledemo", "ensurepip", "venv", "xmlrpc", "curses", "dbm", "sqlite3", "profile",
         "cProfile", "pstats", "trace", "timeit", "tabnanny", "pickletools", "webbrowser", "http.server",
         "smtplib", "imaplib", "poplib", "ftplib", "mailbox", "wsgiref", "zipapp", "compileall",
         # fallbacks for C modules this build has (_datetime, _decimal, _io), and Windows-only code
         "_pydatetime", "_pydecimal", "_pyio", "asyncio.windows_events", "asyncio.windows_utils",
         "asyncio.proactor_events", "nturl2path",
         # reached only from command-line entry points (main()) and optional diagnostics
         "argparse", "plistlib", "statistics", "fractions", "difflib", "tracemalloc", "modulefinder",
         # urllib's HTTP client (Pyodide fetches with fetch), subinterpreters, ctypes
         "urllib.request", "http.client", "http.cookiejar", "concurrent.futures.process",
         "concurrent.futures.interpreter", "concurrent.interpreters", "ctypes")


def module_of(entry: str) -> str:
    """``a/b/__init__.py`` -> ``a.b``; ``a/c.py`` -> ``a.c``."""
    parts = entry[:-3].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules_under(root: str) -> list[str]:
    """Dotted names of the .py modules in a folder of packages."""
    return sorted(module_of(os.path.relpath(os.path.join(folder, file), root).replace(os.sep, "/"))
                  for folder, _, files in os.walk(root) for file in files if file.endswith(".py"))


def needed_modules(roots: list[str]) -> set[str]:
    finder = modulefinder.ModuleFinder(path=[EXTRACTED, *roots], excludes=list(TOOLS))
    for name in [*sys.modules, *WHOLE, *ALWAYS, *(m for root in roots for m in modules_under(root))]:
        try:
            finder.import_hook(name)
        except (ImportError, AttributeError):
            pass  # a builtin, or a name the finder cannot place (namespace package): nothing to keep
    return set(finder.modules)


def keeps(entry: str, needed: set[str]) -> bool:
    if not entry.endswith(".py"):
        return True  # data files are few and small
    name = module_of(entry)
    return name in needed or name in ALWAYS or name.split(".")[0] in WHOLE


def bytecode(entry: str) -> bytes:
    compiled = py_compile.compile(f"{EXTRACTED}/{entry}", cfile=f"/tmp/pyc/{entry}c", dfile=f"{STDLIB}/{entry}",
                                  doraise=True, optimize=2, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    with open(compiled, "rb") as file:
        return file.read()


def write(target: str, stdlib: zipfile.ZipFile, entries: list[zipfile.ZipInfo], extra: dict[str, bytes]) -> None:
    """Entries with a fixed date: the same inputs give the same bytes (and the same rt/ hash)."""
    def add(name: str, data: bytes) -> None:
        entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        entry.external_attr = 0o644 << 16
        out.writestr(entry, data)

    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for info in entries:
            if info.filename.endswith(".py"):
                add(info.filename + "c", bytecode(info.filename))
            else:
                add(info.filename, stdlib.read(info))
        for name, data in extra.items():
            add(name, data)


def compile_package(root: str, target: str) -> int:
    """Bytecode of a root's modules as installed into site-packages: <target>/<pkg>/__pycache__/*.pyc."""
    site = sysconfig.get_paths()["purelib"]
    count = 0
    for folder, _, files in os.walk(root):
        for file in (f for f in files if f.endswith(".py")):
            relative = os.path.relpath(os.path.join(folder, file), root)
            cfile = os.path.join(target, importlib.util.cache_from_source(relative))
            py_compile.compile(os.path.join(folder, file), cfile=cfile, dfile=f"{site}/{relative}", doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            count += 1
    return count


def main() -> None:
    with zipfile.ZipFile(STDLIB) as stdlib:
        stdlib.extractall(EXTRACTED)
        files = [info for info in stdlib.infolist() if not info.is_dir()]
        needed = needed_modules(list(ROOTS))  # noqa: F821 (set by stdlib.mjs)
        kept = [info for info in files if keeps(info.filename, needed)]
        left_out = sorted(module_of(i.filename) for i in files if i.filename.endswith(".py") and i not in kept)
        write(f"{OUT}/python_stdlib.zip", stdlib, kept, {LEFT_OUT: "\n".join(left_out).encode()})  # noqa: F821
        write(f"{OUT}/python_stdlib_full.zip", stdlib, files, {})  # noqa: F821
    compiled = compile_package(ROOTS[0], f"{OUT}/bytecode")  # noqa: F821
    print(f"stdlib.py: kept {len(kept)} of {len(files)} stdlib files; compiled {compiled} modules of ours")


main()
OUR_MODULES = modules_under(ROOTS[0])  # noqa: F821
