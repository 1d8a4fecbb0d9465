/** A JSON Schema as `z.toJSONSchema` writes it: plain JSON. */
export type JsonSchema = { [keyword: string]: unknown };

/** Keywords that explain a schema without changing what it accepts. */
const ANNOTATIONS = ['$schema', 'title', 'description', 'examples'];

/**
 * What makes `current` break someone who relies on `published`, a version already on the wire:
 * a field removed, retyped or no longer required (its consumers read it), a new required field
 * (published messages lack it), any other change to what a field accepts (an enum value added,
 * a bound moved: a consumer validating with either schema would refuse the other's messages).
 * A new optional field is not a break: consumers ignore fields they do not know.
 * Returns one line per break, `data.items.sku: removed`; none means compatible.
 */
export function breakingChanges(
  published: JsonSchema,
  current: JsonSchema,
  path = 'data',
): string[] {
  if (published['type'] === 'object' && current['type'] === 'object') {
    return objectChanges(published, current, path);
  }
  if (published['type'] === 'array' && current['type'] === 'array') {
    return [
      ...breakingChanges(asSchema(published['items']), asSchema(current['items']), `${path}[]`),
      ...leafChanges(without(published, ['items']), without(current, ['items']), path),
    ];
  }
  const before = published['anyOf'];
  const after = current['anyOf'];
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((option, index) =>
      breakingChanges(asSchema(option), asSchema(after[index]), path),
    );
  }
  return leafChanges(published, current, path);
}

function objectChanges(published: JsonSchema, current: JsonSchema, path: string): string[] {
  const before = asProperties(published['properties']);
  const after = asProperties(current['properties']);
  const requiredBefore = new Set(asNames(published['required']));
  const requiredAfter = new Set(asNames(current['required']));
  const changes: string[] = [];
  for (const [name, schema] of Object.entries(before)) {
    const field = `${path}.${name}`;
    if (!(name in after)) {
      changes.push(`${field}: removed`);
      continue;
    }
    if (requiredBefore.has(name) && !requiredAfter.has(name)) {
      changes.push(`${field}: no longer required, and its consumers read it`);
    }
    if (!requiredBefore.has(name) && requiredAfter.has(name)) {
      changes.push(`${field}: now required, and published messages may lack it`);
    }
    changes.push(...breakingChanges(schema, after[name], field));
  }
  for (const name of Object.keys(after)) {
    if (!(name in before) && requiredAfter.has(name)) {
      changes.push(`${path}.${name}: new required field, and published messages lack it`);
    }
  }
  const structure = ['properties', 'required'];
  return [
    ...changes,
    ...leafChanges(without(published, structure), without(current, structure), path),
  ];
}

function leafChanges(published: JsonSchema, current: JsonSchema, path: string): string[] {
  const before = without(published, ANNOTATIONS);
  const after = without(current, ANNOTATIONS);
  return canonical(before) === canonical(after)
    ? []
    : [`${path}: was ${brief(before)}, now ${brief(after)}`];
}

/** JSON with object keys sorted: equal texts, equal schemas (arrays keep their order). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner,
  );
}

function without(schema: JsonSchema, keywords: string[]): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keywords.includes(key)));
}

function asSchema(value: unknown): JsonSchema {
  return typeof value === 'object' && value !== null ? (value as JsonSchema) : {};
}

function asProperties(value: unknown): Record<string, JsonSchema> {
  return asSchema(value) as Record<string, JsonSchema>;
}

function asNames(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((name) => typeof name === 'string') : [];
}

function brief(schema: JsonSchema): string {
  const text = JSON.stringify(schema);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
