import { ConfigError, type ConfigIssue, type ConfigSchema } from '@ferry/core';
import {
  lakeOptionProperties,
  lakeOptionRules,
  lakeSourceOptionProperties,
  type LakeOptions,
  type LakeSourceOptions,
} from '@ferry/lake';
import { bucketProblem } from './bucket.js';

/** Server-side encryption of the objects written; `none` sends no header (the bucket's default applies). */
export type ServerSideEncryption = 'none' | 'AES256' | 'aws:kms';

/**
 * Where an `s3` connector reaches its objects, as validated (defaults applied), shared by both
 * roles. Optional strings are `''` when not set: no static credential, no custom endpoint.
 */
export interface S3ConnectionConfig {
  /** A bucket name, or `s3://name`; read it through `bucketName`. */
  readonly s3_bucket: string;
  readonly s3_prefix: string;
  readonly s3_region: string;
  readonly aws_access_key_id: string;
  readonly aws_secret_access_key: string;
  readonly aws_session_token: string;
  readonly endpoint: string;
  readonly force_path_style: boolean;
}

/** Config of the `s3` source, as validated: the schema prefix and how to read its tables. */
export interface S3SourceConfig extends S3ConnectionConfig, LakeSourceOptions {}

/** Config of the `s3` destination, as validated; `kms_key_id` is `''` when not set. */
export interface S3DestinationConfig extends S3ConnectionConfig, LakeOptions {
  readonly server_side_encryption: ServerSideEncryption;
  readonly kms_key_id: string;
}

// A region's name: the SDK puts it in hostnames and signatures, so a typo ("eu west 1") would
// fail there as if it were ferry's fault; it refuses "_", and AWS signs lowercase names.
// S3-compatible stores have their own names (R2 "auto", Ceph "default"). `ferry policy`
// validates with the references of unset variables left in place (and then asks for the region,
// whose partition its ARNs need), so a whole `${env:NAME}` passes here.
const REGION_PATTERN = '^([a-z0-9][a-z0-9-]*|\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\})$';

/** A whole `${env:NAME}`, as `ferry policy` leaves an unset variable. */
const WHOLE_ENV_REFERENCE = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

/** A string that means "not set" when empty. */
function unsetString(title: string, description: string, examples: readonly string[]) {
  return { type: 'string', default: '', title, description, examples } as const;
}

function secretString(title: string, description: string, examples: readonly string[]) {
  return { ...unsetString(title, description, examples), 'x-secret': true } as const;
}

const credentialRules = [
  {
    description: 'aws_access_key_id and aws_secret_access_key are given together or not at all.',
    if: {
      properties: { aws_access_key_id: { type: 'string', minLength: 1 } },
      required: ['aws_access_key_id'],
    },
    then: {
      properties: { aws_secret_access_key: { type: 'string', minLength: 1 } },
      required: ['aws_secret_access_key'],
    },
    else: { properties: { aws_secret_access_key: { type: 'string', const: '' } } },
  },
  {
    description: 'aws_session_token needs aws_access_key_id and aws_secret_access_key.',
    if: { properties: { aws_access_key_id: { type: 'string', const: '' } } },
    then: { properties: { aws_session_token: { type: 'string', const: '' } } },
  },
  {
    // An ASIA key id is always temporary (STS); without its token AWS answers InvalidAccessKeyId.
    description:
      'Temporary credentials (an aws_access_key_id starting with ASIA) need their aws_session_token.',
    if: {
      properties: { aws_access_key_id: { type: 'string', pattern: '^ASIA' } },
      required: ['aws_access_key_id'],
    },
    then: {
      properties: { aws_session_token: { type: 'string', minLength: 1 } },
      required: ['aws_session_token'],
    },
  },
] as const;

const kmsRule = {
  description: 'kms_key_id is only allowed when server_side_encryption is "aws:kms".',
  if: { properties: { server_side_encryption: { type: 'string', enum: ['none', 'AES256'] } } },
  then: { properties: { kms_key_id: { type: 'string', const: '' } } },
} as const;

// A rule rather than the property's own pattern: a broken rule reads as its description.
const regionRule = {
  description:
    's3_region is a region name of lowercase letters, digits and hyphens, such as "eu-west-1" (or "auto" for R2).',
  if: { properties: { s3_region: { type: 'string' } }, required: ['s3_region'] },
  then: { properties: { s3_region: { type: 'string', pattern: REGION_PATTERN } } },
} as const;

