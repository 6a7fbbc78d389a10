// Values between our plain JS rows and ZetaSQL's ValueProto, by column type: INT64 as text, DATE as
// days since 1970-01-01, TIMESTAMP as seconds + nanos, NUMERIC/BIGNUMERIC as little-endian two's
// complement of value × 10^9 / 10^38, arrays as elements. Decoding returns what the DuckDB warehouse
// returns, so that rows of both engines compare directly.
import type { ColumnType } from '../parse-ddl.js';

export interface TypeProto {
  readonly typeKind: string;
  readonly arrayType?: { readonly elementType: TypeProto };
  readonly structType?: { readonly field: readonly { readonly fieldName: string; readonly fieldType: TypeProto }[] };
}

/** A ValueProto as proto-loader gives it (oneof `value` names the field set; none = NULL). */
export type ValueProto = Record<string, unknown>;

const KINDS: Readonly<Record<ColumnType['base'], string>> = {
  STRING: 'TYPE_STRING', INT64: 'TYPE_INT64', FLOAT64: 'TYPE_DOUBLE', BOOL: 'TYPE_BOOL', DATE: 'TYPE_DATE',
  TIMESTAMP: 'TYPE_TIMESTAMP', JSON: 'TYPE_JSON', NUMERIC: 'TYPE_NUMERIC', BIGNUMERIC: 'TYPE_BIGNUMERIC',
};

export function typeProto(t: ColumnType): TypeProto {
  const scalar: TypeProto = { typeKind: KINDS[t.base] };
  return t.array ? { typeKind: 'TYPE_ARRAY', arrayType: { elementType: scalar } } : scalar;
}

/** BigQuery REST type name (as restParameter gives it) → TypeProto. */
export function typeProtoOfRest(t: { type: string; arrayType?: { type: string } }): TypeProto {
  if (t.type === 'ARRAY') return { typeKind: 'TYPE_ARRAY', arrayType: { elementType: typeProtoOfRest(t.arrayType ?? { type: 'STRING' }) } };
  const base = t.type as ColumnType['base'];
  return { typeKind: KINDS[base] ?? 'TYPE_STRING' };
}

const DAY_MS = 86_400_000;

function scaled(value: unknown, scale: number): bigint {
  const text = typeof value === 'number' ? value.toFixed(scale) : String(value);
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal number: ${text}`);
  const fraction = (m[3] ?? '').padEnd(scale, '0').slice(0, scale);
  const magnitude = BigInt(`${m[2] || '0'}${fraction}`);
  return m[1] === '-' ? -magnitude : magnitude;
}

function toTwosComplement(n: bigint): Buffer {
  const bytes: number[] = [];
  let v = n;
  for (;;) {
    const byte = Number(v & 0xffn);
    bytes.push(byte);
    v >>= 8n;
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return Buffer.from(bytes);
}

function fromTwosComplement(buf: Uint8Array): bigint {
  let v = 0n;
  for (let i = buf.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[i] as number);
  if (buf.length > 0 && ((buf[buf.length - 1] as number) & 0x80) !== 0) v -= 1n << BigInt(buf.length * 8);
  return v;
}

function decimalText(v: bigint, scale: number): string {
  const negative = v < 0n;
  const digits = (negative ? -v : v).toString().padStart(scale + 1, '0');
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '');
  return `${negative ? '-' : ''}${text}`;
}

export function encodeValue(t: TypeProto, v: unknown): ValueProto {
  if (v === null || v === undefined) return {};
  switch (t.typeKind) {
    case 'TYPE_ARRAY':
      return { arrayValue: { element: (v as unknown[]).map((e) => encodeValue(t.arrayType?.elementType ?? { typeKind: 'TYPE_STRING' }, e)) } };
    case 'TYPE_INT64':
      return { int64Value: String(v) };
    case 'TYPE_DOUBLE':
      return { doubleValue: Number(v) };
    case 'TYPE_BOOL':
      return { boolValue: Boolean(v) };
    case 'TYPE_DATE':
      return { dateValue: Math.round(Date.parse(`${String(v).slice(0, 10)}T00:00:00Z`) / DAY_MS) };
    case 'TYPE_TIMESTAMP': {
      const ms = v instanceof Date ? v.getTime() : Date.parse(String(v).includes('T') || String(v).endsWith('Z') ? String(v) : `${String(v).replace(' ', 'T')}Z`);
      return { timestampValue: { seconds: String(Math.floor(ms / 1000)), nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 } };
    }
    case 'TYPE_NUMERIC':
      return { numericValue: toTwosComplement(scaled(v, 9)) };
    case 'TYPE_BIGNUMERIC':
      return { bignumericValue: toTwosComplement(scaled(v, 38)) };
    case 'TYPE_JSON':
      return { jsonValue: typeof v === 'string' ? v : JSON.stringify(v) };
    default:
      return { stringValue: String(v) };
  }
}

function int64(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** ValueProto → plain JS, the type taken from the result column. */
export function decodeValue(t: TypeProto, v: ValueProto | undefined): unknown {
  const field = v?.['value'] as string | undefined;
  if (!v || !field) return null;
  const x = v[field];
  switch (field) {
    case 'arrayValue':
      return ((x as { element?: ValueProto[] }).element ?? []).map((e) => decodeValue(t.arrayType?.elementType ?? { typeKind: 'TYPE_STRING' }, e));
    case 'structValue': {
      const out: Record<string, unknown> = {};
      const fields = t.structType?.field ?? [];
      ((x as { field?: ValueProto[] }).field ?? []).forEach((f, i) => (out[fields[i]?.fieldName ?? `f${i}`] = decodeValue(fields[i]?.fieldType ?? { typeKind: 'TYPE_STRING' }, f)));
      return out;
    }
    case 'int64Value':
    case 'int32Value':
    case 'uint32Value':
    case 'uint64Value':
      return int64(String(x));
    case 'doubleValue':
    case 'floatValue':
      return Number(x);
    case 'boolValue':
      return Boolean(x);
    case 'dateValue':
      return new Date(Number(x) * DAY_MS).toISOString().slice(0, 10);
    case 'timestampValue': {
      const ts = x as { seconds?: string; nanos?: number };
      return new Date(Number(ts.seconds ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1_000_000)).toISOString();
    }
    case 'numericValue':
      return Number(decimalText(fromTwosComplement(x as Uint8Array), 9));
    case 'bignumericValue':
      return Number(decimalText(fromTwosComplement(x as Uint8Array), 38));
    case 'jsonValue':
    case 'stringValue':
      return String(x);
    default:
      return x;
  }
}
