// s3rver 3.7.1 ships no types; this declares only what `s3.ts` uses.
declare module 's3rver' {
  interface S3rverOptions {
    readonly address?: string;
    readonly port?: number;
    readonly directory?: string;
    readonly silent?: boolean;
    readonly resetOnClose?: boolean;
    readonly configureBuckets?: readonly { readonly name: string }[];
  }

  /** Options of the store's listing (the controller's parsed query). */
  interface ListObjectsOptions {
    readonly delimiter?: string;
    readonly startAfter?: string;
    readonly prefix?: string;
    readonly maxKeys?: number;
  }

  /** One object of a listing. */
  interface StoredObject {
    readonly key: string;
  }

  interface ListObjectsResult {
    readonly objects: readonly StoredObject[];
    readonly commonPrefixes: readonly string[];
    readonly isTruncated: boolean;
  }

  /** The filesystem store behind the server (the controllers call it through the context). */
  interface FilesystemStore {
    listObjects(bucket: string, options: ListObjectsOptions): Promise<ListObjectsResult>;
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    readonly store: FilesystemStore;
    /** Starts listening; resolves to the bound address. */
    run(): Promise<{ readonly address: string; readonly port: number }>;
    close(): Promise<void>;
  }

  export default S3rver;
}
