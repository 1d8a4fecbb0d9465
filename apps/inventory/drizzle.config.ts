import { defineConfig } from 'drizzle-kit';

// `npx nx run inventory:db:generate` writes a new migration after a schema change.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['apps/inventory/src/**/*.schema.ts', 'libs/messaging/src/lib/messaging.schema.ts'],
  out: 'apps/inventory/src/migrations',
});
