/**
 * The product catalog's own examples, run as gitleaks runs each rule's true and false positives:
 * every product's `finds` lines must be read as that product, its `ignores` lines must not. A line
 * is read as a `.properties` file of a Spring app's main config would be.
 */
import { describe, expect, it } from 'vitest';
import { PRODUCTS, type Product } from '../src/catalog/index.js';
import type { Kind } from '../src/result-model.js';
import properties from '../scanners/java-properties.js';

const kindsIn = (line: string): Kind[] => properties.scan({ path: 'src/main/resources/application.properties', text: `${line}\n` }).findings.map((f) => f.kind);

describe('product catalog examples', () => {
  const withExamples = (Object.entries(PRODUCTS) as Array<[Kind, Product]>).filter(([, p]) => p.examples);
  it('has examples for the products users ask about first', () => {
    expect(withExamples.map(([k]) => k)).toEqual(expect.arrayContaining(['mysql', 'postgresql', 'redis', 'mongodb', 'elasticsearch', 'kafka', 'rocketmq', 'rabbitmq', 'mqtt', 'nacos', 'clickhouse']));
  });
  for (const [kind, product] of withExamples) {
    for (const line of product.examples!.finds ?? []) it(`${kind} finds ${line}`, () => expect(kindsIn(line)).toContain(kind));
    for (const line of product.examples!.ignores ?? []) it(`${kind} ignores ${line}`, () => expect(kindsIn(line)).not.toContain(kind));
  }
});
