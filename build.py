#!/usr/bin/env python3
"""Build, serve, test and measure analytics_py.

    python3 build.py            build the wheel and the static bundle in web/dist/
    python3 build.py serve      build, then serve the demo + collector on http://127.0.0.1:8000/
    python3 build.py load       load the collector: 100 concurrent pages x 50 events (bench/load.py)
    python3 build.py test       build, then run the whole test suite (pytest arguments may follow)
    python3 build.py bench      build, then benchmark analytics_py against analytics.js in Chromium

Runs with the standard library only until it has made .venv (pinned Python packages) and
web/node_modules (pinned npm packages); then it re-runs itself inside .venv.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
WEB = ROOT / "web"
DIST = WEB / "dist"
CACHE = ROOT / "build"
REQUIREMENTS = ROOT / "requirements-dev.txt"
# The PyPI wheels of the versions Pyodide's lock names, pinned by hash.
PYPI_WHEELS = {
    "micropip": ("0.11.1", "768de165adb8e66906039d8fec4127a57f522dfdf8e6fbff877a4616941ecfd3"),
    "packaging": ("26.1", "5d9c0669c6285e491e0ced2eee587eaf67b670d94a19e94e3984a481aba6802f"),
}
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
# The code editor and terminal libraries PyScript loads only for <py-editor> / <py-terminal>.
PYSCRIPT_UNUSED = ("*.map", "codemirror*", "xterm*")
COMPRESSIBLE = (".js", ".mjs", ".wasm", ".zip", ".whl", ".json", ".css", ".html", ".svg")
RUNTIME = WEB / "runtime"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
SNIPPET_MARK = "<!-- analytics_py snippet -->"


def run(*command: str | Path, cwd: Path = ROOT) -> None:
    subprocess.run([str(c) for c in command], cwd=cwd, check=True)


def _venv_python() -> Path:
    return VENV / "bin" / "python"


def _stale(target: Path, source: Path) -> bool:
    return not target.exists() or target.stat().st_mtime < source.stat().st_mtime


def ensure_environment() -> None:
    """Make .venv and web/node_modules from the pins, then continue inside .venv."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            sys.exit(f"build.py: `{tool}` is missing. Install Node.js 20+ (Debian: apt-get install nodejs npm).")
    stamp = VENV / ".requirements-installed"
    if _stale(stamp, REQUIREMENTS):
        if not _venv_python().exists():
            venv.create(VENV, with_pip=True)
        run(_venv_python(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "-r", REQUIREMENTS)
        stamp.touch()
    npm_stamp = WEB / "node_modules" / ".package-lock.json"
    if _stale(npm_stamp, WEB / "package-lock.json"):
        run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", cwd=WEB)
    if Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(_venv_python(), [str(_venv_python()), __file__, *sys.argv[1:]])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_wheel() -> Path:
    out = CACHE / "wheel"
    shutil.rmtree(out, ignore_errors=True)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
        "--no-build-isolation", "--wheel-dir", out, ROOT)
    (wheel,) = out.glob("analytics_py-*-py3-none-any.whl")
    return wheel


def pypi_wheel(name: str) -> Path:
    """Download (once) the pinned PyPI wheel and check its hash."""
    version, expected = PYPI_WHEELS[name]
    folder = CACHE / "pypi"
    found = list(folder.glob(f"{name}-{version}-py3-none-any.whl"))
    if not found:
        run(sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
            "--no-deps", "--only-binary=:all:", "--python-version", "3.13", "-d", folder,
            f"{name}=={version}")
        found = list(folder.glob(f"{name}-{version}-py3-none-any.whl"))
    if sha256(found[0]) != expected:
        sys.exit(f"build.py: {found[0].name} does not match its pinned sha256")
    return found[0]


def trimmed_lock(lock: dict[str, Any]) -> dict[str, Any]:
    """Pyodide's lock cut to the packages the bundle ships, with the hashes of our files."""
    packages = {}
    for name, (version, _) in PYPI_WHEELS.items():
        entry = lock["packages"][name]
        if entry["version"] != version:
            sys.exit(f"build.py: Pyodide's lock wants {name} {entry['version']}, pinned {version}")
        wheel = pypi_wheel(name)
        packages[name] = {**entry, "file_name": wheel.name, "sha256": sha256(wheel)}
    return {**lock, "packages": packages}


