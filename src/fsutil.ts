import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** True when `p` is (or links to) a regular file; false when missing or unreadable. */
export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** True when `p` is (or links to) a folder; false when missing or unreadable. */
export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Reused read buffer: a catalog load reads tens of thousands of small files. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * The bytes of a regular file, as readFileSync would return them but without a new buffer
 * and an fstat per file (open, one read for a small file, close). The result is a view of `scratch`: valid until the next call.
 */
export function readBytes(absPath: string): Buffer {
  const fd = openSync(absPath, 'r');
  let n = 0;
  try {
    for (;;) {
      if (n === scratch.length) {
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger);
        scratch = bigger;
      }
      const want = scratch.length - n;
      const r = readSync(fd, scratch, n, want, null);
      n += r;
      // A read of a regular file that returns less than asked for has reached the end (the
      // callers read only files found as regular files): no second read to see 0 bytes.
      if (r < want) break;
    }
  } finally {
    closeSync(fd);
  }
  if (scratch.length > 1024 * 1024) {
    // a large file: hand over this buffer, keep a small one for the next files
    const big = scratch.subarray(0, n);
    scratch = Buffer.allocUnsafe(64 * 1024);
    return big;
  }
  return scratch.subarray(0, n);
}

