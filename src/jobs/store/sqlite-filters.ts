import type { RemoveJobsOptions } from 'agenda';
import type { SqlValue } from './sqlite-connection.js';
import { UNIQUE_QUERYABLE_COLUMNS, columnValue } from './sqlite-rows.js';

/** A WHERE clause under construction: conditions joined with AND, values bound in order. */
export class Where {
  readonly conditions: string[] = [];
  readonly params: SqlValue[] = [];

  add(condition: string, ...params: SqlValue[]): this {
    this.conditions.push(condition);
    this.params.push(...params);
    return this;
  }

  get isEmpty(): boolean {
    return this.conditions.length === 0;
  }

  toSql(): string {
    return this.isEmpty ? '' : `WHERE ${this.conditions.join(' AND ')}`;
  }
}

export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** A JSON path (`$."a"."b"`) into the data column; keys are quoted, the path itself is bound. */
export function jsonPath(segments: readonly string[]): string {
  return segments.reduce((acc, segment) => {
    if (segment.includes('"')) throw new Error(`unsupported key in job data filter: ${JSON.stringify(segment)}`);
    return `${acc}."${segment}"`;
  }, '$');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * "data contains this value", the SQLite reading of PostgreSQL's `data @> value`: every leaf of a
 * filter object must be present with an equal JSON value (arrays compare whole). Values compare as
 * JSON, so 1, "1" and true stay distinct, as in MongoDB.
 */
export function addDataContains(where: Where, value: unknown, segments: readonly string[] = []): void {
  if (isPlainObject(value)) {
    for (const [key, nested] of Object.entries(value)) addDataContains(where, nested, [...segments, key]);
    return;
  }
  const json = JSON.stringify(value instanceof Date ? value.toISOString() : value ?? null);
  if (segments.length === 0) where.add('json(data) = json(?)', json);
  else where.add('(data -> ?) = json(?)', jsonPath(segments), json);
}

/** The filter shared by cancel, disable and enable; null when the options select nothing. */
export function whereFromRemoveOptions(options: RemoveJobsOptions): Where | null {
  const where = new Where();
  if (options.id) where.add('id = ?', options.id.toString());
  else if (options.ids && options.ids.length > 0) {
    where.add(`id IN (${placeholders(options.ids.length)})`, ...options.ids.map(id => id.toString()));
  }
  if (options.name) where.add('name = ?', options.name);
  else if (options.names && options.names.length > 0) {
    where.add(`name IN (${placeholders(options.names.length)})`, ...options.names);
  } else if (options.notNames && options.notNames.length > 0) {
    where.add(`name NOT IN (${placeholders(options.notNames.length)})`, ...options.notNames);
  }
  if (options.data !== undefined) addDataContains(where, options.data);
  return where.isEmpty ? null : where;
}

/**
 * The filter of a job's `unique` constraint: `data.<path>` keys compare inside the JSON data,
 * other keys name a column (camelCase or snake_case) checked against an allowlist.
 */
export function whereFromUnique(name: string, unique: Record<string, unknown>): Where {
  const where = new Where().add('name = ?', name);
  for (const [key, value] of Object.entries(unique)) {
    if (key.startsWith('data.')) {
      addDataContains(where, value, key.slice('data.'.length).split('.'));
      continue;
    }
    if (key === 'data') {
      addDataContains(where, value);
      continue;
    }
    const column = key === '_id' ? 'id' : key.replace(/([A-Z])/g, '_$1').toLowerCase();
    if (!UNIQUE_QUERYABLE_COLUMNS.has(column)) throw new Error(`Invalid unique constraint field: "${key}"`);
    const bound = columnValue(column, value);
    if (bound === null) where.add(`"${column}" IS NULL`);
    else where.add(`"${column}" = ?`, bound);
  }
  return where;
}
