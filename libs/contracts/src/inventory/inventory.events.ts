/** Published (v1) through the outbox by every write that changes what a SKU has available. */
export interface StockChangedEvent {
  name: 'inventory.stock-changed';
  version: 1;
  sku: string;
  /** On hand minus reserved over every location, after the change. */
  available: number;
}

export const InventoryEvents = {
  stockChanged: 'inventory.stock-changed',
} as const;
