import { newOrderNumber, normaliseOrderNumber } from './order-number.js';

describe('order numbers', () => {
  it('are FC- and two groups of four Crockford base32 characters', () => {
    for (let i = 0; i < 200; i++) expect(newOrderNumber()).toMatch(/^FC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('read what a shopper types: lower case, no dashes, O for 0, I or L for 1', () => {
    expect(normaliseOrderNumber('fc-7k3m-92qd')).toBe('FC-7K3M-92QD');
    expect(normaliseOrderNumber('7K3M92QD')).toBe('FC-7K3M-92QD');
    expect(normaliseOrderNumber('FC-O1LI-0000')).toBe('FC-0111-0000');
    expect(normaliseOrderNumber('FC-7K3M-92Q')).toBeNull();
    expect(normaliseOrderNumber('FC-7K3M-92QU')).toBeNull();
  });
});
