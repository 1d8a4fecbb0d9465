import { breakingChanges, JsonSchema } from './schema-compatibility';

const uuid = { type: 'string', format: 'uuid' };
const money = {
  type: 'object',
  properties: { amountCents: { type: 'integer', minimum: 0 }, currency: { type: 'string' } },
  required: ['amountCents', 'currency'],
};
const published: JsonSchema = {
  title: 'PaymentRefunded v1',
  type: 'object',
  properties: {
    orderId: uuid,
    amount: money,
    items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
    note: { type: 'string' },
    status: { type: 'string', enum: ['A', 'B'] },
    invoiceId: { anyOf: [uuid, { type: 'null' }] },
  },
  required: ['orderId', 'amount', 'items', 'status', 'invoiceId'],
};

/** `published` with one change made at `edit`. */
function changed(edit: (schema: any) => void): JsonSchema {
  const schema = structuredClone(published);
  edit(schema);
  return schema;
}

describe('breakingChanges', () => {
  it('finds none between a schema and itself, or when only annotations change', () => {
    expect(breakingChanges(published, published)).toEqual([]);
    expect(
      breakingChanges(
        published,
        changed((s) => {
          s.title = 'renamed';
          s.properties.orderId.description = 'the order';
        }),
      ),
    ).toEqual([]);
  });

  it('lets a new optional field through: consumers ignore what they do not know', () => {
    expect(
      breakingChanges(
        published,
        changed((s) => (s.properties.refundedAt = { type: 'string' })),
      ),
    ).toEqual([]);
  });

  it('refuses a removed field, at any depth', () => {
    expect(
      breakingChanges(
        published,
        changed((s) => delete s.properties.orderId),
      ),
    ).toEqual(['data.orderId: removed']);
    expect(
      breakingChanges(
        published,
        changed((s) => delete s.properties.items.items.properties.sku),
      ),
    ).toEqual(['data.items[].sku: removed']);
  });

  it('refuses a retyped field', () => {
    expect(
      breakingChanges(
        published,
        changed((s) => (s.properties.amount.properties.amountCents.type = 'string')),
      ),
    ).toEqual([
      'data.amount.amountCents: was {"type":"integer","minimum":0}, now {"type":"string","minimum":0}',
    ]);
    expect(
      breakingChanges(
        published,
        changed((s) => (s.properties.invoiceId = uuid)),
      ),
    ).toHaveLength(1);
  });

  it('refuses a new required field, and a field made required or optional', () => {
    expect(
      breakingChanges(
        published,
        changed((s) => {
          s.properties.refundedAt = { type: 'string' };
          s.required.push('refundedAt');
        }),
      ),
    ).toEqual(['data.refundedAt: new required field, and published messages lack it']);
    expect(
      breakingChanges(
        published,
        changed((s) => s.required.push('note')),
      ),
    ).toEqual(['data.note: now required, and published messages may lack it']);
    expect(
      breakingChanges(
        published,
        changed((s) => (s.required = s.required.filter((n: string) => n !== 'orderId'))),
      ),
    ).toEqual(['data.orderId: no longer required, and its consumers read it']);
  });

  it('refuses a changed enum or bound: one side would refuse the other side’s messages', () => {
    expect(
      breakingChanges(
        published,
        changed((s) => s.properties.status.enum.push('C')),
      ),
    ).toHaveLength(1);
    expect(
      breakingChanges(
        published,
        changed((s) => (s.properties.amount.properties.amountCents.minimum = 1)),
      ),
    ).toHaveLength(1);
  });
});
