import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type FindOptionsWhere, IsNull, Not } from 'typeorm';
import { records } from '#platform';
import { Promotion } from './promotion.entity.js';
import { CustomerUses } from './redemption.entity.js';

export type NewPromotion = Omit<Promotion, 'id' | 'uses' | 'createdAt' | 'updatedAt'>;
export type PromotionChanges = Partial<NewPromotion>;

export interface PromotionFilter {
  active?: boolean;
  type?: 'coupon' | 'automatic';
  kind?: Promotion['kind'];
  code?: string;
}

export type RedeemOutcome =
  | { outcome: 'redeemed'; usedUp: string[] }
  | { outcome: 'refused'; promotionId: string; reason: 'not_found' | RedeemRefusal; name: string };

/** Why a promotion's use could not be taken: switched off or out of its window since the cart was priced, used up, or a customer limit. */
export type RedeemRefusal = 'inactive' | 'not_started' | 'expired' | 'exhausted' | 'customer_limit_reached' | 'customer_only';

class Refusal extends Error {
  constructor(readonly refusal: Extract<RedeemOutcome, { outcome: 'refused' }>) {
    super(refusal.reason);
  }
}

// The cart was priced from a cached view: the window and the switch are checked again here, at the
// moment the use is taken, so a promotion that ended or was switched off since is refused.
const TAKE_USE = `UPDATE pricing.promotions SET uses = uses + 1
  WHERE id = $1 AND active AND (starts_at IS NULL OR starts_at <= now()) AND (ends_at IS NULL OR ends_at > now())
    AND (usage_limit IS NULL OR uses < usage_limit)
  RETURNING name, uses, usage_limit AS "usageLimit", per_customer_limit AS "perCustomerLimit"`;
const TAKE_CUSTOMER_USE = `INSERT INTO pricing.customer_uses (promotion_id, customer_key, uses) VALUES ($1, $2, 1)
  ON CONFLICT (promotion_id, customer_key) DO UPDATE SET uses = customer_uses.uses + 1
  WHERE $3::int IS NULL OR customer_uses.uses < $3::int
  RETURNING uses`;
const WHY_NOT_TAKEN = `SELECT name, CASE WHEN NOT active THEN 'inactive' WHEN starts_at > now() THEN 'not_started'
    WHEN ends_at <= now() THEN 'expired' ELSE 'exhausted' END AS reason
  FROM pricing.promotions WHERE id = $1`;
const HOLD = `INSERT INTO pricing.redemptions (id, promotion_id, reference, customer_key) VALUES ($1, $2, $3, $4)
  ON CONFLICT (promotion_id, reference) WHERE released_at IS NULL DO NOTHING RETURNING id`;

