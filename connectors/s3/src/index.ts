export { bucketName } from './bucket.js';
export {
  destinationConfigSchema,
  type S3DestinationConfig,
  type ServerSideEncryption,
} from './config.js';
export { destination } from './destination.js';
