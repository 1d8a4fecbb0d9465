import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_APP_MODULES, openApiDocument } from './openapi-documents';

const ROOT = join(__dirname, '..', '..');

it('writes', async () => {
  for (const service of Object.keys(SERVICE_APP_MODULES)) {
    const doc = await openApiDocument(service);
    writeFileSync(join(ROOT, 'tmp', `${service}.openapi.json`), JSON.stringify(doc, null, 2));
  }
}, 120_000);
