import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destination as filesystem } from '@ferry/connector-filesystem';
import { source as sample } from '@ferry/connector-sample';
import { silentLogger, type Destination, type Source } from '@ferry/core';
import { queryDuckDB, sqlString } from '@ferry/testkit';
import { runTransfer, type RunTransferOptions } from './engine.js';
import { Registry } from './registry.js';
import type { RunReport } from './report.js';
import { FileStateStore, type TransferState } from './state-store.js';
import { loadTransfer } from './transfer.js';

/** A scratch directory with a lake, a state dir and transfer files. */
export interface Workspace {
  readonly dir: string;
  readonly lake: string;
  readonly stateDir: string;
  /** Writes a transfer file and runs it with the given extra connectors registered. */
  run(
    transfer: object,
    extra?: readonly (Source | Destination)[],
    options?: Partial<Pick<RunTransferOptions, 'signal' | 'onEvent' | 'logger'>>,
  ): Promise<RunReport>;
  /** The saved state of transfer `name`. */
  state(name: string): Promise<TransferState | undefined>;
  /** Rows of `sql` run over the lake (`{lake}` is replaced by the lake path). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

/** A fresh workspace in a temporary directory. */
export async function workspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-runner-'));
  const lake = join(dir, 'lake');
  const stateDir = join(dir, 'state');
  return {
    dir,
    lake,
    stateDir,
    async run(transfer, extra = [], options = {}) {
      const file = join(dir, 'transfer.json');
      await writeFile(file, JSON.stringify(transfer));
      const registry = new Registry({ builtins: [sample, filesystem, ...extra] });
      const loaded = await loadTransfer(file, { registry });
      const stateStore = new FileStateStore(stateDir);
      const { logger = silentLogger, ...rest } = options;
      return runTransfer({ transfer: loaded, stateStore, logger, ...rest });
    },
    async state(name) {
      try {
        return JSON.parse(await readFile(join(stateDir, `${name}.json`), 'utf8')) as TransferState;
      } catch {
        return undefined;
      }
    },
    query: (sql) => queryDuckDB(sql.replaceAll('{lake}', sqlString(lake).slice(1, -1))),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A sample → filesystem transfer writing into the workspace's lake. */
export function sampleTransfer(ws: Workspace, sampleConfig: object, extra: object = {}): object {
  return {
    name: 'test',
    source: { type: 'sample', config: { events_per_day: 200, days: 2, ...sampleConfig } },
    destination: { type: 'filesystem', config: { path: ws.lake } },
    ...extra,
  };
}
