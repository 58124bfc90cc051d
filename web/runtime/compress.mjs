/*
 * Write brotli (.br) and gzip (.gz) variants beside each file named on the command line,
 * as a CDN would serve them: node compress.mjs <cache dir> <file>... A variant that saves under
 * 5% (an already-deflated wheel) is not written: the file is then served as it is. Variants are
 * kept in the cache dir by content hash (brotli at its best level takes a minute for the wasm);
 * an entry no build has used for KEEP_DAYS is deleted.
 */
import { createHash } from "node:crypto";
import {
  copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const KEEP_DAYS = 30;
const [cache, ...files] = process.argv.slice(2);
mkdirSync(cache, { recursive: true });
for (const file of files) {
  const data = readFileSync(file);
  const key = join(cache, createHash("sha256").update(data).digest("hex"));
  if (existsSync(key + ".done")) utimesSync(key + ".done", new Date(), new Date());
  else compress(data, key);
  for (const suffix of [".br", ".gz"]) {
    if (existsSync(key + suffix)) copyFileSync(key + suffix, file + suffix);
  }
}
prune();

/** Delete the variants of every entry whose .done mark no build has touched for KEEP_DAYS. */
function prune() {
  const oldest = Date.now() - KEEP_DAYS * 86400_000;
  for (const name of readdirSync(cache)) {
    if (!name.endsWith(".done") || statSync(join(cache, name)).mtimeMs >= oldest) continue;
    const key = join(cache, name.slice(0, -".done".length));
    for (const suffix of [".br", ".gz", ".done"]) rmSync(key + suffix, { force: true });
  }
}

function compress(data, key) {
  const variants = {
    ".br": brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    ".gz": gzipSync(data, { level: 9 }),
  };
  for (const [suffix, compressed] of Object.entries(variants)) {
    if (compressed.length < data.length * 0.95) writeFileSync(key + suffix, compressed);
  }
  writeFileSync(key + ".done", "");
}
