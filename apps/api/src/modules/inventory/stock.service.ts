import { Injectable } from '@nestjs/common';
import type { CallContext, SkuAvailability } from '#contracts';
import type { AdjustStockDto } from './dto/adjust-stock.dto.js';
import type { StockViewDto } from './dto/stock.responses.js';
import type { StockMovementsQuery } from './dto/stock-movements.query.js';
import { InsufficientStockError, InvalidAdjustmentError, SkuNotStockedError } from './inventory.errors.js';
import { actorOf } from './reservations.service.js';
import { SKU_PATTERN } from './sku.js';
import { DEFAULT_LOCATION } from './stock-level.entity.js';
import { StockRepository } from './stock.repository.js';

/** What admins see and change of a SKU's stock. */
@Injectable()
export class StockService {
  constructor(private readonly stock: StockRepository) {}

  async availability(_ctx: CallContext, skus: string[]): Promise<SkuAvailability[]> {
    const available = await this.stock.availability([...new Set(skus)]);
    return skus.map((sku) => ({ sku, available: Math.max(0, available.get(sku) ?? 0) }));
  }

  async view(_ctx: CallContext, sku: string, query: StockMovementsQuery): Promise<StockViewDto> {
    const levels = SKU_PATTERN.test(sku) ? await this.stock.levels(sku) : [];
    if (levels.length === 0) throw new SkuNotStockedError(sku);
    const [movements, total] = await this.stock.movements(sku, query.page, query.pageSize);
    const onHand = levels.reduce((sum, l) => sum + l.onHand, 0);
    const reserved = levels.reduce((sum, l) => sum + l.reserved, 0);
    return {
      sku,
      onHand,
      reserved,
      available: onHand - reserved,
      levels: levels.map(({ location, onHand, reserved }) => ({ location, onHand, reserved, available: onHand - reserved })),
      movements: {
        items: movements.map(({ id, location, kind, onHandDelta, reservedDelta, reason, reference, actor, at }) => ({
          id, location, kind, onHandDelta, reservedDelta, reason, reference, actor, at: at.toISOString(),
        })),
        total,
        page: query.page,
        pageSize: query.pageSize,
      },
    };
  }

  async adjust(ctx: CallContext, sku: string, dto: AdjustStockDto): Promise<StockViewDto> {
    if (!SKU_PATTERN.test(sku)) throw new InvalidAdjustmentError('sku must be 1 to 64 letters, digits, dots, underscores or hyphens');
    if (dto.kind !== 'adjusted' && dto.delta < 0) throw new InvalidAdjustmentError(`${dto.kind} units are added: delta must be positive (use kind "adjusted" to remove units)`);
    const location = dto.location ?? DEFAULT_LOCATION;
    const { applied, level } = await this.stock.adjust({ sku, location, delta: dto.delta, kind: dto.kind, reason: dto.reason, actor: actorOf(ctx) });
    if (!applied) throw new InsufficientStockError(sku, location, level?.onHand ?? 0, level?.reserved ?? 0, dto.delta);
    return this.view(ctx, sku, { page: 1, pageSize: 20 });
  }
}
