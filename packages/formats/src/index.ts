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
export {
  bytesByteSource,
  fileByteSource,
  type ByteRange,
  type ByteSource,
} from './read/byte-source.js';
export {
  DEFAULT_BATCH_ROWS,
  type OnBadRecord,
  type RowBatch,
  type RowReader,
} from './read/row-reader.js';
export {
  parquetFields,
  readParquet,
  type ParquetFieldsOptions,
  type ReadParquetOptions,
} from './read/parquet-reader.js';
export {
  DEFAULT_SAMPLE_ROWS,
  inferJsonLinesFields,
  readJsonLines,
  type InferJsonLinesOptions,
  type ReadJsonLinesOptions,
} from './read/jsonl-reader.js';
export {
  inferCsvFields,
  readCsv,
  type InferCsvOptions,
  type ReadCsvOptions,
} from './read/csv-reader.js';
export type { CsvOptions } from './read/csv-records.js';
export { inferFields, NO_VALUES_SAMPLED } from './read/infer.js';
export type { RecordShape } from './read/coerce.js';
export { NumberText } from './read/json-text.js';
