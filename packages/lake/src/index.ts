export { checkWritePath } from './check.js';
export { createLakeDestination, type LakeDestinationSpec } from './destination.js';
export {
  assertSafeStreamName,
  layoutNamed,
  pontoonLayout,
  utcDate,
  utcStamp,
  type FileKeyInput,
  type Layout,
  type ParsedKey,
} from './layout.js';
export { manifestKey, readManifest, type CommittedFile, type Manifest } from './manifest.js';
export {
  DEFAULT_MAX_BYTES_PER_FILE,
  DEFAULT_MAX_ROWS_PER_FILE,
  lakeOptionProperties,
  lakeOptionRules,
  type LakeCompression,
  type LakeFormat,
  type LakeOptions,
  type LayoutName,
} from './options.js';
export type { LakeCommit } from './stream-writer.js';
export { MAX_SCHEMA_FILES } from './source/discover.js';
export {
  lakeSourceOptionProperties,
  type LakeSourceFormat,
  type LakeSourceOptions,
} from './source/options.js';
export { createLakeSource, type LakeSourceSpec } from './source/source.js';
export type { FilesState } from './source/state.js';
export type { PartitionFilter } from './source/table-files.js';
