import type { Money } from '@shop/contracts';

/**
 * `Money` (libs/contracts) as a class, for the OpenAPI documents: the swagger plugin reads a
 * response's shape from classes in `*.response.ts` files (tools/api-docs/swagger-plugin.js).
 */
export class MoneyResponse implements Money {
  /** Integer minor units (cents). */
  amountCents!: number;
  /** ISO 4217 code, e.g. EUR. */
  currency!: string;
}
