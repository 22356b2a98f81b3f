/**
 * Which model endpoints a run uses, from a config file (`--llm-config`, env
 * CMDB_SCAN_LLM_CONFIG), from `--llm-endpoint` specs (env CMDB_SCAN_LLM_ENDPOINTS,
 * `;`-separated), and whether they are up. API keys come from the environment
 * (`apiKeyEnv`), never from the command line, so they stay out of shell history and `ps`.
 */
import { z } from 'zod';
import { ModelClient } from './client.js';
import { checkEndpointAllowed, EndpointConfig } from './endpoint.js';
import { readJsonFile } from '../src/json-file.js';

export const LlmMode = z.enum(['off', 'auto', 'required']);
export type LlmMode = z.infer<typeof LlmMode>;

export const ModelConfigFile = z.object({
  endpoints: z.array(EndpointConfig.omit({ apiKey: true }).extend({
    /** Name of the environment variable holding the API key, if the server wants one. */
    apiKeyEnv: z.string().optional(),
  })),
});

/** Reads a config file; the error names the file and the first problem. */
export function loadModelConfig(file: string, env: NodeJS.ProcessEnv = process.env): EndpointConfig[] {
  const config = readJsonFile(file, ModelConfigFile, { the: 'the model config', a: 'a model config' });
  return config.endpoints.map(({ apiKeyEnv, ...e }) => {
    const key = apiKeyEnv ? env[apiKeyEnv] : undefined;
    return EndpointConfig.parse(key ? { ...e, apiKey: key } : e);
  });
}

const SPEC_KEYS: Record<string, keyof EndpointConfig> = {
  name: 'name', url: 'baseURL', model: 'model', timeout: 'timeoutMs', concurrency: 'maxConcurrency', 'max-model-len': 'maxModelLen', budget: 'budgetTokens',
};

/** `name=llama,url=http://10.0.0.5:8000/v1,model=meta-llama/Llama-3.1-8B-Instruct[,max-model-len=8192,concurrency=4,timeout=60000]`. */
export function parseEndpointSpec(spec: string): EndpointConfig {
  const raw: Record<string, unknown> = {};
  for (const part of spec.split(',')) {
    const i = part.indexOf('=');
    const key = SPEC_KEYS[part.slice(0, i).trim()];
    if (i < 0 || !key) throw new Error(`--llm-endpoint ${spec}: expected name=…,url=…,model=… (unknown part "${part}")`);
    const value = part.slice(i + 1).trim();
    raw[key] = ['timeoutMs', 'maxConcurrency', 'maxModelLen', 'budgetTokens'].includes(key) ? Number(value) : value;
  }
  const parsed = EndpointConfig.safeParse(raw);
  if (!parsed.success) throw new Error(`--llm-endpoint ${spec}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export interface ConnectOptions {
  mode: LlmMode;
  allowRemote?: boolean;
  /** Overrides every endpoint's budgetTokens (`--llm-budget`). */
  budgetTokens?: number;
  apiKey?: string;
}

/**
 * Clients for the endpoints a run may use. `auto`: endpoints that are allowed and pass the
 * health check, the others warned about; `required`: any endpoint that is not is an error.
 */
export async function connectEndpoints(configs: EndpointConfig[], opts: ConnectOptions): Promise<{ clients: ModelClient[]; warnings: string[] }> {
  if (opts.mode === 'off') return { clients: [], warnings: [] };
  if (configs.length === 0) {
    if (opts.mode === 'required') throw new Error('--llm required: no model endpoint configured (--llm-config or --llm-endpoint)');
    return { clients: [], warnings: [] };
  }
  const names = new Set<string>();
  for (const c of configs) {
    if (names.has(c.name)) throw new Error(`model endpoint name ${c.name} is used twice`);
    names.add(c.name);
  }
  const warnings: string[] = [];
  const checked = await Promise.all(configs.map(async (config) => {
    const effective = { ...config, ...(opts.budgetTokens ? { budgetTokens: opts.budgetTokens } : {}), ...(opts.apiKey && !config.apiKey ? { apiKey: opts.apiKey } : {}) };
    const allowed = await checkEndpointAllowed(config.baseURL, opts.allowRemote === true);
    if (!allowed.ok) return { config, problem: `${config.name}: ${allowed.reason}` };
    const client = new ModelClient(effective, undefined, allowed.pinned);
    const health = await client.health();
    return health.ok ? { config, client } : { config, problem: health.reason };
  }));
  const clients: ModelClient[] = [];
  for (const c of checked) {
    if ('client' in c && c.client) clients.push(c.client);
    else if (opts.mode === 'required') throw new Error(`--llm required: ${c.problem}`);
    else warnings.push(`model endpoint ${c.problem}; continuing without it`);
  }
  if (clients.length === 0) warnings.push('no model endpoint is usable; the scan is static only');
  return { clients, warnings };
}
