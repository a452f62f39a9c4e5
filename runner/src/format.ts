import type { RunReport } from './report.js';

/** `1234567` → `1,234,567`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A byte count for humans: `12.3 MB`. */
export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit] ?? 'B'}`;
}

/** The live status line of a run. */
export function progressLine(report: RunReport, elapsedMs: number): string {
  const parts = Object.entries(report.streams)
    .filter(([, s]) => s.status !== 'pending')
    .map(([name, s]) => `${name} ${count(s.rows_read)}${s.status === 'succeeded' ? ' ✓' : ''}`);
  const rows = Object.values(report.streams).reduce((sum, s) => sum + s.rows_read, 0);
  const rate = elapsedMs > 0 ? Math.round((rows / elapsedMs) * 1000) : 0;
  return `ferry ${(elapsedMs / 1000).toFixed(0)}s · ${count(rate)} rows/s · ${parts.join(' · ')}`;
}

/** The closing summary of a run, one line per stream. */
export function summary(report: RunReport): string[] {
  const lines = Object.entries(report.streams).map(([name, s]) => {
    const skipped =
      s.skipped > 0 ? `  ${count(s.skipped)} bad record${s.skipped === 1 ? '' : 's'} skipped` : '';
    return `  ${name.padEnd(24)} ${s.status.padEnd(9)} ${count(s.rows).padStart(12)} rows  ${String(s.files).padStart(4)} files  ${bytes(s.bytes).padStart(9)}${skipped}`;
  });
  const seconds = ((report.duration_ms ?? 0) / 1000).toFixed(1);
  const head = `run ${report.status} in ${seconds}s (run ${report.run_id ?? '-'}, batch ${report.batch_id ?? '-'})`;
  return [head, ...lines];
}
