export { configSchema, type Config } from './config.js';
export { destination } from './destination.js';
export { source } from './source.js';
