/**
 * Constants of one source file, with a record of which were used. A constant that other
 * expressions use is a definition (`HOST = "10.0.0.5"` feeding `redis.Redis(host=HOST)`):
 * the connection is reported where it is used, its secret where it is written.
 */
import type { Setting } from '../settings.js';

export class ConstantTable extends Map<string, string> {
  readonly used = new Set<string>();
  /** Set whenever a lookup succeeds; scanners reset it before evaluating one value. */
  touched = false;

  override get(name: string): string | undefined {
    const value = super.get(name);
    if (value !== undefined) {
      this.used.add(name);
      this.touched = true;
    }
    return value;
  }

  /** Evaluates with `evaluate` and reports whether the value drew on a constant. */
  track<T>(evaluate: () => T): { value: T; derived: boolean } {
    this.touched = false;
    const value = evaluate();
    return { value, derived: this.touched };
  }

  /** Marks the settings that declare a used constant (`[name]` declared at `declaredAt`) as definitions. */
  markDefinitions(settings: Setting[], declared: Map<Setting, string>): void {
    for (const [setting, name] of declared) if (this.used.has(name)) setting.definition = true;
    void settings;
  }
}
