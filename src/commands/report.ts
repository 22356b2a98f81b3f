/** `cmdb-scan report`: the whole inventory as a report, gated by `--fail-on` and a baseline. */
import { Command, Option } from 'commander';
import { applyBaseline, readBaseline } from '../baseline.js';
import { filterReport } from '../report-filter.js';
import type { Format } from '../reporters/index.js';
import { withInventory } from './inventory-access.js';
import { addFilterOptions, dbOption, emit, EXIT_FINDINGS, FAIL_ON, FilterFlags, filterOf, formatOption } from './shared.js';

export default function registerReport(program: Command): void {
  addFilterOptions(program.command('report'))
    .description('print the whole inventory')
    .addOption(dbOption())
    .addOption(formatOption())
    .option('-o, --out <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <condition>', 'exit 1 when the inventory matches').choices(Object.keys(FAIL_ON)))
    .option('--baseline <file>', 'leave out (and do not fail on) secrets whose fingerprint the baseline holds')
    .option('--config-bypass', 'add a config-bypass note to SARIF per literal address in shipped config (left out by default)')
    .addOption(new Option('--no-config-bypass', 'leave the config-bypass notes out of SARIF (the default; kept for scripts)').hideHelp())
    .action((opts: { db: string; format?: Format; out?: string; failOn?: string; baseline?: string; configBypass?: boolean } & FilterFlags) => withInventory(opts.db, (inventory) => {
      const accepted = opts.baseline !== undefined ? readBaseline(opts.baseline) : null;
      const full = inventory.report();
      const report = filterReport(accepted ? applyBaseline(full, accepted, opts.baseline!).report : full, filterOf(opts));
      emit(report, opts.format, opts.out, opts);
      if (opts.failOn && FAIL_ON[opts.failOn]!(report)) process.exitCode = EXIT_FINDINGS;
    }));
}
