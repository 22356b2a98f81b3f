/**
 * The contract between the engine and a scanner. A scanner is one file in `scanners/`
 * exporting a descriptor: which files it reads, whether it needs them even without a
 * keyword hit, and a pure `scan` from file text to findings. The engine knows nothing
 * about any format; a scanner knows nothing about walking, apps or the inventory.
 */
import type { Finding, Scope } from './result-model.js';
import type { SecretCandidate } from './secrets/detect.js';

/**
 * What every format lowers to: one key path, its value as written, and the line. The interpreter
 * (src/settings.ts) reads nothing else, so Spring, env-style and Helm knowledge is written once.
 */
export interface Setting {
  path: string[];
  value: string;
  line: number;
  /** A code constant that other values use: its secret is reported here, its connection where it is used. */
  definition?: boolean;
  /** The value was assembled from constants defined elsewhere: the connection is reported here, not the secret. */
  derived?: boolean;
}

export interface SourceFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  text: string;
  /** Values defined by the base config of the file's app (`jdbc.url` from jdbc.properties), for `${key}` references. */
  definitions?: ReadonlyMap<string, string>;
}

export interface ScanOutput {
  findings: Finding[];
  /** The application name the file declares (`spring.application.name`). */
  appName?: string;
  /** When several files of an app declare a name, the lowest priority wins (default 10). */
  appNamePriority?: number;
  /** The file could not be read as its format; the engine records it as skipped with this detail. */
  error?: { reason: 'parse-error' | 'template'; detail: string };
  /** Scope the content reveals (a Kubernetes manifest is `deploy` wherever it lives). */
  scope?: Scope;
  /** Credentials whose values the file holds (connection passwords, secret-named keys); raw values, in-process only. */
  secrets?: SecretCandidate[];
  /** Keys this file defines for the whole app (base profile only), offered to other files' `${key}` references. */
  definitions?: Record<string, string>;
}

export interface Scanner {
  id: string;
  description: string;
  /** Globs over the repo-relative path; a pattern without `/` matches the file name anywhere. */
  files: string[];
  excludeFiles?: string[];
  /**
   * A stricter pre-filter for expensive scanners (AST parsing): the file is parsed only if this
   * also matches. Source code mentions `url` or `host` everywhere; a parser is worth running
   * only where a driver, client or connection string appears.
   */
  keywords?: RegExp;
  /** Read the file even when no keyword matches (the file names resources by itself: image names, base64 data). */
  alwaysScan?: boolean;
  /** Scope of every file this scanner reads, when the format itself says it (deploy manifests). */
  scope?: Scope;
  scan(file: SourceFile): ScanOutput;
}

export function defineScanner(scanner: Scanner): Scanner {
  return scanner;
}
