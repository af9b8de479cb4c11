export interface Decline {
  decline_code: 'generic_decline' | 'insufficient_funds';
  message: string;
}

const GENERIC: Decline = { decline_code: 'generic_decline', message: 'Your card was declined.' };
const INSUFFICIENT: Decline = { decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' };

/**
 * Stripe-style test tokens: `tok_ok` always authorizes, `tok_decline` and `tok_insufficient` are
 * always declined; any other token is declined only when the decline dice say so.
 */
export function declineFor(token: string, rollDecline: () => boolean): Decline | null {
  if (token === 'tok_ok') return null;
  if (token === 'tok_decline') return GENERIC;
  if (token === 'tok_insufficient') return INSUFFICIENT;
  return rollDecline() ? GENERIC : null;
}
