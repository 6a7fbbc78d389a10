// Loads the four bundled name files into nba_raw.player_name_sources, one source at a time
// replaced whole (idempotent). Files are validated in full before anything is written, so a bad
// file fails with its name and entry/row and leaves the table as it was.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../core/errors.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { loadLogSql } from '../raw/load-log.js';
import { dropStaged, stageRows, type StagedFile } from '../raw/stage.js';
import { WriteUnit } from '../write-unit.js';
import { TEAM_TRICODES } from './teams.js';

export const NAME_FILES = {
  commonplayerinfo: 'commonplayerinfo_2021-12.json.gz',
  shotchart: 'shotchart_names.csv',
  betfinder: 'betfinder_player_lu.json',
  betfinder_team: 'betfinder_team_lu.json',
} as const;

export type NameSource = keyof typeof NAME_FILES;

export interface NameRow {
  readonly source: NameSource;
  readonly source_player_id: number | null;
  readonly name: string;
  readonly season_label: string | null;
  readonly extra: Record<string, unknown>;
}

function readText(file: string): string {
  try {
    const buf = readFileSync(file);
    return (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
  } catch (err) {
    throw new InputError(file, `cannot read: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(file, `not valid JSON: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
  }
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** commonplayerinfo replies: resultSets[0] is CommonPlayerInfo; one row per player. */
export function parseCommonPlayerInfo(file: string, doc: unknown): NameRow[] {
  if (!Array.isArray(doc)) throw new InputError(file, 'expected a JSON array of {source_path, response}');
  const rows: NameRow[] = [];
  doc.forEach((entry: unknown, i) => {
    const e = entry as { source_path?: unknown; response?: { resultSets?: unknown } } | null;
    const where = typeof e?.source_path === 'string' ? e.source_path : 'entry';
    const sets = e?.response?.resultSets;
    const set = Array.isArray(sets) ? (sets[0] as { name?: unknown; headers?: unknown; rowSet?: unknown } | undefined) : undefined;
    if (!set || set.name !== 'CommonPlayerInfo' || !Array.isArray(set.headers) || !Array.isArray(set.rowSet)) {
      throw new InputError(file, `${where}: response.resultSets[0] is not a CommonPlayerInfo result set`, i + 1);
    }
    const headers = set.headers as unknown[];
    const col = (h: string): number => {
      const k = headers.indexOf(h);
      if (k < 0) throw new InputError(file, `${where}: CommonPlayerInfo has no ${h} column`, i + 1);
      return k;
    };
    const [id, full, fi, birth, abbr, slug] = ['PERSON_ID', 'DISPLAY_FIRST_LAST', 'DISPLAY_FI_LAST', 'BIRTHDATE', 'TEAM_ABBREVIATION', 'PLAYER_SLUG'].map(col) as [number, number, number, number, number, number];
    for (const r of set.rowSet as unknown[]) {
      if (!Array.isArray(r) || r.length !== headers.length) throw new InputError(file, `${where}: a rowSet row does not match the headers`, i + 1);
      const personId = r[id];
      if (typeof personId !== 'number' || !Number.isInteger(personId) || personId <= 0) throw new InputError(file, `${where}: PERSON_ID is not a positive integer`, i + 1);
      if (!isText(r[full])) throw new InputError(file, `${where}: DISPLAY_FIRST_LAST is empty`, i + 1);
      const birthdate = typeof r[birth] === 'string' && /^\d{4}-\d{2}-\d{2}/.test(r[birth]) ? r[birth].slice(0, 10) : null;
      rows.push({
        source: 'commonplayerinfo',
        source_player_id: personId,
        name: r[full].trim(),
        season_label: '2021-22',
        extra: { display_fi_last: isText(r[fi]) ? r[fi].trim() : null, birthdate, team_abbr: r[abbr] || null, player_slug: r[slug] ?? null, source_path: e?.source_path ?? null },
      });
    }
  });
  return rows;
}

/** Splits one CSV line, honouring double-quoted fields ("" inside quotes is a quote). */
export function splitCsvLine(line: string): string[] | null {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  if (quoted) return null;
  out.push(cur);
  return out;
}

/** shotchart_names.csv: season,player_id,player_name (rows numbered as file lines, header = 1). */
export function parseShotChartNames(file: string, text: string): NameRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== 'season,player_id,player_name') throw new InputError(file, `header must be 'season,player_id,player_name', got '${lines[0] ?? ''}'`, 1);
  const rows: NameRow[] = [];
  lines.slice(1).forEach((line, i) => {
    const lineNo = i + 2;
    if (line.trim() === '') return;
    const f = splitCsvLine(line);
    if (!f || f.length !== 3) throw new InputError(file, `expected 3 fields, got '${line}'`, lineNo);
    const [season, id, name] = f as [string, string, string];
    if (!/^\d{4}-\d{2}$/.test(season)) throw new InputError(file, `season '${season}' is not like 2020-21`, lineNo);
    if (!/^[1-9]\d*$/.test(id)) throw new InputError(file, `player_id '${id}' is not a positive integer`, lineNo);
    if (!isText(name)) throw new InputError(file, 'player_name is empty', lineNo);
    rows.push({ source: 'shotchart', source_player_id: Number(id), name: name.trim(), season_label: season, extra: {} });
  });
  return rows;
}

/** betfinder lu.json: [{name, aliases[]}]; for teams name must be a tricode. */
export function parseBetfinder(file: string, doc: unknown, kind: 'betfinder' | 'betfinder_team'): NameRow[] {
  if (!Array.isArray(doc)) throw new InputError(file, 'expected a JSON array of {name, aliases}');
  const rows: NameRow[] = [];
  doc.forEach((entry: unknown, i) => {
    const e = entry as { name?: unknown; aliases?: unknown } | null;
    if (!e || typeof e.name !== 'string') throw new InputError(file, 'name is missing', i + 1);
    if (!Array.isArray(e.aliases) || !e.aliases.every((a) => typeof a === 'string')) throw new InputError(file, `'${e.name}': aliases must be an array of strings`, i + 1);
    // The bundled player file has one blank placeholder entry (257: name '' and aliases ['', '', '']):
    // it names nobody, so it is skipped; a blank name with real aliases is an error.
    if (!isText(e.name)) {
      if ((e.aliases as string[]).every((a) => !isText(a))) return;
      throw new InputError(file, 'name is empty but aliases are not', i + 1);
    }
    const aliases = e.aliases as string[];
    if (kind === 'betfinder') {
      rows.push({ source: kind, source_player_id: null, name: e.name.trim(), season_label: '2021-22', extra: { aliases } });
      return;
    }
    if (!TEAM_TRICODES.has(e.name)) throw new InputError(file, `'${e.name}' is not an NBA tricode`, i + 1);
    // One row per spelling, so team aliases are plain rows to join on.
    for (const alias of new Set([e.name, ...aliases.filter(isText)])) {
      rows.push({ source: kind, source_player_id: null, name: alias.trim(), season_label: null, extra: { team_abbr: e.name } });
    }
  });
  return rows;
}

/** Accepts the data root (with names/) or the names folder itself. */
export function namesDir(dataDir: string): string {
  return existsSync(join(dataDir, 'names', NAME_FILES.shotchart)) ? join(dataDir, 'names') : dataDir;
}

/** The four name files of a data directory, parsed and checked in full (nothing is written yet). */
export interface ParsedNameSources {
  readonly files: Readonly<Record<NameSource, string>>;
  readonly rows: Readonly<Record<NameSource, readonly NameRow[]>>;
}

export function parseNameSources(dataDir: string): ParsedNameSources {
  const dir = namesDir(dataDir);
  const path = (s: NameSource) => join(dir, NAME_FILES[s]);
  const files = { commonplayerinfo: path('commonplayerinfo'), shotchart: path('shotchart'), betfinder: path('betfinder'), betfinder_team: path('betfinder_team') };
  return {
    files,
    rows: {
      commonplayerinfo: parseCommonPlayerInfo(files.commonplayerinfo, readJson(files.commonplayerinfo)),
      shotchart: parseShotChartNames(files.shotchart, readText(files.shotchart)),
      betfinder: parseBetfinder(files.betfinder, readJson(files.betfinder), 'betfinder'),
      betfinder_team: parseBetfinder(files.betfinder_team, readJson(files.betfinder_team), 'betfinder_team'),
    },
  };
}

export const NAME_SOURCE_COLUMNS = ['source', 'source_player_id', 'name', 'season_label', 'extra'] as const;

/** Every parsed name row, staged as text (extra as JSON text): one staged table for the four files. */
export async function stageNameSources(wh: Warehouse, parsed: ParsedNameSources): Promise<StagedFile> {
  const rows = (Object.keys(parsed.rows) as NameSource[]).flatMap((source) =>
    parsed.rows[source].map((r) => ({
      source: r.source,
      source_player_id: r.source_player_id === null ? null : String(r.source_player_id),
      name: r.name,
      season_label: r.season_label,
      extra: JSON.stringify(r.extra),
    })),
  );
  return stageRows(wh, 'stg_name_sources', 'name files', NAME_SOURCE_COLUMNS, rows);
}

/** The four sources replaced whole by the staged rows (idempotent), and one load_log row per file. */
export function nameSourceStatements(unit: WriteUnit, staged: StagedFile, parsed: ParsedNameSources, runId: string): void {
  const sources = Object.keys(parsed.rows) as NameSource[];
  unit.add(`DELETE FROM nba_raw.player_name_sources WHERE source IN (SELECT * FROM UNNEST($sources))`, { sources });
  unit.add(
    `INSERT INTO nba_raw.player_name_sources (source, source_player_id, name, season_label, extra, loaded_at)
     SELECT source, CAST(source_player_id AS INT64), name, season_label, {{parse_json(extra)}}, CAST(current_timestamp AS TIMESTAMP)
     FROM ${staged.source}`,
    staged.params,
  );
  for (const source of sources) {
    unit.add(loadLogSql('nba_raw.player_name_sources'), { run_id: runId, file: parsed.files[source], rows_read: parsed.rows[source].length, rows_loaded: parsed.rows[source].length });
  }
}

/** Loads the four name files on their own (the registry tests, a nightly-only warehouse's first night). */
export async function loadNameSources(tx: Warehouse, dataDir: string, runId: string): Promise<Record<NameSource, number>> {
  const parsed = parseNameSources(dataDir);
  const staged = await stageNameSources(tx, parsed);
  try {
    const unit = new WriteUnit(tx.dialect);
    nameSourceStatements(unit, staged, parsed, runId);
    await unit.run(tx);
  } finally {
    await dropStaged(tx, [staged]);
  }
  return Object.fromEntries((Object.keys(parsed.rows) as NameSource[]).map((s) => [s, parsed.rows[s].length])) as Record<NameSource, number>;
}
