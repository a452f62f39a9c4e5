export {
  destinationConfigSchema,
  sourceConfigSchema,
  type FilesystemDestinationConfig,
  type FilesystemSourceConfig,
} from './config.js';
export { destination } from './destination.js';
export { source } from './source.js';
