/** Structured data attached to a log line. Values must not be secrets. */
export type LogFields = Record<string, string | number | boolean | bigint | null | undefined>;

/**
 * The logger connectors receive in their context, already bound to the connector, stream and run.
 * Data goes in `fields`, not in the message: `logger.info('file committed', { key, rows })`.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** A logger that drops everything (tests, library use without output). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
