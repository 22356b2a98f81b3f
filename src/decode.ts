/**
 * Bytes → text. Repositories from Chinese teams keep GBK/GB18030 files beside UTF-8
 * ones, Windows tools write UTF-16 with a BOM, and binaries hide among configs. Order:
 * BOM, binary sniffing (isbinaryfile), strict UTF-8, then chardet's best guess decoded
 * with iconv-lite.
 */
import { constants } from 'node:buffer';
import { isBinaryFileSync } from 'isbinaryfile';
import { onFirstUse } from './on-first-use.js';

// Most repositories are UTF-8 throughout: the guessers are loaded for the first file that is not.
const chardet = onFirstUse<typeof import('chardet')>('chardet');
const iconv = onFirstUse<typeof import('iconv-lite')>('iconv-lite');

export type Decoded =
  | { ok: true; text: string; encoding: string }
  | { ok: false; reason: 'binary' | 'decode-error' | 'too-large'; detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * UTF-16 without a BOM: mostly-ASCII text has NUL in nearly every high byte and almost
 * never in a low byte. chardet only recognises UTF-16 by its BOM.
 */
function utf16WithoutBom(sample: Buffer): 'utf-16le' | 'utf-16be' | null {
  let evenNul = 0;
  let oddNul = 0;
  const pairs = Math.floor(sample.length / 2);
  if (pairs < 2) return null;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) evenNul++;
    if (sample[i + 1] === 0) oddNul++;
  }
  if (oddNul > pairs * 0.7 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.7 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

/** How much of a file is enough to tell binary from text. */
export const SNIFF_BYTES = 8192;

/**
 * Binary or not, from the first bytes only: for files that no scanner reads. Returns the
 * reason when binary. A sample may end inside a multi-byte character, so only NULs
 * (outside UTF-16) and control bytes count.
 */
export function sniffBinary(head: Buffer): string | null {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return null;
  if (head.includes(0)) return utf16WithoutBom(head) ? null : 'contains NUL bytes';
  return controlBytes(head) > head.length / 100 ? 'control bytes in content' : null;
}

function controlBytes(sample: Buffer): number {
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) controls++;
  }
  return controls;
}

export function decodeBuffer(buf: Buffer): Decoded {
  // A byte becomes at most one UTF-16 unit in every encoding read here; more bytes than a string may hold would throw
  // "Cannot create a string longer than…" midway and fail the whole repository instead of this file.
  if (buf.length > constants.MAX_STRING_LENGTH) {
    return { ok: false, reason: 'too-large', detail: `${buf.length} bytes: more than the ${constants.MAX_STRING_LENGTH} characters a string can hold` };
  }
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { ok: true, text: buf.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  }
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { ok: true, text: iconv().decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { ok: true, text: iconv().decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  if (buf.length === 0) return { ok: true, text: '', encoding: 'utf-8' };
  const sample = buf.subarray(0, SNIFF_BYTES);
  if (sample.includes(0)) {
    // UTF-16 without a BOM has a NUL in every other byte of ASCII text; anything else with NULs is binary.
    const utf16 = utf16WithoutBom(sample);
    if (utf16) return { ok: true, text: iconv().decode(buf, utf16), encoding: utf16 };
    return { ok: false, reason: 'binary', detail: 'contains NUL bytes' };
  }
  // Text in any encoding has almost no C0 control bytes besides tab, CR, LF, FF and ESC.
  if (controlBytes(sample) > sample.length / 100) return { ok: false, reason: 'binary', detail: 'control bytes in content' };
  try {
    return { ok: true, text: utf8.decode(buf), encoding: 'utf-8' };
  } catch {
    // not UTF-8: fall through to detection
  }
  const candidates = chardet().analyse(buf.subarray(0, 65536));
  // Short Chinese texts score high for Big5/EUC-KR too; GB18030 is a superset of GBK and the likelier origin.
  const cjk = candidates.find((c) => c.name === 'GB18030' && c.confidence >= 50)
    ?? candidates.find((c) => /^(Big5|Shift_JIS|EUC-JP|EUC-KR)$/.test(c.name) && c.confidence >= 50);
  if (cjk) return { ok: true, text: iconv().decode(buf, cjk.name), encoding: cjk.name.toLowerCase() };
  // Only now ask whether it is binary: isbinaryfile counts CJK multi-byte text as binary.
  if (isBinaryFileSync(sample, sample.length)) return { ok: false, reason: 'binary', detail: 'binary content' };
  const best = candidates[0];
  if (!best || !iconv().encodingExists(best.name)) {
    return { ok: false, reason: 'decode-error', detail: 'not UTF-8 and no known encoding fits' };
  }
  return { ok: true, text: iconv().decode(buf, best.name), encoding: best.name.toLowerCase() };
}
