import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Order, OrderLine, OrderTransition } from '../order.entity.js';

/** Historical orders written as they were: no events, no stock, no payment (they happened elsewhere). */
@Injectable()
export class LegacyOrderImportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findIdByNumber(number: string): Promise<{ id: string } | null> {
    return this.dataSource.manager.findOne(Order, { where: { number }, select: { id: true } });
  }

  /** False when an order with the number exists (a re-run, or two at once). */
  async insert(order: Partial<Order>, lines: Partial<OrderLine>[], reason: string): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const inserted = await tx.createQueryBuilder().insert().into(Order).values(order).orIgnore().returning('id').execute();
      if ((inserted.raw as unknown[]).length === 0) return false;
      await tx.insert(OrderLine, lines);
      await tx.insert(OrderTransition, { orderId: order.id!, fromStatus: null, toStatus: order.status!, actor: 'legacy-import', reason, at: order.placedAt! });
      return true;
    });
  }
}
