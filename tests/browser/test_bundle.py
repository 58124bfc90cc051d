"""The built bundle's shape and bytes (deterministic, so asserted): what a cold visit downloads."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

COLD_BUDGET_BYTES = 4_500_000
RUNTIME_PATHS = """() => performance.getEntriesByType("resource").map(e => new URL(e.name).pathname)
  .filter(p => p.startsWith("/rt/"))"""


def _runtime(bundle: Path) -> Path:
    return bundle / json.loads((bundle / "build.json").read_text())["runtime"]


def _as_sent(path: Path) -> int:
    """Bytes on the wire for a browser that accepts brotli (the file itself if it has no variant)."""
    variant = path.with_name(path.name + ".br")
    return (variant if variant.exists() else path).stat().st_size


def test_a_cold_visit_downloads_at_most_the_budget(bundle, page, site, collector, write_key):
    """The files a page with the snippet fetches, counted as sent to a brotli-accepting browser."""
    page.goto(site.page(write_key=write_key, setup='analytics.track("Budget");'))
    collector.wait_for(write_key, 1, named="Budget")
    fetched = page.evaluate(RUNTIME_PATHS)
    total = sum(_as_sent(bundle / path.lstrip("/")) for path in fetched) + _as_sent(bundle / "snippet.min.js")
    assert 4_000_000 < total <= COLD_BUDGET_BYTES, f"{total:,} bytes in {len(fetched)} files"


def test_the_runtime_lives_in_one_content_hashed_folder_the_snippet_names(bundle):
    runtime = _runtime(bundle)
    assert re.fullmatch(r"rt/[0-9a-f]{12}", str(runtime.relative_to(bundle)))
    assert [p.name for p in (bundle / "rt").iterdir()] == [runtime.name]
    assert f"/rt/{runtime.name}" in (bundle / "snippet.min.js").read_text()


def test_the_trimmed_stdlib_is_stored_bytecode_and_smaller_than_the_full_one(bundle):
    pyodide = _runtime(bundle) / "pyodide"
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as trimmed, \
            zipfile.ZipFile(pyodide / "python_stdlib_full.zip") as full:
        names, every = set(trimmed.namelist()), set(full.namelist())
        left_out = trimmed.read("analytics_py-left-out.txt").decode().split()
        names.discard("analytics_py-left-out.txt")
        assert names < every and not any(n.endswith(".py") for n in every)
        assert "statistics" in left_out and "json" not in left_out
        assert {i.compress_type for i in trimmed.infolist()} == {zipfile.ZIP_STORED}
        assert {"json/__init__.pyc", "asyncio/__init__.pyc", "encodings/utf_8.pyc", "numbers.pyc"} <= names
        assert not names & {"pydoc.pyc", "unittest/__init__.pyc", "tkinter/__init__.pyc"}


def test_the_wheel_carries_bytecode_for_each_module_and_lists_it(bundle):
    (wheel,) = (_runtime(bundle) / "wheels").glob("analytics_py-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        record = archive.read(next(n for n in names if n.endswith("RECORD"))).decode()
    sources = [n for n in names if n.endswith(".py")]
    for source in sources:
        folder, _, file = source.rpartition("/")
        compiled = f"{folder}/__pycache__/{file[:-3]}.cpython-314.pyc"
        assert compiled in names and f"{compiled},sha256=" in record
    assert len(sources) > 30


def test_each_compressible_file_has_its_variants_and_they_are_smaller(bundle):
    wasm = _runtime(bundle) / "pyodide" / "pyodide.asm.wasm"
    sizes = [wasm.stat().st_size, *(wasm.with_name(wasm.name + s).stat().st_size for s in (".gz", ".br"))]
    assert sizes == sorted(sizes, reverse=True) and sizes[2] < sizes[0] / 3


def test_the_zips_the_build_writes_are_dated_1980_so_an_unchanged_build_keeps_its_hash(bundle):
    runtime = _runtime(bundle)
    written = [runtime / "pyodide" / "python_stdlib.zip", runtime / "pyodide" / "python_stdlib_full.zip",
               *(runtime / "wheels").glob("*.whl")]
    for path in written:
        with zipfile.ZipFile(path) as archive:
            assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}, path.name