/** Promotions, and their uses: taken by conditional statements in one transaction, never counted then written. */
@Injectable()
export class PromotionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(fields: NewPromotion): Promise<Promotion> {
    const id = randomUUID();
    await this.dataSource.manager.insert(Promotion, { ...fields, id });
    return this.dataSource.manager.findOneByOrFail(Promotion, { id });
  }

  findById(id: string): Promise<Promotion | null> {
    return this.dataSource.manager.findOneBy(Promotion, { id });
  }

  findByCode(code: string): Promise<Promotion | null> {
    return this.dataSource.manager.findOneBy(Promotion, { code });
  }

  /** Active automatic promotions, oldest first; windows and limits are the calculator's to check. */
  activeAutomatic(): Promise<Promotion[]> {
    return this.dataSource.manager.find(Promotion, { where: { code: IsNull(), active: true }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  list(filter: PromotionFilter, page: number, pageSize: number): Promise<[Promotion[], number]> {
    const where: FindOptionsWhere<Promotion> = {};
    if (filter.active !== undefined) where.active = filter.active;
    if (filter.kind) where.kind = filter.kind;
    if (filter.type) where.code = filter.type === 'automatic' ? IsNull() : Not(IsNull());
    if (filter.code) where.code = filter.code;
    return this.dataSource.manager.findAndCount(Promotion, { where, order: { createdAt: 'DESC', id: 'ASC' }, skip: (page - 1) * pageSize, take: pageSize });
  }

  async update(id: string, changes: PromotionChanges): Promise<Promotion | null> {
    if (Object.keys(changes).length > 0) await this.dataSource.manager.update(Promotion, { id }, changes);
    return this.findById(id);
  }

  /** Deletes a promotion never redeemed; deactivates one that was (its redemptions stay meaningful). */
  remove(id: string): Promise<'deleted' | 'deactivated' | null> {
    return this.dataSource.transaction(async (tx) => {
      const deleted = await records(tx, `DELETE FROM pricing.promotions p WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM pricing.redemptions r WHERE r.promotion_id = p.id) RETURNING id`, [id]);
      if (deleted.length > 0) return 'deleted';
      const deactivated = await records(tx, `UPDATE pricing.promotions SET active = false, updated_at = now() WHERE id = $1 RETURNING id`, [id]);
      return deactivated.length > 0 ? 'deactivated' : null;
    });
  }

  /** Uses held by one customer key, per promotion. */
  async customerUses(customerKey: string, promotionIds: string[]): Promise<Map<string, number>> {
    if (promotionIds.length === 0) return new Map();
    const rows = await this.dataSource.manager.findBy(CustomerUses, promotionIds.map((promotionId) => ({ promotionId, customerKey })));
    return new Map(rows.map((r) => [r.promotionId, r.uses]));
  }

  /**
   * One use of each promotion for `reference`, all or none. Promotions are taken in id order (no
   * deadlock between two redeems); a promotion already held by the reference is skipped.
   * `usedUp`: promotions this redeem took the last use of (cached views of them are now stale).
   */
  async redeem(reference: string, customerKey: string | null, promotionIds: string[]): Promise<RedeemOutcome> {
    const ids = [...new Set(promotionIds)].sort();
    try {
      return await this.dataSource.transaction(async (tx) => {
        const usedUp: string[] = [];
        for (const promotionId of ids) {
          const [held] = await records(tx, HOLD, [randomUUID(), promotionId, reference, customerKey]);
          if (!held) continue;
          const [taken] = await records<{ name: string; uses: number; usageLimit: number | null; perCustomerLimit: number | null }>(tx, TAKE_USE, [promotionId]);
          if (!taken) {
            const [existing] = await records<{ name: string; reason: RedeemRefusal }>(tx, WHY_NOT_TAKEN, [promotionId]);
            throw new Refusal({ outcome: 'refused', promotionId, reason: existing?.reason ?? 'not_found', name: existing?.name ?? promotionId });
          }
          if (taken.usageLimit !== null && taken.uses >= taken.usageLimit) usedUp.push(promotionId);
          if (customerKey) {
            const [counted] = await records(tx, TAKE_CUSTOMER_USE, [promotionId, customerKey, taken.perCustomerLimit]);
            if (!counted) throw new Refusal({ outcome: 'refused', promotionId, reason: 'customer_limit_reached', name: taken.name });
          } else if (taken.perCustomerLimit !== null) {
            throw new Refusal({ outcome: 'refused', promotionId, reason: 'customer_only', name: taken.name });
          }
        }
        return { outcome: 'redeemed', usedUp };
      });
    } catch (error) {
      if (error instanceof Refusal) return error.refusal;
      throw error;
    }
  }

  /** Gives back every held use of `reference`; returns the promotions that had been used up. */
  release(reference: string): Promise<{ released: number; freed: string[] }> {
    return this.dataSource.transaction(async (tx) => {
      const held = await records<{ promotionId: string; customerKey: string | null }>(
        tx,
        `UPDATE pricing.redemptions SET released_at = now() WHERE reference = $1 AND released_at IS NULL RETURNING promotion_id AS "promotionId", customer_key AS "customerKey"`,
        [reference],
      );
      const freed: string[] = [];
      for (const { promotionId, customerKey } of held.sort((a, b) => a.promotionId.localeCompare(b.promotionId))) {
        const [row] = await records<{ uses: number; usageLimit: number | null }>(
          tx,
          `UPDATE pricing.promotions SET uses = uses - 1 WHERE id = $1 AND uses > 0 RETURNING uses, usage_limit AS "usageLimit"`,
          [promotionId],
        );
        if (row && row.usageLimit !== null && row.uses + 1 >= row.usageLimit) freed.push(promotionId);
        if (customerKey) {
          await records(tx, `UPDATE pricing.customer_uses SET uses = uses - 1 WHERE promotion_id = $1 AND customer_key = $2 AND uses > 0 RETURNING uses`, [promotionId, customerKey]);
        }
      }
      return { released: held.length, freed };
    });
  }
}