def standard_library(target: Path, wheel: Path) -> Path:
    """The trimmed and the full stdlib zips (bytecode, made by Pyodide's own Python under Node),
    reused while Pyodide, the stdlib scripts and our package's sources are unchanged; returns
    the folder of our package's bytecode made alongside."""
    with zipfile.ZipFile(wheel) as archive:
        sources = b"".join(archive.read(n) for n in sorted(archive.namelist()) if n.endswith(".py"))
    key = hashlib.sha256(b"".join([
        (WEB / "node_modules" / "pyodide" / "package.json").read_bytes(),
        (RUNTIME / "stdlib.py").read_bytes(), (RUNTIME / "stdlib.mjs").read_bytes(), sources,
    ])).hexdigest()[:16]
    cached = CACHE / "stdlib" / key
    if not (cached / "python_stdlib.zip").exists():
        shutil.rmtree(CACHE / "stdlib", ignore_errors=True)
        roots = CACHE / "stdlib-roots"
        shutil.rmtree(roots, ignore_errors=True)
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(roots / "analytics_py")
        cached.mkdir(parents=True)
        run("node", RUNTIME / "stdlib.mjs", WEB / "node_modules" / "pyodide", cached, roots / "analytics_py",
            WEB / "node_modules" / "@pyscript" / "core" / "src" / "stdlib")
    for name in ("python_stdlib.zip", "python_stdlib_full.zip"):
        shutil.copy2(cached / name, target / name)
    return cached / "bytecode"


def with_bytecode(wheel: Path, bytecode: Path, target: Path) -> None:
    """A copy of the wheel that also carries its modules' CPython 3.14 bytecode (__pycache__,
    unchecked hashes), listed in RECORD, so the page imports without compiling. Stored
    uncompressed: brotli over the whole file, at the HTTP layer, compresses it better. Entries
    carry a fixed date, so an unchanged package gives the same bytes and the same rt/ hash."""
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        record_name = next(n for n in source.namelist() if n.endswith(".dist-info/RECORD"))
        record = source.read(record_name).decode()
        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            out.writestr(info, data)

        for info in source.infolist():
            if info.filename != record_name:
                add(info.filename, source.read(info))
        for pyc in sorted(bytecode.rglob("*.pyc")):
            name, data = str(pyc.relative_to(bytecode)), pyc.read_bytes()
            add(name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record += f"{name},sha256={digest},{len(data)}\n"
        add(record_name, record.encode())


def assemble_pyodide(target: Path, wheel: Path) -> Path:
    """Pyodide's core files, our interpreter entry and stdlib, micropip and packaging, the lock."""
    source = WEB / "node_modules" / "pyodide"
    target.mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copy2(source / name, target / name)
    shutil.copy2(RUNTIME / "interpreter.mjs", target / "interpreter.mjs")
    bytecode = standard_library(target, wheel)
    for name in PYPI_WHEELS:
        shutil.copy2(pypi_wheel(name), target)
    lock = trimmed_lock(json.loads((source / "pyodide-lock.json").read_text()))
    (target / "pyodide-lock.json").write_text(json.dumps(lock, separators=(",", ":")))
    return bytecode


def assemble_pyscript(target: Path) -> None:
    source = WEB / "node_modules" / "@pyscript" / "core" / "dist"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*PYSCRIPT_UNUSED))


def assemble_runtime(wheel: Path) -> str:
    """Pyodide, PyScript and our wheel in dist/rt/<content hash>/; returns that folder's name."""
    staging = CACHE / "runtime"
    shutil.rmtree(staging, ignore_errors=True)
    bytecode = assemble_pyodide(staging / "pyodide", wheel)
    assemble_pyscript(staging / "pyscript")
    (staging / "wheels").mkdir()
    with_bytecode(wheel, bytecode, staging / "wheels" / wheel.name)
    digest = hashlib.sha256()
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(staging)).encode() + b"\0" + path.read_bytes())
    name = digest.hexdigest()[:12]
    shutil.move(staging, DIST / "rt" / name)
    return name


