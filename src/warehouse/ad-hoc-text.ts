// The text of an ad-hoc statement (`courtside sql`), judged before any engine sees it.

export const NO_STATEMENT = 'courtside sql needs one statement, and the text given has none (it is empty, or only comments and ;): e.g. courtside sql "SHOW TABLES"';

/**
 * Whether a text holds no statement: only blanks, `;` and comments. DuckDB's statement extraction
 * fails on such a text with no message of its own ("Error in native callback"), BigQuery with a
 * syntax error; neither says the text was empty.
 */
export function isBlankSql(text: string): boolean {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ').replace(/[\s;]+/g, '') === '';
}
