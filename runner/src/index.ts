export { main } from './main.js';
export { runTransfer, type RunTransferOptions } from './engine.js';
export type { RunEvent } from './pipeline.js';
export {
  builtinRegistry,
  Registry,
  type ConnectorEntry,
  type ConnectorListing,
  type ConnectorOrigin,
  type LookupOptions,
  type PackageInfo,
  type RegistryOptions,
} from './registry.js';
export type { RunReport, StreamReport, StreamStatus, WrittenFile } from './report.js';
export {
  emptyState,
  FileStateStore,
  type RunJournal,
  type StateStore,
  type TransferState,
} from './state-store.js';
export {
  loadTransfer,
  type LoadOptions,
  type StreamSelection,
  type TenantFilter,
  type Transfer,
} from './transfer.js';