/** What `s3_prefix` is to one role. */
export interface PrefixMeaning {
  readonly title: string;
  /** A sentence's beginning, e.g. "Key prefix under which the lake is written. Empty writes ...". */
  readonly description: string;
  readonly examples: readonly string[];
}

/**
 * The properties that say where the objects are (bucket, prefix, region, credentials, endpoint),
 * shared by both roles; `prefix` says what the prefix is to the role.
 */
export function connectionProperties(prefix: PrefixMeaning) {
  return {
    s3_bucket: {
      type: 'string',
      title: 'Bucket',
      description:
        'Name of the bucket, following S3\'s naming rules (3 to 63 lowercase letters, digits, dots and hyphens). "s3://name" (or "s3://name/") is accepted and means "name"; a path after the name is refused: it belongs in s3_prefix.',
      examples: ['acme-analytics', 's3://acme-analytics'],
    },
    s3_prefix: {
      type: 'string',
      default: '',
      title: prefix.title,
      description: `${prefix.description}; leading and trailing slashes do not matter ("/exports/", "exports/" and "exports" are the same prefix). A part between slashes may not start or end with whitespace.`,
      examples: prefix.examples,
    },
    s3_region: {
      type: 'string',
      title: 'Region',
      description:
        'AWS region of the bucket; check confirms that the bucket is there. It also gives the partition of the ARNs in ferry policy ("cn-north-1" is in aws-cn, "us-gov-west-1" in aws-us-gov). For an S3-compatible store, the name it expects ("auto" for R2; MinIO takes any, such as "us-east-1").',
      examples: ['us-east-1', 'eu-west-1', 'auto'],
    },
    aws_access_key_id: unsetString(
      'Access key id',
      'Access key id of static credentials, given together with aws_secret_access_key. Empty uses the AWS default credential chain (environment, shared profile, web identity, container or instance role).',
      ['AKIAIOSFODNN7EXAMPLE', '${env:AWS_ACCESS_KEY_ID}'],
    ),
    aws_secret_access_key: secretString(
      'Secret access key',
      'Secret access key of the static credentials named by aws_access_key_id. Empty uses the AWS default credential chain.',
      ['${env:AWS_SECRET_ACCESS_KEY}'],
    ),
    aws_session_token: secretString(
      'Session token',
      'Session token of temporary (STS) static credentials, given with aws_access_key_id and aws_secret_access_key; an access key id starting with ASIA is temporary and needs it. Empty when the credentials are long-lived.',
      ['${env:AWS_SESSION_TOKEN}'],
    ),
    endpoint: unsetString(
      'Endpoint',
      'URL of an S3-compatible store (MinIO, Cloudflare R2, Ceph), starting with http:// or https://. Empty uses AWS S3 in s3_region. With an endpoint, checksums are sent only where an operation requires them, as many such stores reject the newer ones.',
      ['http://localhost:9000', 'https://<account_id>.r2.cloudflarestorage.com'],
    ),
    force_path_style: {
      type: 'boolean',
      default: false,
      title: 'Path-style addressing',
      description:
        'Sends requests to endpoint/bucket/key instead of bucket.endpoint/key. Most self-hosted S3-compatible stores (MinIO) need it; AWS S3 does not.',
    },
  } as const;
}

/** Rules of the connection properties (region name, credentials given together). */
export const connectionRules = [regionRule, ...credentialRules] as const;

