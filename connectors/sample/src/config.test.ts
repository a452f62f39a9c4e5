import { collectSecrets, ConfigError, validateConfig } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { sampleConfigSchema, startDateMs, type SampleConfig } from './config.js';
import { configOf } from './test-helpers.js';

function pointersOf(config: unknown): string[] {
  try {
    validateConfig(sampleConfigSchema, config);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => i.pointer);
    throw error;
  }
  return [];
}

describe('config schema', () => {
  it('applies the documented defaults', () => {
    expect(validateConfig(sampleConfigSchema, {})).toEqual({
      seed: 42,
      start_date: '2025-01-01',
      days: 2,
      events_per_day: 10000,
      workspaces: 3,
      hash_salt: '',
    });
  });

  // Titles, descriptions, defaults and examples are checked by the conformance kit.
  it.each([
    [{ seed: -1 }, '/seed'],
    [{ seed: 1.5 }, '/seed'],
    [{ start_date: '2025/01/01' }, '/start_date'],
    [{ start_date: '2025-13-01' }, '/start_date'],
    [{ days: 0 }, '/days'],
    [{ events_per_day: -1 }, '/events_per_day'],
    [{ events_per_day: '10' }, '/events_per_day'],
    [{ workspaces: 0 }, '/workspaces'],
    [{ workspaces: 101 }, '/workspaces'],
    [{ hash_salt: 42 }, '/hash_salt'],
    [{ sample_rate: 1 }, '/sample_rate'],
  ])('rejects %j at %s', (config, pointer) => {
    expect(pointersOf(config)).toEqual([pointer]);
  });

  it('names an unknown key as such', () => {
    expect(() => validateConfig(sampleConfigSchema, { seeds: 1 })).toThrow(
      'invalid configuration: /seeds: unknown key',
    );
  });

  it('marks hash_salt, and only it, as a secret', () => {
    const config = configOf({ hash_salt: 'pepper' });
    expect(collectSecrets(sampleConfigSchema, config)).toEqual(['pepper']);
  });
});

describe('startDateMs', () => {
  const base: SampleConfig = configOf();

  it('is midnight UTC of start_date', () => {
    expect(startDateMs({ ...base, start_date: '2024-02-29' })).toBe(Date.UTC(2024, 1, 29));
  });

  it('rejects a date that is not in the calendar', () => {
    const error = catchError(() => startDateMs({ ...base, start_date: '2025-02-30' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).pointer).toBe('/start_date');
  });

  it('rejects days that run past the year 9999', () => {
    const error = catchError(() => startDateMs({ ...base, start_date: '9999-12-30', days: 3 }));
    expect((error as ConfigError).pointer).toBe('/days');
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
