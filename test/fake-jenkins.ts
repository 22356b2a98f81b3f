/**
 * A fake Jenkins on 127.0.0.1: `/api/json?tree=jobs[…]{a,b}` listings (paged), `config.xml`
 * per job, folders and multibranch projects nested as `/job/a/job/b/`, basic auth, and
 * scripted faults (a config that 500s, one that is forbidden).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeJob {
  name: string;
  _class: string;
  /** config.xml text, or an HTTP status to answer with. */
  config: string | number;
  jobs?: FakeJob[];
}

export interface FakeJenkins {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeJenkins(root: FakeJob[], auth?: { user: string; token: string }): Promise<FakeJenkins> {
  const requests: string[] = [];
  const expected = auth ? `Basic ${Buffer.from(`${auth.user}:${auth.token}`).toString('base64')}` : null;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname + url.search);
    if (expected && req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Jenkins"' });
      res.end('Unauthorized');
      return;
    }
    const parts = url.pathname.split('/').filter(Boolean);
    let jobs = root;
    let job: FakeJob | undefined;
    let i = 0;
    for (; i + 1 < parts.length && parts[i] === 'job'; i += 2) {
      job = jobs.find((j) => j.name === decodeURIComponent(parts[i + 1]!));
      if (!job) { res.writeHead(404); res.end(); return; }
      jobs = job.jobs ?? [];
    }
    const rest = parts.slice(i).join('/');
    if (rest === 'api/json') {
      const range = /\{(\d+),(\d+)\}$/.exec(url.searchParams.get('tree') ?? '');
      const page = range ? jobs.slice(Number(range[1]), Number(range[2])) : jobs;
      // Like a Jenkins behind a proxy whose configured root URL is not the address clients use.
      const prefix = `http://jenkins.acme.internal:8080/${parts.slice(0, i).join('/')}${i ? '/' : ''}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ _class: job?._class ?? 'hudson.model.Hudson', jobs: page.map((j) => ({ _class: j._class, name: j.name, url: `${prefix}job/${encodeURIComponent(j.name)}/` })) }));
      return;
    }
    if (rest === 'config.xml' && job) {
      if (typeof job.config === 'number') { res.writeHead(job.config); res.end('error'); return; }
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(job.config);
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
