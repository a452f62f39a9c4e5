import {
  compileSchema,
  ConfigError,
  type Destination,
  type SchemaNode,
  type Source,
} from '@ferry/core';
import { expect } from 'vitest';
import type { Cases } from './cases.js';
import type { ConnectorSuiteOptions, InvalidConfig } from './options.js';
import { addSecretCase } from './secret-case.js';
import { schemaProperties, typesOf, type SchemaProperty } from './schema-walk.js';
import { canonical, connectorConfig, failOnProblems, nonFerry, thrownBy } from './support.js';

type Connector = Source | Destination;

/** The cases that need no I/O: metadata, schema, property docs, examples, invalid configs, secrets. */
export function addStaticCases(
  cases: Cases,
  connector: Connector,
  options: ConnectorSuiteOptions,
): void {
  cases.add('metadata', 'type, title, summary and methods are well formed', () => {
    checkMetadata(connector);
  });
  cases.add('schema', 'the config schema compiles in strict mode and rejects unknown keys', () => {
    checkSchemaRoot(connector);
  });
  for (const property of schemaProperties(connector.configSchema)) {
    cases.add(`property ${property.pointer}`, 'is documented for users', () => {
      failOnProblems(`config property ${property.pointer}`, propertyProblems(property));
    });
  }
  cases.add('examples', 'every example and default is valid for its property', () => {
    failOnProblems('examples and defaults', exampleProblems(connector.configSchema));
  });
  addInvalidConfigCases(cases, connector, options.invalidConfigs);
  addSecretCase(cases, connector, options);
}

const SENTENCE = /^[A-Z0-9`"'(].*[.?!]\)?$/s;

function checkMetadata(connector: Connector): void {
  expect(connector.type, 'type').toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  expect(connector.title.trim(), 'title').not.toBe('');
  expect(connector.summary, 'summary: one full sentence').toMatch(SENTENCE);
  expect(connector.summary, 'summary: one line').not.toContain('\n');
  const methods = connector.kind === 'source' ? ['check', 'discover', 'read'] : ['check', 'write'];
  for (const method of methods) {
    expect(typeof (connector as unknown as Record<string, unknown>)[method], method).toBe(
      'function',
    );
  }
}

function checkSchemaRoot(connector: Connector): void {
  const schema = connector.configSchema;
  expect(() => compileSchema(schema)).not.toThrow();
  expect(schema.type, 'the config schema describes an object').toBe('object');
  expect(schema.additionalProperties, 'unknown keys must be errors').toBe(false);
  expect(schema.title?.trim() ?? '', 'schema title').not.toBe('');
  expect(schema.description ?? '', 'schema description: a full sentence').toMatch(SENTENCE);
}

/** What a property lacks for its documentation (empty when it is complete). */
export function propertyProblems({ node, required }: SchemaProperty): string[] {
  const problems: string[] = [];
  if (typeof node.title !== 'string' || node.title.trim() === '') problems.push('has no title');
  if (typeof node.description !== 'string') problems.push('has no description');
  else if (!SENTENCE.test(node.description.trim())) {
    problems.push('description is not a full sentence (capital first, period last)');
  }
  if (!required && node.default === undefined && !typesOf(node).includes('object')) {
    problems.push('is optional but has no default');
  }
  const plainString = typesOf(node).includes('string') && node.enum === undefined;
  if (plainString && (node.examples === undefined || node.examples.length === 0)) {
    problems.push('is a string without examples');
  }
  if (typesOf(node).includes('object') && node.additionalProperties !== false) {
    problems.push('is an object that accepts unknown keys (set additionalProperties: false)');
  }
  if (node['x-secret'] === true && !typesOf(node).includes('string')) {
    problems.push('is x-secret but not a string');
  }
  return problems;
}

function exampleProblems(schema: SchemaNode): string[] {
  const problems: string[] = [];
  for (const { pointer, node } of schemaProperties(schema)) {
    // Wrapped: ajv's strict mode refuses `default` at a schema's root.
    const wrapper = compileSchema({ type: 'object', properties: { value: node } });
    const validate = (value: unknown): boolean => wrapper({ value: structuredClone(value) });
    for (const example of node.examples ?? []) {
      // `${env:NAME}` is replaced before validation; its value is what must be valid.
      if (typeof example === 'string' && example.startsWith('${env:')) continue;
      if (!validate(example)) {
        problems.push(`${pointer}: example ${canonical(example)} is not valid`);
      }
    }
    if (node.default !== undefined && !validate(node.default)) {
      problems.push(`${pointer}: default ${canonical(node.default)} is not valid`);
    }
  }
  return problems;
}

function addInvalidConfigCases(
  cases: Cases,
  connector: Connector,
  invalid: readonly InvalidConfig[],
): void {
  cases.add('invalid', 'the suite is given at least one config the connector must refuse', () => {
    expect(invalid.length, 'options.invalidConfigs is empty').toBeGreaterThan(0);
  });
  for (const bad of invalid) {
    cases.add(`invalid ${bad.name}`, `is refused at ${bad.pointer}`, async () => {
      const error = await thrownBy(() => connectorConfig(connector, bad.config));
      if (!(error instanceof ConfigError)) {
        throw (
          nonFerry('validation', error) ?? new Error(`expected a ConfigError, got ${String(error)}`)
        );
      }
      expect(error.issues.map((i) => i.pointer)).toContain(bad.pointer);
    });
  }
}
