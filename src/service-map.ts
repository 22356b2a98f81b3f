/**
 * The repository's service map: the resources it runs itself (a compose service of a product's image) under the
 * names the rest of the repository reaches them by. Reading each file alone, `DB_HOST: postgres` is a "database"
 * somewhere and `Redis(host="redis")` a word; with the map, both are the service of that name, with its product
 * and port, in every language. A bare word read from code that names no service stays a word.
 */
import { defaultPort, ONLY_PORTS } from './catalog/index.js';
import type { Finding, Kind } from './result-model.js';
import type { ScanOutput } from './scanner.js';

/** Kinds that say "some server" rather than which product: the map may name the product. */
const VAGUE_KINDS: ReadonlySet<Kind> = new Set<Kind>(['database', 'http']);

interface MappedService { kind: Kind | null; port: number | null }

/** Names → services, from every file's `services`; a name two files give different products is kept, without a product. */
export function serviceMapOf(outputs: Iterable<ScanOutput>): ReadonlyMap<string, MappedService> {
  const map = new Map<string, MappedService>();
  for (const output of outputs) {
    for (const s of output.services ?? []) {
      for (const raw of s.names) {
        const name = raw.toLowerCase();
        const prev = map.get(name);
        if (!prev) map.set(name, { kind: s.kind, port: s.port });
        else if (prev.kind !== s.kind) map.set(name, { kind: null, port: null });
      }
    }
  }
  return map;
}

/** The kinds that speak S3's API: an endpoint of one that names a service of the other takes the service's. */
const OBJECT_STORES: ReadonlySet<string> = new Set(['s3', 'minio']);

/**
 * Findings with the map applied: a host that names a service takes its product where the finding's kind was vague
 * (or came from a key word that the service's image contradicts only by being vaguer), and its port where none was
 * written; a bare word from code (`serviceHost`) stays only if it names a service.
 */
export function withServiceMap(findings: readonly Finding[], services: ReadonlyMap<string, MappedService>): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const { serviceHost, ...finding } = f;
    const service = f.host === null ? undefined : services.get(f.host.toLowerCase());
    if (!service) {
      if (!serviceHost) out.push(f);
      continue;
    }
    // Not a port the product does not serve on: `http://mailpit:8025` is the mail catcher's web API, not its SMTP.
    const offPort = service.kind !== null && finding.port !== null && ONLY_PORTS[service.kind] !== undefined && !ONLY_PORTS[service.kind]!.has(finding.port);
    // An S3 client's endpoint that is a MinIO service (`AWS_S3_ENDPOINT_URL=http://plane-minio:9000`) uses MinIO, and
    // one on MinIO's port that is another S3 server (`http://rustfs:9000`, RustFS) uses that server.
    const s3Compatible = OBJECT_STORES.has(finding.kind) && service.kind !== null && OBJECT_STORES.has(service.kind);
    const kind = service.kind !== null && !offPort && (VAGUE_KINDS.has(finding.kind) || s3Compatible) && finding.kind !== service.kind ? service.kind : finding.kind;
    const relabelled = kind !== finding.kind;
    // A port written for the vague kind's default (http 80) is no port at all once the product is known.
    const port = finding.port === null || (relabelled && finding.port === defaultPort(finding.kind)) ? service.port ?? defaultPort(kind) : finding.port;
    out.push({ ...finding, kind, port });
  }
  return out;
}
