/**
 * SpringYamlScanner: `application*.yml|yaml` and `bootstrap*.yml|yaml`. Each YAML
 * document is its own profile (`spring.profiles` or `spring.config.activate.on-profile`,
 * else the file name's `application-<profile>`); dotted keys and nested keys mean the same.
 */
import { defineScanner, type ScanOutput, type SourceFile } from '../src/scanner.js';
import { scanSpringDocuments } from './formats/spring.js';
import { flattenYaml, parseYaml } from './formats/yaml.js';

export function scanSpringYamlText(text: string, path: string, lineOffset = 0, definitions?: ReadonlyMap<string, string>): ScanOutput {
  const parsed = parseYaml(text, lineOffset);
  const documents = parsed.documents.map((y) => flattenYaml(y.doc.contents, y, [], { splitDottedKeys: true }));
  const out = scanSpringDocuments(documents, path, definitions);
  if (parsed.errors.length > 0) out.error = { reason: 'parse-error', detail: `invalid YAML: ${parsed.errors[0]}` };
  return out;
}

export default defineScanner({
  id: 'spring-yaml',
  description: 'Spring Boot application*.yml / bootstrap*.yml, multi-document with profiles',
  files: ['application*.yml', 'application*.yaml', 'bootstrap*.yml', 'bootstrap*.yaml'],
  // Read even without a connection word: `spring.application.name` alone names the app the repo holds.
  alwaysScan: true,
  scan: (file: SourceFile) => scanSpringYamlText(file.text, file.path, 0, file.definitions),
});
