import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  defineDestination,
  defineSource,
  InternalError,
  type ConfigSchema,
  type Destination,
  type Source,
} from '@ferry/core';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import {
  checkReadmeConfig,
  CONFIG_DOCS_END,
  CONFIG_DOCS_START,
  renderConfigDocs,
  renderReadmeConfig,
} from './docs.js';

const notCalled = (): never => {
  throw new InternalError('the docs never call a connector');
};
const base = { type: 'demo', title: 'Demo', summary: 'For the docs tests.', check: notCalled };

function source(configSchema: ConfigSchema): Source {
  const capabilities = { syncModes: ['full_refresh'] as const };
  return defineSource({
    ...base,
    configSchema,
    capabilities,
    discover: notCalled,
    read: notCalled,
  });
}

function destination(configSchema: ConfigSchema): Destination {
  const capabilities = { writeModes: ['append'] as const, formats: [], layouts: [] };
  return defineDestination({ ...base, configSchema, capabilities, write: notCalled });
}

/** Every feature the renderer documents, in a few properties. */
const demoSchema: ConfigSchema = {
  type: 'object',
  title: 'Demo API',
  description: 'Reads a demo API.',
  additionalProperties: false,
  required: ['url', 'auth'],
  properties: {
    url: {
      type: 'string',
      format: 'uri',
      minLength: 1,
      title: 'Base URL',
      description: 'Where the API is.',
      examples: ['https://api.example.com'],
    },
    mode: {
      type: 'string',
      enum: ['fast', 'safe'],
      default: 'safe',
      title: 'Mode',
      description: 'How to read.',
    },
    page_size: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 100,
      title: 'Page size',
      description: 'Rows per request.',
    },
    auth: {
      type: 'object',
      title: 'Authentication',
      description: 'How to sign in.',
      additionalProperties: false,
      required: ['user'],
      properties: {
        user: { type: 'string', title: 'User', description: 'Who signs in.', examples: ['ana'] },
        token: {
          type: 'string',
          'x-secret': true,
          default: 'dev-token-123',
          title: 'Token',
          description: 'The API token.',
          examples: ['tok_live_abc'],
        },
      },
    },
    columns: {
      type: 'array',
      maxItems: 10,
      default: [],
      title: 'Columns',
      description: 'Columns to read; none reads all.',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: { type: 'string', title: 'Name', description: 'The column.' },
          alias: {
            type: ['string', 'null'],
            default: null,
            title: 'Alias',
            description: 'Renamed to.',
          },
        },
      },
    },
  },
  allOf: [
    {
      description: 'The fast mode reads at most 100 rows per page.',
      if: { properties: { mode: { const: 'fast' } } },
      then: { properties: { page_size: { maximum: 100 } } },
    },
    {
      if: { properties: { mode: { const: 'safe' } }, required: ['mode'] },
      then: { required: ['columns'] },
      else: { properties: { page_size: { enum: [10, 100] } } },
    },
    { if: { required: ['columns'] }, then: { not: { required: ['mode'] } } },
    { required: ['url'] },
  ],
};

const demoDocs = [
  '### Source configuration',
  '',
  '**Demo API.** Reads a demo API.',
  '',
  '| key               | type                              | required | default  | description                                                           |',
  '| ----------------- | --------------------------------- | -------- | -------- | --------------------------------------------------------------------- |',
  '| `url`             | string (format uri, min length 1) | yes      | —        | **Base URL.** Where the API is. Example: `"https://api.example.com"`. |',
  '| `mode`            | string, one of `"fast"`, `"safe"` | no       | `"safe"` | **Mode.** How to read.                                                |',
  '| `page_size`       | integer (min 1, max 1000)         | no       | `100`    | **Page size.** Rows per request.                                      |',
  '| `auth`            | object                            | yes      | —        | **Authentication.** How to sign in.                                   |',
  '| `auth.user`       | string                            | yes      | —        | **User.** Who signs in. Example: `"ana"`.                             |',
  '| `auth.token`      | string (secret)                   | no       | hidden   | **Token.** The API token.                                             |',
  '| `columns`         | array of object (max items 10)    | no       | `[]`     | **Columns.** Columns to read; none reads all.                         |',
  '| `columns[].name`  | string                            | no       | —        | **Name.** The column.                                                 |',
  '| `columns[].alias` | string or null                    | no       | `null`   | **Alias.** Renamed to.                                                |',
  '',
  'Rules:',
  '',
  '- The fast mode reads at most 100 rows per page.',
  '- When `mode` is `"safe"`, `columns` is required; otherwise `page_size` must be one of `10`, `100`.',
  '- When `columns` is set, `mode` must not be set.',
  '- `url` is required.',
  '',
].join('\n');

/** A README around the markers, as a connector package has it. */
const readme = [
  '# demo',
  '',
  '## Configuration',
  '',
  CONFIG_DOCS_START,
  'an old hand-written table',
  CONFIG_DOCS_END,
  '',
  'More prose.',
  '',
].join('\n');

/** Text that means something in Markdown. */
const markdownish = source({
  type: 'object',
  additionalProperties: false,
  properties: {
    sep: {
      type: 'string',
      enum: ['|', 'a`b'],
      default: '|',
      title: 'Separator | delimiter',
      description:
        'First line *not* bold, C:\\temp.\nSecond <line> with [no link], ~no strike~ and _no emphasis_ in snake_case.',
    },
  },
});

