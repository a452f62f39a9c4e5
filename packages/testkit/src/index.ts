export {
  conformanceFields,
  conformanceRow,
  conformanceRows,
  conformanceStream,
} from './conformance/data.js';
export type {
  ConnectorSuiteOptions,
  DestinationSuiteOptions,
  Exemptions,
  FailingCheck,
  InvalidConfig,
  Lazy,
  ReadBack,
  RoundTripOptions,
  SourceSuiteOptions,
} from './conformance/options.js';
export { describeDestination, describeRoundTrip, describeSource } from './conformance/suites.js';
export {
  checkReadmeConfig,
  CONFIG_DOCS_END,
  CONFIG_DOCS_START,
  renderConfigDocs,
  renderReadmeConfig,
  type DocumentedConnector,
  type ReadmeConfigCheck,
} from './docs.js';
export { queryDuckDB } from './duckdb.js';
export { writeSampleTables } from './sample-tables.js';
export { sqlString } from './sql.js';
export { startS3Server, S3RVER_CREDENTIALS, type S3Server, type S3ServerOptions } from './s3.js';
export {
  startS3Proxy,
  type RecordedRequest,
  type S3Fault,
  type S3FaultRule,
  type S3Proxy,
  type S3ProxyOptions,
} from './s3-proxy.js';
export { asUnprivileged } from './unprivileged.js';
