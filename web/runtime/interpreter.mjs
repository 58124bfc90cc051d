/*
 * The interpreter module PyScript loads (config `interpreter`): Pyodide's own loadPyodide with
 * the standard library the snippet chose (analytics._stdlib): the trimmed, precompiled zip, or
 * the full one for analytics.load(key, {pythonStdlib: "full"}).
 */
import { loadPyodide as loadPyodideWith, version } from "./pyodide.mjs";

export { version };

/** The interpreter once loaded (the benchmark reads its wasm memory size from here). */
export let runtime = null;

export async function loadPyodide(options) {
  const zip = (globalThis.analytics && globalThis.analytics._stdlib) || "python_stdlib.zip";
  runtime = await loadPyodideWith({ ...options, stdLibURL: new URL(zip, import.meta.url).href });
  return runtime;
}
