/**
 * VueComponentScanner: `*.vue` single-file components, read by the JavaScript reader (scanners/javascript-code.ts)
 * for their scripts, and for the one template idiom that names an endpoint: an upload component's `action`.
 */
import { profileFromPath } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import type { Language } from '../src/code/parsers.js';
import { GATE, KEYWORDS, scanJavaScriptCode } from './javascript-code.js';

/** Upload components of the Vue UI kits (Element, Ant Design Vue, Naive UI, Vant), whose `action` the browser posts to. */
const UPLOAD_TAG = /<(?:el|a|n|van)-upload\b[^>]*>/g;

/**
 * A Vue single-file component: its `<script>` blocks are JavaScript, or TypeScript with `lang="ts"`, read at the lines
 * they have in the file (the rest blanked, line breaks kept); in the template, an upload component's `action`
 * (`<el-upload action="https://…">`) is the endpoint the browser sends files to.
 */
export function scanVueComponent(file: SourceFile): ScanOutput {
  let language: Language = 'javascript';
  const keep = new Array<boolean>(file.text.length).fill(false);
  for (const m of file.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    if (/\blang=["']tsx?["']/.test(m[1]!)) language = 'typescript';
    const start = m.index! + m[0].indexOf('>') + 1;
    keep.fill(true, start, start + m[2]!.length);
  }
  const script = Array.from(file.text, (c, i) => (keep[i] || c === '\n' ? c : ' ')).join('');
  const out = scanJavaScriptCode({ ...file, text: script }, language);
  const settings: Setting[] = [];
  for (const tag of file.text.matchAll(UPLOAD_TAG)) {
    const action = /\saction="(https?:\/\/[^"]+)"/.exec(tag[0]);
    if (!action) continue;
    const at = tag.index! + action.index + 1;
    settings.push({ path: ['upload', 'url'], value: action[1]!, line: file.text.slice(0, at).split('\n').length });
  }
  if (settings.length === 0) return out;
  const uploads = interpretSettings(settings, { profile: profileFromPath(file.path) });
  return { ...out, findings: [...out.findings, ...uploads.findings] };
}

export default defineScanner({
  id: 'vue-component',
  description: 'Vue single-file components: <script> blocks as JavaScript/TypeScript, upload components\' action endpoints',
  files: ['*.vue'],
  keywords: new RegExp(`${KEYWORDS.source}|-upload\\b`, 'i'),
  gate: GATE,
  sourceCode: true,
  // A template names an upload endpoint without any of the default key words; this scanner's own keywords decide.
  alwaysScan: true,
  scan: scanVueComponent,
});

