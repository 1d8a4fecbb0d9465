import { defineConfig } from 'drizzle-kit';

// `npx nx run payments:db:generate` writes a new migration after a schema change.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['apps/payments/src/**/*.schema.ts', 'libs/messaging/src/lib/messaging.schema.ts'],
  out: 'apps/payments/src/migrations',
});
