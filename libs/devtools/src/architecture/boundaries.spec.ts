import { findViolations } from './boundaries.js';

describe('architecture boundaries', () => {
  it('flags a context importing another context, by relative path', () => {
    const violations = findViolations([
      { path: 'apps/api/src/modules/orders/orders.service.ts', source: "import { StockService } from '../inventory/stock.service.js';" },
    ]);
    expect(violations).toEqual([expect.objectContaining({ rule: 'cross-context-import', line: 1 })]);
    expect(violations[0]?.detail).toMatch(/orders imports inventory/);
  });

  it('allows imports inside a context and of contracts and the platform', () => {
    expect(
      findViolations([
        {
          path: 'apps/api/src/modules/orders/orders.service.ts',
          source: [
            "import { OrdersRepository } from './orders.repository.js';",
            "import { INVENTORY_API, type InventoryApi } from '#contracts';",
            "import { DomainError } from '#platform';",
            "import { PlaceOrderDto } from './dto/place-order.dto.js';",
          ].join('\n'),
        },
      ]),
    ).toEqual([]);
  });

  it('keeps TypeORM in repositories, entities and modules', () => {
    const source = "import { DataSource } from 'typeorm';\nimport { InjectRepository } from '@nestjs/typeorm';";
    expect(findViolations([{ path: 'apps/api/src/modules/orders/orders.service.ts', source }]).map((v) => v.rule)).toEqual([
      'typeorm-outside-persistence',
      'typeorm-outside-persistence',
    ]);
    for (const path of ['orders.repository.ts', 'order.entity.ts', 'orders.module.ts', 'orders.repository.int-spec.ts']) {
      expect(findViolations([{ path: `apps/api/src/modules/orders/${path}`, source }])).toEqual([]);
    }
  });

  it('keeps contracts free of implementation', () => {
    const violations = findViolations([
      { path: 'libs/contracts/src/orders/orders.api.ts', source: "import { Order } from '../../../../apps/api/src/modules/orders/order.entity.js';" },
    ]);
    expect(violations.map((v) => v.rule)).toEqual(['contracts-depend-on-implementation']);
  });
});
