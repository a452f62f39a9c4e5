export {
  createWriter,
  DEFAULT_ROW_GROUP_ROWS,
  fileExtension,
  type Compression,
  type FileFormat,
  type RowWriter,
  type WriterOptions,
  type WriteSummary,
} from './writer.js';
export { JSONL_GZIP_LEVEL } from './jsonl-writer.js';
