import {
  redactConfig,
  type Context,
  type Destination,
  type LogFields,
  type Logger,
  type Source,
} from '@ferry/core';
import { expect } from 'vitest';
import type { Cases } from './cases.js';
import { conformanceFields, conformanceStream } from './data.js';
import type { ConnectorSuiteOptions } from './options.js';
import { schemaProperties, setAt } from './schema-walk.js';
import { Script } from './script.js';
import { canonical, connectorConfig, resolveLazy, testContext } from './support.js';
import { Feed, runInfo } from './write-run.js';

const MARKER = 'ferry-conformance-secret-7Qx9';

/**
 * With every `x-secret` property set to a marker, the marker appears nowhere the connector speaks:
 * the redacted config, validation errors, `check`'s result or error, `discover`'s error (sources)
 * or a small `write`'s error (destinations; with a made-up credential it may well fail), and the
 * lines and fields it logs meanwhile.
 */
export function addSecretCase(
  cases: Cases,
  connector: Source | Destination,
  options: ConnectorSuiteOptions,
): void {
  const secrets = schemaProperties(connector.configSchema).filter(
    (p) => p.node['x-secret'] === true,
  );
  if (secrets.length === 0) return;
  const names = `the value of x-secret ${secrets.map((p) => p.pointer).join(', ')}`;
  cases.add('secrets', 'secret values never appear in results, errors or logs', async () => {
    let config: unknown = await resolveLazy(options.config);
    for (const { pointer } of secrets) config = setAt(config, pointer, MARKER);
    const redacted = JSON.stringify(redactConfig(connector.configSchema, config));
    expect(redacted, `the redacted config shows ${names}`).not.toContain(MARKER);
    const valid = await connectorConfig(connector, config).catch((error: unknown) => error);
    if (valid instanceof Error) {
      expect(valid.message, `config validation quotes ${names}`).not.toContain(MARKER);
      return;
    }
    const logged: string[] = [];
    const ctx = { ...testContext(), logger: recordingLogger(logged) };
    const said = [await connector.check(ctx, valid).catch((error: unknown) => error)];
    if (connector.kind === 'source') {
      said.push(await connector.discover(ctx, valid).catch((error: unknown) => error));
    } else {
      said.push(await smallWrite(connector, { ctx, config: valid }));
    }
    for (const what of said) {
      const text = what instanceof Error ? what.message : canonical(what);
      expect(text, `check, discover or write quotes ${names}`).not.toContain(MARKER);
    }
    expect(logged.join('\n'), `a log line quotes ${names}`).not.toContain(MARKER);
  });
}

/** A logger that keeps every line with its fields as text. */
function recordingLogger(lines: string[], bound: LogFields = {}): Logger {
  const log = (message: string, fields: LogFields = {}): void => {
    lines.push(`${message} ${canonical({ ...bound, ...fields })}`);
  };
  return {
    debug: log,
    info: log,
    warn: log,
    error: log,
    child: (f) => recordingLogger(lines, { ...bound, ...f }),
  };
}

/** Writes a few rows; returns the error it threw, or `undefined`. */
async function smallWrite(
  destination: Destination,
  input: { readonly ctx: Context; readonly config: unknown },
): Promise<unknown> {
  const fields = conformanceFields;
  const stream = conformanceStream('conformance_events', { fields, writeMode: 'append' });
  const script = new Script(fields).batch(stream.name, 0, 5).checkpoint(stream.name);
  const request = { streams: [stream], run: runInfo(), messages: new Feed(script.messages) };
  try {
    for await (const _message of destination.write(input.ctx, input.config, request)) {
      // Acks and files are not what this case looks at.
    }
    return undefined;
  } catch (error) {
    return error;
  }
}
