import { defineConfig } from 'drizzle-kit';

// `npx nx run orders:db:generate` writes a new migration after a schema change.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['apps/orders/src/**/*.schema.ts', 'libs/messaging/src/lib/messaging.schema.ts'],
  out: 'apps/orders/src/migrations',
});
