import { Injectable } from '@nestjs/common';
import type { ShippingMethodView } from '#contracts';
import { AppConfig } from '#platform';
import { parseShippingRates } from './cart-rules.js';
import { UnknownShippingMethodError } from './cart.errors.js';

/** Flat rates from SHIPPING_FLAT_RATES, one amount whatever the cart's currency, until a shipping context quotes real ones. */
@Injectable()
export class ShippingRates {
  readonly all: ShippingMethodView[];

  constructor(config: AppConfig) {
    this.all = parseShippingRates(config.get('SHIPPING_FLAT_RATES'));
  }

  get defaultId(): string {
    return this.all[0]!.id;
  }

  /** The method's id, or UnknownShippingMethodError. */
  known(methodId: string): string {
    if (!this.all.some((r) => r.id === methodId)) throw new UnknownShippingMethodError(methodId, this.all.map((r) => r.id));
    return methodId;
  }
}
