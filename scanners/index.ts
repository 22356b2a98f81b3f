/**
 * The scanner registry. Order matters: a file is read by the first scanner whose
 * `files` match it (so `application.yml` goes to spring-yaml, not yaml-config).
 */
import type { Scanner } from '../src/scanner.js';
import bicep from './bicep.js';
import caddyfile from './caddyfile.js';
import ciConfig from './ci-config.js';
import connectionUrls from './connection-urls.js';
import csharpCode from './csharp-code.js';
import devProxy from './dev-proxy.js';
import dockerCompose from './docker-compose.js';
import dockerfile from './dockerfile.js';
import dotenv from './dotenv.js';
import elixirCode from './elixir-code.js';
import elixirConfig from './elixir-config.js';
import goCode from './go-code.js';
import hocon from './hocon.js';
import ini from './ini.js';
import javaProperties from './java-properties.js';
import javaCode from './java-code.js';
import javascriptCode from './javascript-code.js';
import jsonConfig from './json-config.js';
import kotlinCode from './kotlin-code.js';
import makefile from './makefile.js';
import loggingConfig from './logging-config.js';
import nginx from './nginx.js';
import phpCode from './php-code.js';
import phpConfig from './php-config.js';
import sqlSeed from './sql-seed.js';
import postmanCollection from './postman-collection.js';
import prismaSchema from './prisma-schema.js';
import pythonCode from './python-code.js';
import rubyCode from './ruby-code.js';
import rustCode from './rust-code.js';
import shellScript from './shell-script.js';
import springYaml from './spring-yaml.js';
import terraform from './terraform.js';
import testEnvironment from './test-environment.js';
import toml from './toml.js';
import vueComponent from './vue-component.js';
import xmlConfig from './xml-config.js';
import yamlConfig from './yaml-config.js';

export const scanners: readonly Scanner[] = [
  springYaml, javaProperties, dockerCompose, ciConfig, yamlConfig, dotenv, ini, toml, testEnvironment, elixirConfig, postmanCollection, jsonConfig, loggingConfig, xmlConfig, dockerfile, sqlSeed, prismaSchema, phpConfig, bicep, terraform, pythonCode, javaCode,
  devProxy, // before javascript-code: a dev server's config is read for its proxy targets only
  javascriptCode, vueComponent, goCode, csharpCode, kotlinCode, rubyCode, phpCode, rustCode, elixirCode,
  hocon, // before nginx and connection-urls: `application.conf` and Seata's `registry.conf` are HOCON wherever they are
  nginx, // before connection-urls, which reads the other `*.conf` files
  caddyfile,
  shellScript, // before connection-urls, which reads the scripts of other shells (batch, PowerShell)
  makefile, // a Makefile's assignments and recipes, read as shell
  connectionUrls, // last: the fallback for text no format scanner reads
];
