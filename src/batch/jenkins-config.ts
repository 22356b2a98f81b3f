/**
 * What a Jenkins job's `config.xml` says about its source: the Git URL, branch,
 * credentials id and Jenkinsfile path, for freestyle jobs (GitSCM), pipelines from SCM
 * (CpsScmFlowDefinition), inline pipeline scripts (`git url: …`, `checkout([$class:
 * 'GitSCM', …])`), multibranch projects (Git, GitHub, GitLab, Bitbucket branch sources)
 * and folders. Pure: text in, description out; the callers fetch the XML.
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import { redactUrl } from './git.js';

export type JobType = 'folder' | 'multibranch' | 'pipeline' | 'freestyle' | 'other';

export interface JobScm {
  type: JobType;
  /** Why no Git URL was found, when a reason is known (another SCM, a parameterised URL). */
  note?: string;
  url: string | null;
  branch: string | null;
  credentialsId: string | null;
  scriptPath: string | null;
}

/** `*\/master`, `origin/main`, `refs/heads/dev` → the branch; wildcards and parameters → null (the default branch). */
export function normalizeBranch(spec: string | null | undefined): string | null {
  if (!spec) return null;
  let b = spec.trim();
  // Wildcards, parameters, regex specs and tags do not name one branch: the default branch stands in.
  if (b === '' || /[*?]|\$\{?|^:/.test(b.replace(/^\*\//, '')) || /^(refs\/)?tags\//.test(b)) return null;
  b = b.replace(/^\*\//, '').replace(/^refs\/heads\//, '').replace(/^origin\//, '').replace(/^remotes\/origin\//, '');
  return b || null;
}

function children(el: Element, name: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (n as Element).tagName === name) out.push(n as Element);
  return out;
}

function firstDescendant(el: Element, name: string): Element | null {
  return el.getElementsByTagName(name)[0] ?? null;
}

function text(el: Element | null): string | null {
  const t = el?.textContent?.trim();
  return t ? t : null;
}

/** The first GitSCM under `el` (freestyle `<scm>` or a pipeline definition's `<scm>`); MultiSCM lists several. */
function gitScm(el: Element): Pick<JobScm, 'url' | 'branch' | 'credentialsId'> | null {
  const scms = [...Array.from(el.getElementsByTagName('scm')), ...Array.from(el.getElementsByTagName('hudson.plugins.git.GitSCM'))]
    .filter((s) => s.getAttribute('class') === 'hudson.plugins.git.GitSCM' || s.tagName === 'hudson.plugins.git.GitSCM');
  for (const scm of scms) {
    const remote = firstDescendant(scm, 'hudson.plugins.git.UserRemoteConfig');
    const url = text(remote ? firstDescendant(remote, 'url') : null);
    if (!url) continue;
    const branchSpec = firstDescendant(scm, 'hudson.plugins.git.BranchSpec');
    return { url, branch: normalizeBranch(text(branchSpec ? firstDescendant(branchSpec, 'name') : null)), credentialsId: text(remote ? firstDescendant(remote, 'credentialsId') : null) };
  }
  return null;
}

/** `git url: '…', branch: '…'`, `git '…'`, and `checkout([$class: 'GitSCM', branches: [[name: '…']], userRemoteConfigs: [[url: '…']]])`. */
export function scmFromPipelineScript(script: string): Pick<JobScm, 'url' | 'branch' | 'credentialsId'> | null {
  const checkout = /\$class\s*:\s*['"]GitSCM['"][\s\S]*?userRemoteConfigs\s*:\s*\[\s*\[([^\]]*)\]/.exec(script);
  if (checkout) {
    const url = /\burl\s*:\s*['"]([^'"]+)['"]/.exec(checkout[1]!)?.[1];
    if (url) {
      const around = script.slice(checkout.index, checkout.index + checkout[0].length + 200);
      return {
        url,
        branch: normalizeBranch(/branches\s*:\s*\[\s*\[\s*name\s*:\s*['"]([^'"]+)['"]/.exec(around)?.[1]),
        credentialsId: /credentialsId\s*:\s*['"]([^'"]+)['"]/.exec(checkout[1]!)?.[1] ?? null,
      };
    }
  }
  for (const m of script.matchAll(/(?<![\w.])git\s*\(?\s*([^\n)]*)/g)) {
    const args = m[1]!;
    const url = /\burl\s*:\s*['"]([^'"]+)['"]/.exec(args)?.[1] ?? /^['"]([^'"]+)['"]\s*$/.exec(args.trim())?.[1];
    if (!url || !/[:/]/.test(url)) continue;
    return {
      url,
      branch: normalizeBranch(/\bbranch\s*:\s*['"]([^'"]+)['"]/.exec(args)?.[1]),
      credentialsId: /\bcredentialsId\s*:\s*['"]([^'"]+)['"]/.exec(args)?.[1] ?? null,
    };
  }
  return null;
}

/** Multibranch branch sources: plain Git, GitHub, GitLab, Bitbucket. */
function branchSource(root: Element): Pick<JobScm, 'url' | 'credentialsId'> | null {
  const source = Array.from(root.getElementsByTagName('source')).find((s) => s.getAttribute('class'));
  if (!source) return null;
  const cls = source.getAttribute('class') ?? '';
  const credentialsId = text(children(source, 'credentialsId')[0] ?? null);
  const remote = text(children(source, 'remote')[0] ?? null) ?? text(children(source, 'repositoryUrl')[0] ?? null);
  if (remote) return { url: remote, credentialsId };
  const owner = text(children(source, 'repoOwner')[0] ?? null) ?? text(children(source, 'projectOwner')[0] ?? null);
  const repo = text(children(source, 'repository')[0] ?? null) ?? text(children(source, 'projectPath')[0] ?? null);
  const server = text(children(source, 'serverUrl')[0] ?? null) ?? text(children(source, 'apiUri')[0] ?? null);
  if (/github/i.test(cls) && owner && repo) return { url: `${(server ?? 'https://github.com').replace(/\/api\/v3\/?$/, '').replace(/\/$/, '')}/${owner}/${repo}.git`, credentialsId };
  if (/gitlab/i.test(cls) && repo) return { url: `${(server ?? 'https://gitlab.com').replace(/\/$/, '')}/${repo.includes('/') ? repo : `${owner}/${repo}`}.git`, credentialsId };
  if (/bitbucket/i.test(cls) && owner && repo) return { url: `${(server ?? 'https://bitbucket.org').replace(/\/$/, '')}/${owner}/${repo}.git`, credentialsId };
  return null;
}

/** Parses one config.xml; throws with the parser's message when the XML is broken. */
export function parseJobConfig(xml: string): JobScm {
  let problem: string | null = null;
  let doc;
  try {
    doc = new DOMParser({ onError: (level, message) => { if (level !== 'warning' && !problem) problem = message; } }).parseFromString(xml, 'text/xml');
  } catch (e) {
    throw new Error(`invalid config.xml: ${(e as Error).message}`);
  }
  const root = doc.documentElement;
  if (problem || !root) throw new Error(`invalid config.xml: ${problem ?? 'no root element'}`);
  const tag = root.tagName;
  const scriptPath = text(firstDescendant(root as unknown as Element, 'scriptPath'));
  if (/Folder$|OrganizationFolder$/.test(tag) || tag === 'jenkins.branch.OrganizationFolder') {
    return { type: 'folder', url: null, branch: null, credentialsId: null, scriptPath: null };
  }
  if (/MultiBranchProject$/.test(tag)) {
    const src = branchSource(root as unknown as Element);
    return { type: 'multibranch', url: src?.url ?? null, branch: null, credentialsId: src?.credentialsId ?? null, scriptPath };
  }
  const type: JobType = tag === 'flow-definition' ? 'pipeline' : tag === 'project' || tag === 'maven2-moduleset' ? 'freestyle' : 'other';
  const scm = gitScm(root as unknown as Element);
  if (scm && /\$\{?\w/.test(scm.url!)) return { type, url: null, branch: null, credentialsId: scm.credentialsId, scriptPath, note: `the repository URL is a build parameter (${redactUrl(scm.url!)})` };
  if (scm) return { type, ...scm, scriptPath };
  const other = Array.from((root as unknown as Element).getElementsByTagName('scm')).map((e) => e.getAttribute('class') ?? '').find((c) => c && !/NullSCM|GitSCM/.test(c));
  if (other) return { type, url: null, branch: null, credentialsId: null, scriptPath, note: `uses ${other.replace(/^.*\./, '')}, not Git` };
  const script = text(firstDescendant(root as unknown as Element, 'script'));
  const inline = script ? scmFromPipelineScript(script) : null;
  return { type, url: inline?.url ?? null, branch: inline?.branch ?? null, credentialsId: inline?.credentialsId ?? null, scriptPath };
}
