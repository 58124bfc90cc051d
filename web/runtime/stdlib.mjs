/*
 * Write Pyodide's standard library as precompiled zips, using Pyodide's own Python under Node:
 *
 *   node stdlib.mjs <pyodide dir> <out dir> <source root>...
 *
 * Each source root is a folder of Python packages (ours, PyScript's, micropip's) whose imports
 * the trimmed zip must satisfy. stdlib.py does the work; this file only boots the interpreter
 * and mounts the host folders it reads and writes.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const [pyodideDir, outDir, ...roots] = process.argv.slice(2).map((p) => resolve(p));
const { loadPyodide } = await import(join(pyodideDir, "pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
const mount = (host, at) => {
  pyodide.FS.mkdirTree(at);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: host }, at);
  return at;
};
const out = mount(outDir, "/out");
const mounted = roots.map((root, i) => mount(root, `/roots/${i}`));
const script = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "stdlib.py"), "utf8");
pyodide.globals.set("OUT", out);
pyodide.globals.set("ROOTS", pyodide.toPy(mounted));
try {
  pyodide.runPython(script, { filename: "stdlib.py" });
  await importsEverything(join(outDir, "python_stdlib.zip"), roots[0], pyodide.globals.get("OUR_MODULES").toJs());
} catch (error) {
  console.error(String(error.message || error));
  process.exit(1);
}

/** Proof that the trimmed zip is enough: a fresh interpreter on it imports every module of ours. */
async function importsEverything(stdlib, root, names) {
  const fresh = await loadPyodide({ indexURL: pyodideDir + "/", stdLibURL: stdlib });
  fresh.FS.mkdirTree("/ours");
  fresh.FS.mount(fresh.FS.filesystems.NODEFS, { root }, "/ours");
  fresh.globals.set("NAMES", fresh.toPy(names));
  fresh.runPython(`
import importlib, sys
sys.path.insert(0, "/ours")
for name in NAMES:
    importlib.import_module(name)
print(f"stdlib.mjs: the trimmed standard library imports all {len(NAMES)} modules of ours")
`);
}
