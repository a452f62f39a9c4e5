export { bucketName } from './bucket.js';
export {
  destinationConfigSchema,
  sourceConfigSchema,
  type S3DestinationConfig,
  type S3SourceConfig,
  type ServerSideEncryption,
} from './config.js';
export { destination } from './destination.js';
export { source } from './source.js';
