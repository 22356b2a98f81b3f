/**
 * How a command ends: its exit code, and the lines it says on stderr. Apart from shared.ts because the program loads
 * it before any command (cli.ts), and `--version` or a hook should not wait for the report writers.
 */
import { printableLines } from '../text.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FATAL = 2;
/** `batch`: some repositories failed (clone, auth, timeout); the others were scanned and saved. */
export const EXIT_SOME_FAILED = 3;

/** One line on stderr; names from repositories and servers in it are made terminal-safe. */
export function printLine(msg: string): void {
  process.stderr.write(`${printableLines(msg)}\n`);
}
