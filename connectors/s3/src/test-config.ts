import { ConfigError, validateConfig, type ConfigIssue } from '@ferry/core';
import {
  destinationConfigSchema,
  validateDestinationConfig,
  type S3DestinationConfig,
} from './config.js';

/** A config that needs nothing but a bucket and a region. */
export const BASE = { s3_bucket: 'acme-lake', s3_region: 'eu-west-1' };

/** Validates as the runner does: schema (defaults applied), then the `validate` hook. */
export function valid(config: Record<string, unknown>): S3DestinationConfig {
  const result = validateConfig<S3DestinationConfig>(destinationConfigSchema, config);
  validateDestinationConfig(result);
  return result;
}

/** The issues {@link valid} throws for `config`; `[]` when it is valid. */
export function issues(config: unknown): ConfigIssue[] {
  try {
    valid(config as Record<string, unknown>);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
}
