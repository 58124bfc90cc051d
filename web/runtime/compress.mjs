/*
 * Write brotli (.br) and gzip (.gz) variants beside each file named on the command line,
 * as a CDN would serve them: node compress.mjs <file>... A variant that saves under 5% (an
 * already-deflated wheel) is not written: the file is then served as it is.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

for (const file of process.argv.slice(2)) {
  const data = readFileSync(file);
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
    if (compressed.length < data.length * 0.95) writeFileSync(file + suffix, compressed);
  }
}
