export { destinationConfigSchema, type FilesystemDestinationConfig } from './config.js';
export { destination } from './destination.js';
