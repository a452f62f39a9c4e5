import { ConfigError, type ConfigIssue, type ConfigSchema } from '@ferry/core';
import { lakeOptionProperties, lakeOptionRules, type LakeOptions } from '@ferry/lake';

/** Server-side encryption of the objects written; `none` sends no header (the bucket's default applies). */
export type ServerSideEncryption = 'none' | 'AES256' | 'aws:kms';

/**
 * Config of the `s3` destination, as validated (defaults applied). Optional strings are `''`
 * when not set: no static credential, no custom endpoint, no KMS key id.
 */
export interface S3DestinationConfig extends LakeOptions {
  /** A bucket name, or `s3://name`; read it through {@link bucketName}. */
  readonly s3_bucket: string;
  readonly s3_prefix: string;
  readonly s3_region: string;
  readonly aws_access_key_id: string;
  readonly aws_secret_access_key: string;
  readonly aws_session_token: string;
  readonly endpoint: string;
  readonly force_path_style: boolean;
  readonly server_side_encryption: ServerSideEncryption;
  readonly kms_key_id: string;
}

const S3_SCHEME = 's3://';

// S3's naming rules (3 to 63 characters of a-z, 0-9, '.', '-', starting and ending with a letter
// or digit), after an optional s3:// scheme. It only anchors the bucket part's end at '/' or the
// end, so that `validate` can refuse a path after the name with a message naming s3_prefix.
const BUCKET_PATTERN = '^(s3://)?[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/|$)';

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
    description: 'kms_key_id is only allowed when server_side_encryption is "aws:kms".',
    if: { properties: { server_side_encryption: { type: 'string', enum: ['none', 'AES256'] } } },
    then: { properties: { kms_key_id: { type: 'string', const: '' } } },
  },
] as const;

/** JSON Schema of {@link S3DestinationConfig}. */
export const destinationConfigSchema: ConfigSchema = {
  type: 'object',
  title: 'Amazon S3',
  description:
    'Writes a Hive-partitioned lake of Parquet or JSONL files into an S3 bucket (or an S3-compatible store such as MinIO or Cloudflare R2), under a key prefix.',
  additionalProperties: false,
  required: ['s3_bucket', 's3_region'],
  properties: {
    s3_bucket: {
      type: 'string',
      pattern: BUCKET_PATTERN,
      title: 'Bucket',
      description:
        'Name of the bucket, following S3\'s naming rules (3 to 63 lowercase letters, digits, dots and hyphens). "s3://name" is accepted and means "name"; a path after the name is refused: it belongs in s3_prefix.',
      examples: ['acme-analytics', 's3://acme-analytics'],
    },
    s3_prefix: {
      type: 'string',
      default: '',
      title: 'Key prefix',
      description:
        'Key prefix under which the lake is written; leading and trailing slashes do not matter ("/exports/", "exports/" and "exports" are the same prefix). Empty writes at the root of the bucket.',
      examples: ['exports', 'ferry/prod'],
    },
    s3_region: {
      type: 'string',
      minLength: 1,
      title: 'Region',
      description:
        'AWS region of the bucket; check confirms that the bucket is there. S3-compatible stores often accept any value ("us-east-1", or "auto" for R2).',
      examples: ['us-east-1', 'eu-west-1'],
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
      'Session token of temporary (STS) static credentials, given with aws_access_key_id and aws_secret_access_key. Empty when the credentials are long-lived.',
      ['${env:AWS_SESSION_TOKEN}'],
    ),
    endpoint: {
      ...unsetString(
        'Endpoint',
        'URL of an S3-compatible store (MinIO, Cloudflare R2, Ceph). Empty uses AWS S3 in s3_region. With an endpoint, checksums are sent only where an operation requires them, as many such stores reject the newer ones.',
        ['http://localhost:9000', 'https://<account_id>.r2.cloudflarestorage.com'],
      ),
      pattern: '^(https?://\\S+)?$',
    },
    force_path_style: {
      type: 'boolean',
      default: false,
      title: 'Path-style addressing',
      description:
        'Sends requests to endpoint/bucket/key instead of bucket.endpoint/key. Most self-hosted S3-compatible stores (MinIO) need it; AWS S3 does not.',
    },
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
      'Id, ARN or alias of the KMS key for "aws:kms" encryption. Empty uses the account\'s AWS-managed aws/s3 key.',
      [
        'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        'alias/ferry',
      ],
    ),
    ...lakeOptionProperties,
  },
  allOf: [...credentialRules, ...lakeOptionRules],
};

/**
 * The bucket name a (schema-valid) `s3_bucket` means: the one place that strips `s3://`.
 * @example bucketName('s3://acme') === 'acme'
 */
export function bucketName(value: string): string {
  return value.startsWith(S3_SCHEME) ? value.slice(S3_SCHEME.length) : value;
}

/**
 * Refuses what the schema cannot explain well: a path after the bucket name (it belongs in
 * `s3_prefix`), a bucket name S3 forbids besides the pattern's rules, an `s3://` URL as prefix.
 * @throws ConfigError with pointers into the config.
 */
export function validateDestinationConfig(config: S3DestinationConfig): void {
  const issues = [...bucketIssues(config.s3_bucket), ...prefixIssues(config.s3_prefix)];
  if (issues.length > 0) throw new ConfigError(issues);
}

function bucketIssues(value: string): ConfigIssue[] {
  const given = bucketName(value);
  const slash = given.indexOf('/');
  const name = slash === -1 ? given : given.slice(0, slash);
  const at = (message: string): ConfigIssue[] => [{ pointer: '/s3_bucket', message }];
  if (slash !== -1) {
    const path = given.slice(slash + 1);
    return at(
      `names the bucket only; put the path in s3_prefix ("s3_bucket": "${name}", "s3_prefix": "${path}")`,
    );
  }
  if (name.includes('..')) return at('is not a valid bucket name: it contains ".."');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    return at('is not a valid bucket name: it has the form of an IP address');
  }
  return [];
}

function prefixIssues(prefix: string): ConfigIssue[] {
  if (!prefix.includes('://')) return [];
  return [
    {
      pointer: '/s3_prefix',
      message: 'is a key prefix inside the bucket, not a URL (put the bucket name in s3_bucket)',
    },
  ];
}
