// ARNs of what the `s3` destination touches, for `ferry policy` and the IAM hints of a refused
// request: one place that knows partitions and IAM's special characters.

// Regions outside the `aws` partition, by name prefix (the SDK's partitions.json regionRegex).
const PARTITIONS: readonly (readonly [string, string])[] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-iso-', 'aws-iso'],
  ['us-isob-', 'aws-iso-b'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-isof-', 'aws-iso-f'],
  ['eusc-', 'aws-eusc'],
];

/**
 * The AWS partition of `region`, the second field of its ARNs: `aws-cn` for `cn-north-1`,
 * `aws-us-gov` for `us-gov-west-1`; `aws` for every other name, including those of
 * S3-compatible stores (`auto`, `default`). The reference of an unset variable (as `ferry policy`
 * leaves it) stays itself: the partition is unknown, so the policy needs the variable.
 */
export function partitionOf(region: string): string {
  if (/^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/.test(region)) return region;
  return PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

// `ferry policy` leaves the reference of an unset variable in the config and refuses to print a
// policy containing one; escaped, it would slip through as a literal.
const ENV_REFERENCE = /(\$\{env:[A-Za-z_][A-Za-z0-9_]*\})/;

/**
 * `text` as a literal inside an IAM resource or a `StringLike` condition value: `*` and `?` are
 * wildcards there and `${...}` a policy variable, so each of `*`, `?` and `$` is written as
 * IAM's `${*}`, `${?}`, `${$}`. A whole `${env:NAME}` reference is kept as it is (see above).
 */
export function iamLiteral(text: string): string {
  return text
    .split(ENV_REFERENCE)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/[*?$]/g, (c) => `\${${c}}`)))
    .join('');
}

/** `arn:aws:s3:::bucket`: the bucket itself (what s3:ListBucket is granted on). */
export function bucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

/**
 * `arn:aws:s3:::bucket/prefix/*`: every object under `prefix` (`''` or ending in `/`), the
 * prefix taken literally.
 */
export function objectsArn(partition: string, bucket: string, prefix: string): string {
  return `${bucketArn(partition, bucket)}/${iamLiteral(prefix)}*`;
}
