// Named query parameters as BigQuery's REST API takes them, each with an explicit type: the type
// comes from QueryOptions.paramTypes where declared, else from the JS value. A NULL has no type of
// its own, so it must be declared; so must a DATE or TIMESTAMP (text is STRING otherwise).
import { CourtsideError } from '../../core/errors.js';
import type { ParamType, SqlParams, SqlValue } from '../warehouse.js';

export interface RestParameterType {
  readonly type: string;
  readonly arrayType?: RestParameterType;
}

export interface RestParameterValue {
  readonly value?: string;
  readonly arrayValues?: readonly RestParameterValue[];
}

export interface RestQueryParameter {
  readonly name: string;
  readonly parameterType: RestParameterType;
  readonly parameterValue: RestParameterValue;
}

export class ParameterError extends CourtsideError {
  constructor(name: string, message: string) {
    super('BAD_PARAMETER', `query parameter $${name}: ${message}`, 2);
  }
}

type Scalar = 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'DATE' | 'TIMESTAMP' | 'NUMERIC';

function inferScalar(name: string, v: string | number | boolean | bigint): Scalar {
  if (typeof v === 'string') return 'STRING';
  if (typeof v === 'boolean') return 'BOOL';
  if (typeof v === 'bigint') return 'INT64';
  if (!Number.isFinite(v)) throw new ParameterError(name, `${v} is not a finite number`);
  if (Number.isInteger(v) && !Number.isSafeInteger(v)) throw new ParameterError(name, `${v} is an integer beyond 2^53, where JS numbers are not exact: pass a bigint, or a string declared INT64`);
  return Number.isInteger(v) ? 'INT64' : 'FLOAT64';
}

function scalarText(name: string, type: Scalar, v: string | number | boolean | bigint): string {
  switch (type) {
    case 'STRING':
      return String(v);
    case 'BOOL':
      if (typeof v !== 'boolean') throw new ParameterError(name, `declared BOOL but got ${JSON.stringify(String(v))}`);
      return String(v);
    case 'INT64':
      if (typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v))) return String(v);
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
      throw new ParameterError(name, `declared INT64 but got ${String(v)}`);
    case 'FLOAT64':
    case 'NUMERIC':
      if (typeof v === 'number' || typeof v === 'bigint') return String(v);
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return v;
      throw new ParameterError(name, `declared ${type} but got ${JSON.stringify(v)}`);
    case 'DATE':
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
      throw new ParameterError(name, `declared DATE but got ${JSON.stringify(String(v))} (expected YYYY-MM-DD)`);
    case 'TIMESTAMP':
      if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return v;
      throw new ParameterError(name, `declared TIMESTAMP but got ${JSON.stringify(String(v))}`);
  }
}

function arrayElementType(declared: ParamType | undefined): Scalar | undefined {
  const m = declared ? /^ARRAY<(\w+)>$/.exec(declared) : null;
  return m ? (m[1] as Scalar) : undefined;
}

/** One parameter in REST form. */
export function restParameter(name: string, value: SqlValue, declared?: ParamType): RestQueryParameter {
  if (Array.isArray(value)) {
    if (declared && !declared.startsWith('ARRAY<')) throw new ParameterError(name, `declared ${declared} but got an array`);
    const list = value as readonly (string | number)[];
    let element = arrayElementType(declared);
    if (!element) {
      if (list.length === 0) element = 'STRING'; // as DuckDB binds an empty list: VARCHAR[]
      else if (list.every((x) => typeof x === 'string')) element = 'STRING';
      else if (list.every((x) => typeof x === 'number')) element = list.every((x) => Number.isInteger(x)) ? 'INT64' : 'FLOAT64';
      else throw new ParameterError(name, 'an array mixes strings and numbers');
    }
    const arrayValues = list.map((x, i) => {
      if (x === null || x === undefined) throw new ParameterError(name, `element ${i} is NULL; BigQuery arrays cannot hold NULL`);
      return { value: scalarText(name, element, x) };
    });
    return { name, parameterType: { type: 'ARRAY', arrayType: { type: element } }, parameterValue: { arrayValues } };
  }
  if (declared?.startsWith('ARRAY<') && value !== null) throw new ParameterError(name, `declared ${declared} but got ${JSON.stringify(String(value))}`);
  if (value === null || value === undefined) {
    if (!declared) throw new ParameterError(name, 'is NULL: declare its type in QueryOptions.paramTypes (BigQuery needs a type for every NULL)');
    const element = arrayElementType(declared);
    const parameterType = element ? { type: 'ARRAY', arrayType: { type: element } } : { type: declared };
    return { name, parameterType, parameterValue: {} };
  }
  const scalar = value as string | number | boolean | bigint;
  const type = (declared as Scalar | undefined) ?? inferScalar(name, scalar);
  return { name, parameterType: { type }, parameterValue: { value: scalarText(name, type, scalar) } };
}

/** The parameters a text names, in REST form; a named parameter without a value is an error. */
export function restParameters(names: readonly string[], params: SqlParams | undefined, declared: Readonly<Record<string, ParamType>> | undefined): RestQueryParameter[] {
  return names.map((name) => {
    if (!params || !Object.prototype.hasOwnProperty.call(params, name)) throw new ParameterError(name, 'is used by the SQL but was not given');
    return restParameter(name, params[name] as SqlValue, declared?.[name]);
  });
}
