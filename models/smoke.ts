/**
 * `npm run llm:smoke -- --endpoint http://10.0.0.5:8000/v1 [--model NAME] [--allow-remote-llm]`:
 * checks a real vLLM (or any OpenAI-compatible) endpoint end to end with the prompts and
 * schema a scan uses: the model is listed, guided JSON comes back, and the connection in
 * a known snippet is found verbatim. Sends only the built-in snippet below, no code of yours.
 * Exit 0 when everything works, 1 when the model answered wrongly, 2 when it could not be reached.
 */
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { verifyModelFinding } from './verify.js';
import { emptyUsage, ModelClient, type Snippet } from './client.js';
import { checkEndpointAllowed, EndpointConfig } from './endpoint.js';

const SNIPPETS: Snippet[] = [
  {
    id: 's0', file: 'billing/storage/pools.py', line: 5,
    text: 'def ledger_pool():\n    return open_pool(\n        "ledger-db.fin.acme.internal",\n        3306,\n        db="ledger",\n        user="svc_billing",\n        secret="****",\n    )',
  },
  { id: 's1', file: 'src/main/kotlin/Events.kt', line: 3, text: 'object Events {\n    private const val NAMESRV = "mq-ns-01.acme.internal:9876"\n    val producer = AcmeProducer.builder().nameServer(NAMESRV).build()\n}' },
];
const EXPECTED = [['s0', 'ledger-db.fin.acme.internal'], ['s1', 'mq-ns-01.acme.internal']] as const;

const { values } = parseArgs({ options: { endpoint: { type: 'string' }, model: { type: 'string' }, 'allow-remote-llm': { type: 'boolean' }, timeout: { type: 'string', default: '120000' } } });
if (!values.endpoint) {
  console.error('usage: npm run llm:smoke -- --endpoint http://HOST:8000/v1 [--model NAME] [--allow-remote-llm]');
  process.exit(2);
}
const allowed = await checkEndpointAllowed(values.endpoint, values['allow-remote-llm'] === true);
if (!allowed.ok) {
  console.error(`refused: ${allowed.reason}`);
  process.exit(2);
}
let model = values.model;
try {
  const ids: string[] = [];
  for await (const m of new OpenAI({ baseURL: values.endpoint, apiKey: process.env.CMDB_SCAN_LLM_API_KEY ?? 'not-needed' }).models.list()) ids.push(m.id);
  console.log(`GET /v1/models: ${ids.join(', ') || '(none)'}`);
  model ??= ids[0];
} catch (e) {
  console.error(`cannot list models at ${values.endpoint}: ${(e as Error).message}`);
  process.exit(2);
}
if (!model) {
  console.error('the endpoint serves no model');
  process.exit(2);
}
const client = new ModelClient(EndpointConfig.parse({
  name: 'smoke', baseURL: values.endpoint, model, timeoutMs: Number(values.timeout), ...(process.env.CMDB_SCAN_LLM_API_KEY ? { apiKey: process.env.CMDB_SCAN_LLM_API_KEY } : {}),
}));
const usage = emptyUsage();
const answers = await client.extract(SNIPPETS, usage);
console.log(`model ${model}: ${usage.requests} request(s), ${usage.promptTokens} prompt + ${usage.completionTokens} completion tokens, ${usage.latencyMs} ms`);
for (const e of usage.errors) console.log(`error: ${e}`);
let ok = usage.errors.length === 0;
for (const [id, host] of EXPECTED) {
  const found = answers.get(id) ?? [];
  const text = SNIPPETS.find((s) => s.id === id)!.text;
  for (const f of found) {
    const v = verifyModelFinding(f, text);
    console.log(`${id}: ${f.kind} ${f.host}:${f.port ?? ''}${f.database ? `/${f.database}` : ''} ${v.ok ? 'verified' : `REJECTED (${v.field} "${v.value}" not in the snippet)`}`);
  }
  if (!found.some((f) => f.host === host && verifyModelFinding(f, text).ok)) {
    console.log(`${id}: expected ${host}, not found`);
    ok = false;
  }
}
console.log(ok ? 'smoke test passed' : 'smoke test FAILED');
process.exit(ok ? 0 : 1);
