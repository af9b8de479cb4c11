import { randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a number read out on the phone is not misheard. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `FC-7K3M-92QD`: 40 random bits; the unique index catches the rare collision and the caller draws again. */
export function newOrderNumber(): string {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let chars = '';
  for (let i = 0; i < 8; i++) {
    chars = CROCKFORD[Number(bits & 31n)] + chars;
    bits >>= 5n;
  }
  return `FC-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** What a shopper types: lower case, without dashes, or with O for 0 and I/L for 1, is read as meant. */
export function normaliseOrderNumber(input: string): string | null {
  const chars = input.trim().toUpperCase().replace(/^FC-?/, '').replace(/-/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(chars)) return null;
  return `FC-${chars.slice(0, 4)}-${chars.slice(4)}`;
}
