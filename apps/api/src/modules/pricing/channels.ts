import { Injectable } from '@nestjs/common';
import { AppConfig } from '#platform';
import { InvalidPricingInputError } from './pricing.errors.js';

export interface ChannelSettings {
  /** Catalog prices include tax: tax is then the part of each line's total that is tax. */
  pricesIncludeTax: boolean;
}

export const DEFAULT_CHANNEL = 'web';

/** Sales channels and how they price; only 'web' so far, from PRICES_INCLUDE_TAX. */
@Injectable()
export class Channels {
  private readonly channels: ReadonlyMap<string, ChannelSettings>;

  constructor(config: AppConfig) {
    this.channels = new Map([[DEFAULT_CHANNEL, { pricesIncludeTax: config.get('PRICES_INCLUDE_TAX') }]]);
  }

  settings(channel: string = DEFAULT_CHANNEL): ChannelSettings {
    const settings = this.channels.get(channel);
    if (!settings) throw new InvalidPricingInputError(`Unknown channel "${channel}"`);
    return settings;
  }
}
