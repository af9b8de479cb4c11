import { FIXED_KINDS, LINE_KINDS, PERCENTAGE_KINDS } from './pricing-rules.js';
import type { FieldProblem } from './pricing.errors.js';
import type { NewPromotion } from './promotions.repository.js';

/** Which fields go with which kind, and the window's order: every problem of a whole promotion, by field. */
export function promotionProblems(p: NewPromotion): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  if (!p.name) add('name', 'name is required');
  if (!p.kind) add('kind', 'kind is required');
  const percentage = PERCENTAGE_KINDS.includes(p.kind);
  const fixed = FIXED_KINDS.includes(p.kind);
  if (percentage && p.percentage === null) add('percentage', `percentage (1-100) is required for ${p.kind}`);
  if (!percentage && p.percentage !== null) add('percentage', `percentage does not go with ${p.kind}`);
  if (fixed && p.amount === null) add('amount', `amount (> 0) is required for ${p.kind}`);
  if (!fixed && p.amount !== null) add('amount', `amount does not go with ${p.kind}`);
  if ((p.amount !== null || p.minSubtotal !== null) && p.currency === null) add('currency', 'currency is required with an amount or a minimum subtotal');
  const targeted = p.targetSkus.length + p.targetCategoryIds.length + p.targetBrandIds.length > 0;
  if (LINE_KINDS.includes(p.kind) && !targeted) add('targets', `${p.kind} needs at least one SKU, category or brand in targets`);
  if (!LINE_KINDS.includes(p.kind) && targeted) add('targets', `targets only go with line_percentage and line_fixed`);
  if (p.startsAt && p.endsAt && p.endsAt.getTime() <= p.startsAt.getTime()) add('endsAt', 'endsAt must be after startsAt');
  if (p.firstOrderOnly === null) add('firstOrderOnly', 'firstOrderOnly must be true or false');
  if (p.active === null) add('active', 'active must be true or false');
  return problems;
}
