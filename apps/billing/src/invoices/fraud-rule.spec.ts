import { FRAUD_TOTAL_LIMIT_CENTS, isFraudulent } from './fraud-rule';

const eur = (amountCents: number) => ({ amountCents, currency: 'EUR' });

describe('fraud rule', () => {
  it('flags a customer whose id starts with "fraud-"', () => {
    expect(isFraudulent({ customerId: 'fraud-mallory', total: eur(100) })).toBe(true);
  });

  it('flags a total above 1,000,000 cents', () => {
    expect(isFraudulent({ customerId: 'alice', total: eur(FRAUD_TOTAL_LIMIT_CENTS + 1) })).toBe(
      true,
    );
  });

  it('lets exactly 1,000,000 cents through', () => {
    expect(isFraudulent({ customerId: 'alice', total: eur(FRAUD_TOTAL_LIMIT_CENTS) })).toBe(false);
  });

  it('lets an ordinary customer through, even with "fraud" elsewhere in the id', () => {
    expect(isFraudulent({ customerId: 'alice', total: eur(2_500) })).toBe(false);
    expect(isFraudulent({ customerId: 'not-fraud-alice', total: eur(2_500) })).toBe(false);
  });
});
