import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isUniqueViolation, RELAX_COMMIT, records } from '#platform';
import type { CartState } from './cart.model.js';

const COLUMNS = `id, customer_id AS "customerId", token_hash AS "tokenHash", status, currency, lines, coupon_codes AS "couponCodes",
  shipping_address AS "shippingAddress", shipping_method_id AS "shippingMethodId", pricing, version, order_id AS "orderId",
  merged_into AS "mergedInto", updated_at AS "updatedAt"`;

// The body of a change: everything a use case may set; the version is bumped by the statement.
const SAVE = `UPDATE cart.carts SET lines = $3::jsonb, coupon_codes = $4::jsonb, shipping_address = $5::jsonb, shipping_method_id = $6,
  pricing = $7::jsonb, customer_id = $8, version = version + 1, updated_at = now()
  WHERE id = $1 AND version = $2 AND status = 'open' RETURNING ${COLUMNS}`;
/** The WHERE evaluates it for the row saved; no row, nothing to commit. */
const SAVE_RELAXED = `WITH saved AS (${SAVE}) SELECT saved.* FROM saved WHERE ${RELAX_COMMIT} IS NOT NULL`;

const saveParams = (cart: CartState) => [
  cart.id,
  cart.version,
  JSON.stringify(cart.lines),
  JSON.stringify(cart.couponCodes),
  cart.shippingAddress === null ? null : JSON.stringify(cart.shippingAddress),
  cart.shippingMethodId,
  JSON.stringify(cart.pricing),
  cart.customerId,
];

/**
 * Carts as one row each, in plain SQL (a read is one statement, a change one version-checked UPDATE).
 * A change computed from a version that is no longer current writes nothing and returns null: the
 * caller reads the cart again and recomputes, so concurrent changes never lose a line.
 */
@Injectable()
export class CartsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(id: string): Promise<CartState | null> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM cart.carts WHERE id = $1`, [id]);
    return (row as CartState | undefined) ?? null;
  }

  async findOpenByCustomer(customerId: string): Promise<CartState | null> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM cart.carts WHERE customer_id = $1 AND status = 'open'`, [customerId]);
    return (row as CartState | undefined) ?? null;
  }

  async findOpenByToken(tokenHash: string): Promise<CartState | null> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM cart.carts WHERE token_hash = $1 AND status = 'open'`, [tokenHash]);
    return (row as CartState | undefined) ?? null;
  }

  /** Inserts a new open cart; null when the customer already has an open one (created concurrently). */
  async insert(cart: Pick<CartState, 'id' | 'customerId' | 'tokenHash' | 'currency' | 'pricing'>): Promise<CartState | null> {
    try {
      const [row] = await this.dataSource.query(
        `INSERT INTO cart.carts (id, customer_id, token_hash, currency, pricing) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING ${COLUMNS}`,
        [cart.id, cart.customerId, cart.tokenHash, cart.currency, JSON.stringify(cart.pricing)],
      );
      return row as CartState;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /**
   * Writes the cart if it is still open at `cart.version`; returns it as stored, or null when it
   * moved on. `relaxedCommit`: the checkout's save, which commits without waiting for its WAL flush
   * (RELAX_COMMIT). The checkout's first commit that waits for its flush makes it durable too, and a
   * checkout that stops before one re-applies the same request on its retry.
   */
  async save(cart: CartState, relaxedCommit = false): Promise<CartState | null> {
    // One statement, no transaction around it: the UPDATE's row lock and version check are the guard.
    const runner = this.dataSource.createQueryRunner();
    try {
      return ((await runner.query(relaxedCommit ? SAVE_RELAXED : SAVE, saveParams(cart), true)).records[0] as CartState | undefined) ?? null;
    } finally {
      await runner.release();
    }
  }

  /** Both or neither: the customer's cart takes the merged lines, the guest cart becomes `merged` (each at its read version). */
  async saveMerge(target: CartState, guest: CartState): Promise<CartState | null> {
    return this.dataSource.transaction(async (tx) => {
      const [closed] = await records<{ id: string }>(
        tx,
        `UPDATE cart.carts SET status = 'merged', merged_into = $3, version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 AND status = 'open' RETURNING id`,
        [guest.id, guest.version, target.id],
      );
      const [saved] = closed ? await records<CartState>(tx, SAVE, saveParams(target)) : [];
      if (!saved) throw new MergeRaced();
      return saved;
    }).catch((error: unknown) => {
      if (error instanceof MergeRaced) return null;
      throw error;
    });
  }

  /**
   * open -> converted for this order. Returns the cart after the attempt: converted with this order
   * means done (now or before); anything else is the caller's to refuse.
   */
  async markConverted(id: string, orderId: string): Promise<CartState | null> {
    await this.dataSource.query(
      `UPDATE cart.carts SET status = 'converted', order_id = $2, version = version + 1, updated_at = now() WHERE id = $1 AND status = 'open'`,
      [id, orderId],
    );
    return this.find(id);
  }
}

class MergeRaced extends Error {}