describe('renderConfigDocs', () => {
  it('documents every property, nested ones included, and the rules, in schema order', () => {
    expect(renderConfigDocs(source(demoSchema))).toBe(demoDocs);
  });

  it('names the role in the heading and says when there is nothing to set', () => {
    const empty: ConfigSchema = { type: 'object', additionalProperties: false, properties: {} };
    expect(renderConfigDocs(destination(empty))).toBe(
      '### Destination configuration\n\nThis connector has no settings.\n',
    );
  });

  it("never prints a secret's default or examples, nor those of keys inside a secret", () => {
    const docs = renderConfigDocs(
      source({
        type: 'object',
        additionalProperties: false,
        properties: {
          key: { type: 'string', 'x-secret': true, default: 'sk-default', examples: ['sk-ex'] },
          login: {
            type: 'object',
            'x-secret': true,
            properties: {
              password: { type: 'string', default: 'pw-default', examples: ['pw-ex'] },
            },
          },
        },
      }),
    );
    for (const value of ['sk-default', 'sk-ex', 'pw-default', 'pw-ex']) {
      expect(docs).not.toContain(value);
    }
    expect(docs).toContain('| `login.password` | string (secret) | no       | hidden  |');
  });

  it('escapes pipes, newlines and Markdown in cells, so each row keeps its five columns', () => {
    const docs = renderConfigDocs(markdownish);
    const row = docs.split('\n').find((line) => line.startsWith('| `sep`')) ?? '';
    expect(row.split(/(?<!\\)\|/)).toHaveLength(7);
    expect(row).toContain('| string, one of `"\\|"`, ``"a`b"`` | no       | `"\\|"`  |');
    expect(row).toContain(
      '**Separator \\| delimiter.** First line \\*not\\* bold, C:\\\\temp.<br>Second \\<line> ' +
        'with \\[no link\\], \\~no strike\\~ and \\_no emphasis\\_ in snake_case.',
    );
  });

  it('aligns tables as Prettier does, wide and combining characters included', async () => {
    const wide = source({
      type: 'object',
      title: 'Ünïcode',
      additionalProperties: false,
      properties: {
        city: { type: 'string', default: 'Zürich', description: 'Ville… → 東京 or 🚀, café.' },
        max_rows: { type: 'integer', minimum: 1, default: 10, description: 'Rows.' },
      },
    });
    const rendered = renderReadmeConfig(readme, [wide, markdownish, destination(demoSchema)]);
    const options = await resolveConfig(fileURLToPath(import.meta.url));
    expect(await format(rendered, { ...options, parser: 'markdown' })).toBe(rendered);
  });
});

describe('renderReadmeConfig', () => {
  const fs = destination(demoSchema);
  const sample = source({ type: 'object', additionalProperties: false, properties: {} });

  it('replaces what is between the markers, sources first, and keeps the rest', () => {
    expect(renderReadmeConfig(readme, [fs, sample])).toBe(
      [
        '# demo',
        '',
        '## Configuration',
        '',
        CONFIG_DOCS_START,
        '',
        '<!-- Generated from the config schema by `npm run docs`; do not edit by hand. -->',
        '',
        '### Source configuration',
        '',
        'This connector has no settings.',
        '',
        demoDocs.replace('### Source', '### Destination'),
        CONFIG_DOCS_END,
        '',
        'More prose.',
        '',
      ].join('\n'),
    );
  });

  it('changes nothing when run on its own output', () => {
    const once = renderReadmeConfig(readme, [sample, fs]);
    expect(renderReadmeConfig(once, [sample, fs])).toBe(once);
  });

  it.each([
    ['no start marker', readme.replace(CONFIG_DOCS_START, ''), /no <!-- ferry:config:start -->/],
    ['no end marker', readme.replace(CONFIG_DOCS_END, ''), /no <!-- ferry:config:end -->/],
    ['two start markers', `${CONFIG_DOCS_START}\n${readme}`, /config:start --> marker more than/],
    ['two end markers', `${readme}${CONFIG_DOCS_END}\n`, /config:end --> marker more than once/],
    [
      'the end before the start',
      `# demo\n${CONFIG_DOCS_END}\n${CONFIG_DOCS_START}\n`,
      /has <!-- ferry:config:end --> before <!-- ferry:config:start -->/,
    ],
  ])('throws an InternalError for %s', (_name, text, message) => {
    expect(() => renderReadmeConfig(text, [sample])).toThrow(InternalError);
    expect(() => renderReadmeConfig(text, [sample])).toThrow(message);
  });
});

describe('checkReadmeConfig', () => {
  it('tells whether the README file holds the generated section', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-docs-'));
    try {
      const path = join(dir, 'README.md');
      await writeFile(path, readme);
      const stale = await checkReadmeConfig(path, [source(demoSchema)]);
      expect(stale).toEqual({
        current: false,
        expected: renderReadmeConfig(readme, [source(demoSchema)]),
      });
      await writeFile(path, stale.expected);
      expect(await checkReadmeConfig(pathToFileURL(path), [source(demoSchema)])).toEqual({
        current: true,
        expected: stale.expected,
      });
      await writeFile(path, '# no markers\n');
      await expect(checkReadmeConfig(path, [])).rejects.toThrow(`checking ${path}: the README`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('throws an InternalError naming a README that cannot be read', async () => {
    const missing = join(tmpdir(), 'ferry-docs-missing', 'README.md');
    await expect(checkReadmeConfig(missing, [])).rejects.toThrow(InternalError);
    await expect(checkReadmeConfig(missing, [])).rejects.toThrow(`checking ${missing}: ENOENT`);
  });
});
