/**
 * Libraries loaded when first used rather than when a module is imported. A pre-commit hook (`scan --staged`) reads
 * a few files and has a quarter of a second for it (issue 28 §2): start-up is module loading, and a parser for a
 * format none of the staged files has (Dockerfiles, TOML, XML, another encoding) is time spent on every commit.
 * Only for CommonJS builds (each of these libraries ships one), which load synchronously inside a pure `scan`.
 */
import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/** `library()` is the library, loaded on the first call. `T` is its type: `typeof import('library')`. */
export function onFirstUse<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireFromHere(id) as T);
}
