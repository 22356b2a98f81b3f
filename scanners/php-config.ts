/**
 * PhpConfigScanner: PHP config files that return an array — Laravel and Lumen `config/*.php`
 * (`'host' => env('DB_HOST', '127.0.0.1')`), Yii `config/db.php` — lowered to settings by
 * `scanners/formats/php-array.ts` and read by the shared interpreter: `connections.mysql.host` is MySQL by its key,
 * `redis.default.host` Redis, `mailers.smtp.host` SMTP. PDO DSNs (`mysql:host=…;dbname=…`) are connection strings.
 */
import { profileFromPath } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import { phpArraySettings } from './formats/php-array.js';
import { scanPhpCode } from './php-code.js';

/**
 * An application's own settings file by its name (FreshRSS's `config.default.php`, `config.php`, `config.sample.php`,
 * `config-user.default.php`, `app.config.php`): PHP apps that are not on a framework keep their settings in one such file,
 * which returns an array as Laravel's `config/*.php` do.
 */
const SETTINGS_FILE_NAME = /^(config|settings)([.-][a-z0-9.-]+)?\.php$|^[a-z0-9_-]+\.config\.php$/i;

/** `connection`, `lock_connection`: the name of another entry (a cache store's database connection), not an address. */
const NAMES_ANOTHER_ENTRY = /^(\w+_)?connection$/;

export function scanPhpConfig(file: SourceFile): ScanOutput {
  const parsed = phpArraySettings(file.text);
  // A `config.php` that defines constants or sets variables instead of returning an array is ordinary PHP.
  if (parsed === null) return scanPhpCode(file);
  // Laravel reads `config/database.php` as `database.*` (`config('database.connections.mysql.host')`): the file's name
  // is the root key, so `app.url` is the app's own address as `server.*` is in Spring.
  // An app's own settings file (`config.php`, `config.default.php`) is the whole config, not one section of it.
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  const root = SETTINGS_FILE_NAME.test(name) ? null : name.replace(/\.php$/, '');
  const settings = parsed.filter((s) => !NAMES_ANOTHER_ENTRY.test(s.path[s.path.length - 1] ?? '')).map((s) => (root === null ? s : { ...s, path: [root, ...s.path] }));
  return interpretSettings(settings, { profile: profileFromPath(file.path) });
}

export default defineScanner({
  id: 'php-config',
  description: 'PHP config arrays: Laravel/Lumen config/*.php with env() defaults, Yii config/db.php',
  // `app/Config/*.php`: CodeIgniter 4's place for them, and apps that keep Laravel-style arrays there (BookStack).
  files: ['**/config/*.php', '**/config/**/*.php', '**/Config/*.php', '**/{config,settings}.php', '**/{config,settings}[.-]*.php', '**/*.config.php'],
  excludeFiles: ['**/vendor/**', '**/lang/**', '**/translations/**'],
  scan: scanPhpConfig,
});
