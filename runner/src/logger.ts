import type { LogFields, Logger } from '@ferry/core';
import type { Terminal } from './terminal.js';

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** The level from `FERRY_LOG_LEVEL`, else `info`. */
export function levelFromEnv(): LogLevel {
  const value = process.env.FERRY_LOG_LEVEL;
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error'
    ? value
    : 'info';
}

/**
 * A logger printing `level message key=value ...` lines through the terminal (which redacts
 * secrets). Fields of parent loggers come first.
 */
export function terminalLogger(
  terminal: Terminal,
  level: LogLevel,
  fields: LogFields = {},
): Logger {
  const log =
    (at: LogLevel) =>
    (message: string, extra: LogFields = {}) => {
      if (rank[at] < rank[level]) return;
      terminal.line(`${at.padEnd(5)} ${message}${formatFields({ ...fields, ...extra })}`);
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (more) => terminalLogger(terminal, level, { ...fields, ...more }),
  };
}

function formatFields(fields: LogFields): string {
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = String(value);
    out += ` ${key}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`;
  }
  return out;
}
