const MAX_SHAPE_CHARS = 300;

// Order matters: quoted values first (they may hold anything), uuids before hex ids and numbers.
const VOLATILE_PARTS: Array<[RegExp, string]> = [
  [/"(?:[^"\\]|\\.)*"/g, '"…"'],
  [/'(?:[^'\\]|\\.)*'/g, "'…'"],
  [/`[^`]*`/g, '`…`'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [
    /\b(?:0x)?[0-9a-f]*[0-9][0-9a-f]*[a-f][0-9a-f]*\b|\b(?:0x)?[0-9a-f]*[a-f][0-9a-f]*[0-9][0-9a-f]*\b/gi,
    '<hex>',
  ],
  [/\d+(?:\.\d+)?/g, '<n>'],
];

/**
 * An error message with its volatile parts (uuids, hex ids, numbers, quoted values) replaced,
 * so that the same failure about different orders falls into one group.
 */
export function errorShape(message: string): string {
  let shape = message;
  for (const [pattern, replacement] of VOLATILE_PARTS) shape = shape.replace(pattern, replacement);
  shape = shape.replace(/\s+/g, ' ').trim();
  return shape.length > MAX_SHAPE_CHARS ? `${shape.slice(0, MAX_SHAPE_CHARS)}…` : shape;
}

/** How a group is named in the console: `billing · OrderPlaced · <error shape>`. */
export function groupTitle(service: string, eventType: string | null, shape: string): string {
  return [service, eventType ?? 'not an event', shape].join(' · ');
}
