export { sampleConfigSchema, type SampleConfig } from './config.js';
export { source } from './source.js';
