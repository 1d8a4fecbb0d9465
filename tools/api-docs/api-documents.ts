import {
  EVENT_TYPES,
  eventJsonSchema,
  eventSchemaFileName,
  publishedVersions,
} from '@shop/contracts';
import { join } from 'node:path';
import { asyncApiDocument } from './asyncapi-document';
import { openApiDocument, SERVICE_APP_MODULES } from './openapi-documents';

/** The repository root, from this file (tools/api-docs). */
export const REPOSITORY_ROOT = join(__dirname, '..', '..');

/** What regenerates every document below; the freshness check names it. */
export const REGENERATE_COMMAND = 'npm run docs:api';

/** The folders whose files are all generated: a file there that nothing generates is stale. */
export const GENERATED_FOLDERS = ['docs/api', 'libs/contracts/schemas'];

/** A generated document: where it is committed (from the repository root) and its text. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** Published event schemas: one file per event and version, never edited once published. */
export function eventSchemaFiles(): GeneratedFile[] {
  return EVENT_TYPES.flatMap((eventType) =>
    publishedVersions(eventType).map(({ version }) =>
      jsonFile(
        `libs/contracts/schemas/${eventSchemaFileName(eventType, version)}`,
        eventJsonSchema(eventType, version),
      ),
    ),
  );
}

/** Every generated document: the event schemas, the AsyncAPI and each service's OpenAPI. */
export async function apiDocuments(): Promise<GeneratedFile[]> {
  const openApi: GeneratedFile[] = [];
  for (const service of Object.keys(SERVICE_APP_MODULES)) {
    openApi.push(jsonFile(`docs/api/${service}.openapi.json`, await openApiDocument(service)));
  }
  return [
    ...eventSchemaFiles(),
    jsonFile('docs/api/asyncapi.json', asyncApiDocument()),
    ...openApi,
  ];
}

/** Two-space JSON and a final newline; prettier leaves these files alone (.prettierignore). */
function jsonFile(path: string, value: unknown): GeneratedFile {
  return { path, content: `${JSON.stringify(value, null, 2)}\n` };
}
