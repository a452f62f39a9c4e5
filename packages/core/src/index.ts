export type {
  Catalog,
  CatalogStream,
  ConfiguredStream,
  SyncMode,
  UnavailableStream,
  WriteMode,
} from './catalog.js';
export { compileSchema, validateConfig, type ValidateOptions } from './config.js';
export type { ConfigSchema, SchemaNode, SchemaTypeName } from './config-schema.js';
export {
  CONTRACT_VERSION,
  defineDestination,
  defineSource,
  type CheckResult,
  type Context,
  type Destination,
  type DestinationCapabilities,
  type IamStatement,
  type ReadRequest,
  type RecoveryInfo,
  type RunInfo,
  type Source,
  type SourceCapabilities,
  type WriteRequest,
} from './connector.js';
export { interpolateEnv, type InterpolateOptions } from './env.js';
export {
  AuthError,
  ConfigError,
  ConnectionError,
  FerryError,
  InternalError,
  isFerryError,
  RecordError,
  toFerryError,
  TransientError,
  type ConfigErrorOptions,
  type ConfigIssue,
  type ErrorCode,
  type FerryErrorOptions,
  type RecordErrorOptions,
  type RecordPosition,
  type TransientErrorOptions,
} from './errors.js';
export {
  field,
  schemaSignature,
  t,
  typeName,
  type Field,
  type FieldKind,
  type FieldOptions,
  type FieldType,
} from './fields.js';
export {
  escapePointerSegment,
  isJsonValue,
  isPlainObject,
  joinPointer,
  jsonInteger,
  parseJsonExact,
  scanJson,
  stringifyJson,
  type JsonFieldValue,
  type JsonObject,
  type JsonScanOptions,
  type JsonValue,
} from './json.js';
export { silentLogger, type LogFields, type Logger } from './logger.js';
export type {
  AckMessage,
  BatchMessage,
  CheckpointMessage,
  DestinationMessage,
  FileMessage,
  Row,
  SkippedMessage,
  SourceMessage,
  DataMessage,
  StreamState,
} from './messages.js';
export { collectSecrets, redactConfig, REDACTED, Redactor } from './redact.js';
