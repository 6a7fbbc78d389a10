// Reading a landed response: the file as text and JSON, with errors that name the file. A body cut
// short by the network (the commonest fault of a real feed) is called truncated, not just invalid.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { InputError, errorMessage } from '../../core/errors.js';

// The league schedule is one large document read for every date of a run: parse each body once.
const parsed = new Map<string, unknown>();
const CACHE_LIMIT = 4;

/** The parsed document; with `cache`, shared between callers (never mutate it). */
export function readLandedJson(file: string, text?: string, options: { readonly cache?: boolean } = {}): unknown {
  let body: string;
  try {
    body = text ?? readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(file, `cannot be read: ${errorMessage(err)}`, undefined, { cause: err });
  }
  if (body.trim() === '') throw new InputError(file, 'is empty (expected a JSON document)');
  const key = options.cache ? createHash('sha1').update(body).digest('hex') : undefined;
  if (key && parsed.has(key)) return parsed.get(key);
  try {
    const doc: unknown = JSON.parse(body);
    if (key) {
      if (parsed.size >= CACHE_LIMIT) parsed.delete(parsed.keys().next().value as string);
      parsed.set(key, doc);
    }
    return doc;
  } catch (err) {
    const reason = errorMessage(err);
    const truncated = /end of (JSON )?input|Unterminated|Expected .* after/i.test(reason);
    throw new InputError(file, `${truncated ? 'is truncated JSON' : 'is not valid JSON'} (${body.length} bytes): ${reason}`, undefined, { cause: err });
  }
}

/** Checks a document against a shape; the first problem names its JSON path. */
export function checkShape<T>(file: string, schema: z.ZodType<T>, doc: unknown, what: string): T {
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') : '';
  throw new InputError(file, `not a ${what} response: ${path ? `${path.replace(/^\./, '')}: ` : ''}${issue?.message ?? 'unexpected shape'}`);
}
