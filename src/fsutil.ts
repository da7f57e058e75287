import { statSync } from 'node:fs';

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
