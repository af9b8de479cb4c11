import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { MovementKind, StockChangedEvent } from '#contracts';
import { EventPublisher, records } from '#platform';
import { Movement } from './movement.entity.js';
import { StockLevel } from './stock-level.entity.js';

export type NewMovement = Pick<Movement, 'sku' | 'location' | 'kind' | 'onHandDelta' | 'reservedDelta' | 'reason' | 'reference' | 'actor'>;

export interface Adjustment {
  sku: string;
  location: string;
  delta: number;
  kind: MovementKind;
  reason: string;
  actor: string;
}

/** Available units (on hand - reserved, over every location) of the SKUs that have stock rows. */
export async function availableBySku(manager: EntityManager, skus: string[]): Promise<Map<string, number>> {
  if (skus.length === 0) return new Map();
  const rows: { sku: string; available: number }[] = await manager.query(
    'SELECT sku, sum(on_hand - reserved)::int AS available FROM inventory.stock_levels WHERE sku = ANY($1) GROUP BY sku',
    [skus],
  );
  return new Map(rows.map((r) => [r.sku, r.available]));
}

/** Appends the movements and publishes one inventory.stock-changed per SKU, in the caller's transaction. */
export async function recordStockChange(tx: EntityManager, events: EventPublisher, movements: NewMovement[]): Promise<void> {
  if (movements.length === 0) return;
  await tx.insert(Movement, movements.map((m) => ({ id: randomUUID(), ...m })));
  const skus = [...new Set(movements.map((m) => m.sku))].sort();
  const available = await availableBySku(tx, skus);
  const changes = skus.map((sku) => ({ name: 'inventory.stock-changed', version: 1, sku, available: available.get(sku) ?? 0 }) satisfies StockChangedEvent);
  await events.publish(tx, ...changes);
}

/** Stock levels, admin adjustments and the movement audit. */
@Injectable()
export class StockRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  levels(sku: string): Promise<StockLevel[]> {
    return this.dataSource.manager.find(StockLevel, { where: { sku }, order: { location: 'ASC' } });
  }

  movements(sku: string, page: number, pageSize: number): Promise<[Movement[], number]> {
    return this.dataSource.manager.findAndCount(Movement, {
      where: { sku },
      order: { at: 'DESC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
  }

  availability(skus: string[]): Promise<Map<string, number>> {
    return availableBySku(this.dataSource.manager, skus);
  }

  /**
   * Changes on hand by `delta` in one conditional statement: a removal that would leave fewer units
   * than are reserved (or below zero) changes nothing and returns the level as it is (null: no row).
   */
  adjust(a: Adjustment): Promise<{ applied: boolean; level: StockLevel | null }> {
    return this.dataSource.transaction(async (tx) => {
      const sql =
        a.delta > 0
          ? `INSERT INTO inventory.stock_levels (sku, location, on_hand) VALUES ($1, $2, $3)
               ON CONFLICT (sku, location) DO UPDATE SET on_hand = stock_levels.on_hand + EXCLUDED.on_hand, updated_at = now()
               RETURNING sku`
          : `UPDATE inventory.stock_levels SET on_hand = on_hand + $3, updated_at = now()
               WHERE sku = $1 AND location = $2 AND on_hand + $3 >= reserved RETURNING sku`;
      const [row] = await records<{ sku: string }>(tx, sql, [a.sku, a.location, a.delta]);
      if (row) {
        const { delta, ...rest } = a;
        await recordStockChange(tx, this.events, [{ ...rest, onHandDelta: delta, reservedDelta: 0, reference: null }]);
      }
      return { applied: Boolean(row), level: await tx.findOneBy(StockLevel, { sku: a.sku, location: a.location }) };
    });
  }
}
