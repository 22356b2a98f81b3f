/**
 * DockerfileScanner: `ENV` (and `ARG` defaults) of `Dockerfile`s, where images often bake
 * in a datasource URL or a Redis host. Parsed with dockerfile-ast (the parser behind the
 * VS Code Docker language server): continuations, quoting and both `ENV k=v` and the
 * legacy `ENV k v` form. `$VAR`/`${VAR}` in an ENV value refers to ARGs and earlier ENVs.
 */
import { onFirstUse } from '../src/on-first-use.js';
import { profileFromPath, profileFromEnvironment } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type SourceFile, type Setting } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';

interface PropertyLike {
  getName(): string;
  getValue(): string | null;
  getRange(): { start: { line: number } };
}

const dockerfileAst = onFirstUse<typeof import('dockerfile-ast')>('dockerfile-ast');

export function scanDockerfile(file: SourceFile): ScanOutput {
  const dockerfile = dockerfileAst().DockerfileParser.parse(file.text);
  const settings: Setting[] = [];
  const args = new Map<string, string>();
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword !== 'ENV' && keyword !== 'ARG') continue;
    const properties = (instruction as unknown as { getProperties(): PropertyLike[] }).getProperties();
    for (const p of properties) {
      const value = p.getValue() ?? '';
      if (keyword === 'ARG') {
        args.set(p.getName(), value);
        continue;
      }
      // Shell-style `$VAR` becomes `${VAR}` so the shared resolver sees it; an ARG default is a default.
      const normalized = value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, name: string) =>
        args.has(name) && args.get(name) !== '' ? `\${${name}:${args.get(name)}}` : `\${${name}}`);
      settings.push({ path: [p.getName()], value: normalized, line: p.getRange().start.line + 1 });
    }
  }
  return interpretSettings(settings, { profile: profileFromPath(file.path) ?? profileFromEnvironment(settings), definitions: file.definitions });
}

export default defineScanner({
  id: 'dockerfile',
  description: 'ENV and ARG defaults in Dockerfiles',
  files: ['Dockerfile', 'Dockerfile.*', '*.Dockerfile', '*.dockerfile', 'Containerfile'],
  scope: 'deploy',
  scan: scanDockerfile,
});
