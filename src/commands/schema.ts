/** `cmdb-scan schema`: the JSON Schema of the report. */
import { Command } from 'commander';

export default function registerSchema(program: Command): void {
  program.command('schema')
    .description('print the JSON Schema of the report')
    .action(async () => { process.stdout.write((await import('../json-schema.js')).reportJsonSchema()); });
}
