import { Injectable } from '@nestjs/common';
import type { Queryable } from '../database/database.js';
import { type SealedRow, Secrets } from './secrets.js';

/** One sealed value as its table holds it. */
export interface SealedValue extends SealedRow {
  sealed: string;
}

/**
 * A column of sealed values, as the module that owns it reads and writes
 * it (through its repository): pages in a stable order, and a swap that
 * only lands while the row still holds what was read.
 */
export interface SealedColumn {
  purpose: string;
  /** Up to `limit` values after `after` (null: from the start), in the column's order. */
  page(after: SealedValue | null, limit: number): Promise<SealedValue[]>;
  /** Writes `sealed` in place of `value.sealed`; false when the row changed meanwhile (the new value is already current). */
  replace(value: SealedValue, sealed: string): Promise<boolean>;
}

/**
 * The reads and swaps of a sealed column in a table keyed by (sandbox_id,
 * id), for the repository that owns the table to hand to SealedData.
 */
export function sealedColumn(q: Queryable, table: string, column: string): Omit<SealedColumn, 'purpose'> {
  return {
    page: (after, limit) =>
      q.rows<SealedValue>(
        `SELECT sandbox_id AS "sandboxId", id, ${column} AS sealed FROM ${table}
          WHERE ${column} IS NOT NULL AND (sandbox_id, id) > ($1, $2) ORDER BY sandbox_id, id LIMIT $3`,
        [after?.sandboxId ?? '', after?.id ?? '', limit],
      ),
    replace: async (value, sealed) =>
      (
        await q.rows(`UPDATE ${table} SET ${column} = $4 WHERE sandbox_id = $1 AND id = $2 AND ${column} = $3 RETURNING 1`, [
          value.sandboxId,
          value.id,
          value.sealed,
          sealed,
        ])
      ).length > 0,
  };
}

export interface ResealReport {
  column: string;
  resealed: number;
  current: number;
  /** Values no configured key opens, named by row: left as they are. */
  unopenable: string[];
}

const PAGE = 500;

/**
 * Each module registers its sealed columns; a key rotation re-seals them all
 * under the current key, so no module writes another's tables.
 */
@Injectable()
export class SealedData {
  private readonly columns = new Map<string, SealedColumn>();

  constructor(private readonly secrets: Secrets) {}

  register(name: string, column: SealedColumn): void {
    this.columns.set(name, column);
  }

  /** Re-seals every value not yet under the current key; `secrets` may be another key set (tests). */
  async resealAll(secrets: Secrets = this.secrets): Promise<ResealReport[]> {
    const reports: ResealReport[] = [];
    for (const [name, column] of this.columns) {
      const report: ResealReport = { column: name, resealed: 0, current: 0, unopenable: [] };
      let page = await column.page(null, PAGE);
      while (page.length > 0) {
        for (const value of page) await this.resealOne(secrets, column, value, report);
        page = page.length < PAGE ? [] : await column.page(page[page.length - 1], PAGE);
      }
      reports.push(report);
    }
    return reports;
  }

  private async resealOne(secrets: Secrets, column: SealedColumn, value: SealedValue, report: ResealReport): Promise<void> {
    let sealed: string | null;
    try {
      sealed = secrets.reseal(column.purpose, value, value.sealed);
    } catch (error) {
      report.unopenable.push((error as Error).message);
      return;
    }
    // A row changed meanwhile (sealed anew by a process on the new key, or emptied) needs nothing more.
    if (sealed !== null && (await column.replace(value, sealed))) report.resealed++;
    else report.current++;
  }
}
