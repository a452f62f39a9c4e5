// What `s3_bucket` may hold and what is wrong with it when it is not a bucket name. The schema
// leaves the field a plain string: ajv would answer any of these mistakes with its pattern, and a
// failing schema keeps the destination's `validate` hook, which explains them, from running.

const S3_SCHEME = 's3://';
const RULES = 'S3 bucket names have 3 to 63 lowercase letters, digits, dots and hyphens';

// AWS S3 URLs: virtual-hosted (`bucket.s3.eu-west-1.amazonaws.com`), then path-style
// (`s3.eu-west-1.amazonaws.com/bucket`), with their legacy `s3-region` and China forms.
const VIRTUAL_HOSTED = /^(.+)\.s3[.-][a-z0-9.-]*amazonaws\.com(\.cn)?$/;
const PATH_STYLE = /^s3[.-][a-z0-9.-]*amazonaws\.com(\.cn)?$/;
const S3_ARN = /^arn:[^:]*:s3:::([^/]*)\/?(.*)$/;

/**
 * The bucket name a valid `s3_bucket` means: the one place that strips `s3://` and trailing
 * slashes.
 * @example bucketName('s3://acme/') === 'acme'
 */
export function bucketName(value: string): string {
  const name = value.startsWith(S3_SCHEME) ? value.slice(S3_SCHEME.length) : value;
  return name.replace(/\/+$/, '');
}

/**
 * What is wrong with `value` as `s3_bucket`, as the rest of a sentence after the field's pointer
 * ("is not a valid bucket name: it has uppercase letters (...)"); `undefined` when it names a
 * bucket. An ARN, an S3 URL or a path after the name get the values to write instead.
 */
export function bucketProblem(value: string): string | undefined {
  if (value.startsWith('arn:')) return arnProblem(value);
  if (/^https?:\/\//i.test(value)) return urlProblem(value);
  const given = bucketName(value);
  const slash = given.indexOf('/');
  const name = slash === -1 ? given : given.slice(0, slash);
  const problem = nameProblem(name);
  if (problem !== undefined || slash === -1) return problem;
  const path = given.slice(slash + 1);
  return `names the bucket only; put the path in s3_prefix (${settings({ bucket: name, path })})`;
}

/** What S3's naming rules have against `name`; `undefined` for a valid name. */
function nameProblem(name: string): string | undefined {
  if (name === '') return 'has no bucket name; give one such as "acme-analytics"';
  const invalid = [...new Set(name.replace(/[a-z0-9.-]/g, ''))];
  const found = [
    ...(invalid.some((c) => /[A-Z]/.test(c)) ? ['uppercase letters'] : []),
    ...invalid
      .filter((c) => !/[A-Z]/.test(c))
      .map((c) => (c === ' ' ? 'spaces' : JSON.stringify(c))),
  ];
  const invalidName = (reason: string) => `is not a valid bucket name: ${reason}`;
  if (found.length > 0) return invalidName(`it has ${listed(found)} (${RULES})`);
  if (name.length < 3 || name.length > 63) {
    return invalidName(`it has ${String(name.length)} characters (${RULES})`);
  }
  if (!/^[a-z0-9](.*[a-z0-9])?$/.test(name)) {
    return invalidName('it must start and end with a letter or digit');
  }
  if (name.includes('..')) return invalidName('it contains ".."');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return invalidName('it has the form of an IP address');
  return undefined;
}

function arnProblem(value: string): string {
  const match = S3_ARN.exec(value);
  const bucket = match?.[1] ?? '';
  if (match === null || nameProblem(bucket) !== undefined) {
    return 'is an ARN; give the name of the bucket alone, such as "acme-analytics"';
  }
  // The path of an object ARN usually ends in the wildcard: "bucket/exports/*" means "exports".
  const path = (match[2] ?? '').replace(/\*$/, '');
  return `is an ARN; give the name of the bucket alone (${settings({ bucket, path })})`;
}

function urlProblem(value: string): string {
  const generic =
    'is a URL; give the name of the bucket alone, such as "acme-analytics" (the URL of an S3-compatible server goes in endpoint)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return generic;
  }
  const segments = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decoded);
  const virtual = VIRTUAL_HOSTED.exec(url.hostname)?.[1];
  const onAws = virtual !== undefined || PATH_STYLE.test(url.hostname);
  const [bucket = '', ...rest] = virtual === undefined ? segments : [virtual, ...segments];
  const path = rest.join('/');
  if (nameProblem(bucket) !== undefined) return generic;
  if (onAws) return `is a URL; give the name of the bucket alone (${settings({ bucket, path })})`;
  const suggested = settings({ endpoint: url.origin, bucket, path });
  return `is a URL; put the server's URL in endpoint and the name of the bucket here (${suggested})`;
}

/** `"s3_bucket": "acme", "s3_prefix": "exports"`: the settings to write, as JSON members. */
function settings(values: { endpoint?: string; bucket: string; path: string }): string {
  const path = values.path.replace(/^\/+|\/+$/g, '');
  const members: [string, string][] = [
    ...(values.endpoint === undefined ? [] : [['endpoint', values.endpoint] as [string, string]]),
    ['s3_bucket', values.bucket],
    ...(path === '' ? [] : [['s3_prefix', path] as [string, string]]),
  ];
  return members.map(([key, text]) => `"${key}": ${JSON.stringify(text)}`).join(', ');
}

function listed(items: readonly string[]): string {
  return items.length < 2
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
