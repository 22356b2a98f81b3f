/**
 * Library entry: `import { scan } from 'cmdb-scan'`. Only re-exports: the CLI and the library
 * call the same modules (scan orchestration in ./scan.ts, batch in ./batch/).
 */
export { scan, scanOne, toReport, type ModelStageSettings, type ScanAllOptions } from './scan.js';
export { scanRepository, DEFAULT_MAX_FILE_SIZE, type RepoScanResult, type ScanOptions } from './engine.js';
export { Inventory, INVENTORY_SCHEMA_VERSION } from './inventory.js';
export type { Statement, Store } from './storage/store.js';
export * from './report-schema.js';
export {
  REPORT_SCHEMA_VERSION, KNOWN_KINDS, SCOPES, SHIPPED_SCOPES, VALUE_SOURCES, SEVERITIES, SKIP_REASONS, SUPPRESSION_MECHANISMS, isOneOf,
  severityRank, resourceName, compareConnections, compareSecrets, compareSuppressions, partitionSuppressed, capGenericSecrets,
  combineSuppressions, type SuppressedBy,
} from './result-model.js';
export { parseConnectionString, parseJdbcUrl, parseGoMysqlDsn, parseAdoNetConnectionString, parseHostList, maskConnectionString } from './connection-string.js';
export { render, renderCsv, renderHtml, renderJson, renderSarif, renderTable, FORMATS, type Format } from './reporters/index.js';
export { applyBaseline, baselineOf, readBaseline, BaselineFile } from './baseline.js';
export { DEFAULT_KEYWORDS, resolveKeywords } from './keywords.js';
export { scanners } from '../scanners/index.js';
export type { Scanner, ScanOutput, SourceFile } from './scanner.js';
export { TOOL_VERSION } from './version.js';
export { connectEndpoints, loadModelConfig, parseEndpointSpec, LlmMode } from '../models/config.js';
export { ModelClient } from '../models/client.js';
export { EndpointConfig } from '../models/endpoint.js';
export { runModelStage, MemoryModelCache, type ModelCache } from './llm/stage.js';
export { JenkinsClient, discoverJenkinsHome, readDiscoveryFile, readTargetList, writeDiscoveryFile, BatchTarget, type Discovery } from './batch/jenkins.js';
export { runBatch, groupTargets, repoKey, type BatchOptions, type BatchSummary } from './batch/run.js';
export { parseJobConfig } from './batch/jenkins-config.js';
