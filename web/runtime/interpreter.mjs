/*
 * The interpreter module PyScript loads (config `interpreter`): Pyodide's own loadPyodide with
 * the standard library analytics_py ships. By default that is the trimmed, precompiled zip;
 * a page whose own Python needs the rest passes analytics.load(key, {pythonStdlib: "full"}).
 */
import { loadPyodide as loadPyodideWith, version } from "./pyodide.mjs";

export { version };

/** The interpreter once loaded (the benchmark reads its wasm memory size from here). */
export let runtime = null;

export async function loadPyodide(options) {
  const stub = globalThis.analytics;
  const wanted = stub && stub._loadOptions && stub._loadOptions.pythonStdlib;
  const zip = wanted === "full" ? "python_stdlib_full.zip" : "python_stdlib.zip";
  runtime = await loadPyodideWith({ ...options, stdLibURL: new URL(zip, import.meta.url).href });
  return runtime;
}
