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

  class S3rver {
    constructor(options?: S3rverOptions);
    /** Starts listening; resolves to the bound address. */
    run(): Promise<{ readonly address: string; readonly port: number }>;
    close(): Promise<void>;
  }

  export default S3rver;
}
