import { isPlainObject, RecordError, type StreamState } from '@ferry/core';

/**
 * The state of an incremental table: the files read so far, by key, with the ETag each had when
 * read. A file listed with a key not in it, or with another ETag (rewritten), is read next time.
 *
 * A set of keys, not a high-water mark of modification times: object stores give no order in
 * which files become visible (an S3 multipart upload is dated when it starts, a copy keeps its
 * time), so any mark would miss late files. It costs about 100 bytes per file read.
 */
export interface FilesState {
  readonly files: Readonly<Record<string, string>>;
}

/**
 * The saved state of `stream` (none: nothing read yet).
 * @throws RecordError naming the stream when the state is not one this source wrote.
 */
export function parseFilesState(stream: string, state: StreamState | undefined): FilesState {
  if (state === undefined) return { files: {} };
  const files = isPlainObject(state) ? state.files : undefined;
  if (isPlainObject(files) && Object.values(files).every((v) => typeof v === 'string')) {
    return { files: files as Record<string, string> };
  }
  throw new RecordError(
    `the saved state ${JSON.stringify(state).slice(0, 200)} is not {"files": {"<key>": "<etag>"}}, the state of a lake source; reset the transfer's state to read the table again`,
    { position: { stream } },
  );
}
