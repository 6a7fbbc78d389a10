// Errors the dashboard answers with a status and a plain message (never a stack trace).
import { CourtsideError } from '../core/errors.js';

/** An error with the HTTP status it is answered with; the message is shown to the user as is. */
export class HttpError extends CourtsideError {
  readonly status: 400 | 404 | 503;
  constructor(code: string, status: 400 | 404 | 503, message: string, options?: { cause?: unknown }) {
    super(code, message, 2, options);
    this.status = status;
  }
}

/** A query string or path the dashboard cannot read: which parameter, and what was wrong. */
export class BadRequestError extends HttpError {
  constructor(message: string) {
    super('BAD_REQUEST', 400, message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super('NOT_FOUND', 404, message);
  }
}

/** Another process (a backfill, an ingest) holds the DuckDB file for writing. */
export class WarehouseBusyError extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WAREHOUSE_BUSY', 503, message, options);
  }
}

/** The file cannot be opened at all (missing, unreadable): nothing to show until that is fixed. */
export class WarehouseUnavailableError extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WAREHOUSE_UNAVAILABLE', 503, message, options);
  }
}