/** JSON Schema of {@link S3DestinationConfig}. */
export const destinationConfigSchema: ConfigSchema = {
  type: 'object',
  title: 'Amazon S3',
  description:
    'Writes a Hive-partitioned lake of Parquet or JSONL files into an S3 bucket (or an S3-compatible store such as MinIO or Cloudflare R2), under a key prefix.',
  additionalProperties: false,
  required: ['s3_bucket', 's3_region'],
  properties: {
    ...connectionProperties({
      title: 'Key prefix',
      description:
        'Key prefix under which the lake is written. Empty writes at the root of the bucket',
      examples: ['exports', 'ferry/prod'],
    }),
    server_side_encryption: {
      type: 'string',
      enum: ['none', 'AES256', 'aws:kms'],
      default: 'none',
      title: 'Server-side encryption',
      description:
        'Encryption requested for every object written: "AES256" (S3-managed keys) or "aws:kms" (a KMS key, see kms_key_id). "none" requests nothing, so the bucket\'s default encryption applies (AWS S3 encrypts every new object with S3-managed keys at least).',
      examples: ['none', 'AES256', 'aws:kms'],
    },
    kms_key_id: unsetString(
      'KMS key',
      'Id, ARN, alias name or alias ARN of the KMS key for "aws:kms" encryption. Empty uses the account\'s AWS-managed aws/s3 key.',
      [
        'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        'alias/ferry',
        'arn:aws:kms:eu-west-1:111122223333:alias/ferry',
      ],
    ),
    ...lakeOptionProperties,
  },
  allOf: [...connectionRules, kmsRule, ...lakeOptionRules],
};

/** JSON Schema of {@link S3SourceConfig}. */
export const sourceConfigSchema: ConfigSchema = {
  type: 'object',
  title: 'Amazon S3',
  description:
    'Reads the tables under a schema prefix of an S3 bucket (or an S3-compatible store such as MinIO or Cloudflare R2): each directory is a table of Parquet, CSV or JSON Lines files, partitioned or not.',
  additionalProperties: false,
  required: ['s3_bucket', 's3_region'],
  properties: {
    ...connectionProperties({
      title: 'Schema prefix',
      description:
        'Key prefix whose directories are the tables (s3://bucket/<prefix>/<table>/...), such as the s3_prefix of an s3 destination. Empty reads the directories at the root of the bucket',
      examples: ['exports', 'warehouse/analytics'],
    }),
    ...lakeSourceOptionProperties,
  },
  allOf: [...connectionRules],
};

/**
 * Refuses what the schema cannot explain well: an `s3_bucket` that is no bucket name (a path
 * after the name, a name S3 forbids, an ARN or URL, see {@link bucketProblem}), a prefix that is
 * a URL, only whitespace or has a part padded by whitespace, an endpoint that is no http(s) URL.
 * Runs only once the schema passes, so its issues come after the schema's are fixed.
 * @throws ConfigError with pointers into the config.
 */
export function validateConnection(config: S3ConnectionConfig): void {
  const issues = [
    ...issueAt('/s3_bucket', bucketProblem(config.s3_bucket)),
    ...issueAt('/s3_prefix', prefixProblem(config.s3_prefix)),
    ...issueAt('/endpoint', endpointProblem(config.endpoint)),
  ];
  if (issues.length > 0) throw new ConfigError(issues);
}

function issueAt(pointer: string, message: string | undefined): ConfigIssue[] {
  return message === undefined ? [] : [{ pointer, message }];
}

function prefixProblem(prefix: string): string | undefined {
  if (prefix.includes('://')) {
    return 'is a key prefix inside the bucket, not a URL (put the bucket name in s3_bucket)';
  }
  if (prefix !== '' && prefix.trim() === '') {
    return 'is only whitespace; leave it empty to write at the root of the bucket';
  }
  // S3 keeps such spaces in every key: "exports /" and "exports/" are different folders.
  const padded = prefix.split('/').find((part) => part !== part.trim());
  if (padded === undefined) return undefined;
  return `has whitespace at the start or end of ${JSON.stringify(padded)}, which S3 would keep in every key; remove it`;
}

function endpointProblem(endpoint: string): string | undefined {
  // `ferry policy` leaves the reference of an unset variable in place; no policy names it.
  if (endpoint === '' || WHOLE_ENV_REFERENCE.test(endpoint)) return undefined;
  if (/\s/.test(endpoint)) return 'is not a URL: it contains whitespace';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(endpoint)?.[1];
  if (scheme === undefined) {
    return `needs http:// or https:// in front ("http://${endpoint}" for a server without TLS)`;
  }
  if (!/^https?$/i.test(scheme)) {
    return `starts with ${scheme}://; an endpoint is an http:// or https:// URL`;
  }
  if (!URL.canParse(endpoint)) return 'is not a valid URL';
  return undefined;
}

/** As {@link validateConnection}, for the destination. */
export const validateDestinationConfig: (config: S3DestinationConfig) => void = validateConnection;
