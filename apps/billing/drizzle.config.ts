import { defineConfig } from 'drizzle-kit';

// `npx nx run billing:db:generate` writes a new migration after a schema change.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['apps/billing/src/**/*.schema.ts', 'libs/messaging/src/lib/messaging.schema.ts'],
  out: 'apps/billing/src/migrations',
});