def precompress() -> None:
    """Brotli and gzip variants beside every compressible file, served by Accept-Encoding."""
    files = [p for p in DIST.rglob("*") if p.is_file() and p.suffix in COMPRESSIBLE]
    run("node", RUNTIME / "compress.mjs", CACHE / "compressed", *files)


def build_snippet(runtime: str, wheel_name: str) -> str:
    """The minified snippet, naming this build's runtime folder, wheel and PyScript core chunk."""
    (core,) = (DIST / "rt" / runtime / "pyscript").glob("core-*.js")
    source = (WEB / "snippet.js").read_text().replace("__ANALYTICS_PY_RUNTIME__", f"rt/{runtime}")
    source = source.replace("__ANALYTICS_PY_WHEEL__", wheel_name).replace("__ANALYTICS_PY_PYSCRIPT_CORE__", core.name)
    staged = CACHE / "snippet.js"
    staged.write_text(source)
    terser = WEB / "node_modules" / "terser" / "bin" / "terser"
    result = subprocess.run(["node", str(terser), str(staged), "--compress", "--mangle"],
                            check=True, capture_output=True, text=True)
    (DIST / "snippet.js").write_text(source)
    (DIST / "snippet.min.js").write_text(result.stdout)
    return result.stdout.strip()


def content_security_policy(inline_script: str) -> str:
    """The strict policy the demo is served with: our own origin only, the inline snippet by
    its hash, and the two evals the runtime needs (PyScript's Function(), Pyodide's wasm)."""
    digest = base64.b64encode(hashlib.sha256(inline_script.encode()).digest()).decode()
    return (f"default-src 'self'; script-src 'self' 'sha256-{digest}' 'unsafe-eval' "
            "'wasm-unsafe-eval'")


def build_demo(snippet: str) -> str:
    """The demo page with the snippet pasted in; returns the policy to serve it with."""
    inline = f'\n{snippet}\nanalytics.load("demo-write-key");\nanalytics.page();\n'
    page = (WEB / "demo.html").read_text().replace(SNIPPET_MARK, f"<script>{inline}</script>")
    (DIST / "index.html").write_text(page)
    for name in ("demo.js", "demo.css", "favicon.svg"):
        shutil.copy2(WEB / name, DIST / name)
    return content_security_policy(inline)


def build() -> dict[str, int]:
    """Everything in web/dist/; returns the bundle's sizes in bytes (raw and gzipped)."""
    CACHE.mkdir(exist_ok=True)
    wheel = build_wheel()
    shutil.rmtree(DIST, ignore_errors=True)
    (DIST / "rt").mkdir(parents=True)
    runtime = assemble_runtime(wheel)
    snippet = build_snippet(runtime, wheel.name)
    policy = build_demo(snippet)
    precompress()
    sizes = {"snippet.min.js": len(snippet.encode()),
             "snippet.min.js gzipped": len(gzip.compress(snippet.encode(), 9)),
             "wheel": wheel.stat().st_size}
    (DIST / "build.json").write_text(json.dumps(
        {"wheel": wheel.name, "runtime": f"rt/{runtime}", "sizes": sizes, "csp": policy}, indent=1))
    print(f"build.py: web/dist ready (rt/{runtime}, {wheel.name}; snippet {sizes['snippet.min.js gzipped']} B gzipped)")
    return sizes


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "build"
    if command not in ("build", "serve", "test", "bench", "load"):
        sys.exit(__doc__)
    ensure_environment()
    build()
    if command == "serve":
        policy = json.loads((DIST / "build.json").read_text())["csp"]
        run(sys.executable, "-m", "collector", "--dist", DIST, "--csp", policy, *sys.argv[2:])
    elif command == "test":
        os.environ["ANALYTICS_PY_BUNDLE_BUILT"] = "1"
        sys.exit(subprocess.run([sys.executable, "-m", "pytest", *sys.argv[2:]], cwd=ROOT).returncode)
    elif command == "bench":
        run(sys.executable, ROOT / "bench" / "compare.py", *sys.argv[2:])
    elif command == "load":
        run(sys.executable, ROOT / "bench" / "load.py", *sys.argv[2:])


if __name__ == "__main__":
    main()
