import { defineConfig } from 'drizzle-kit';

// `npx nx run ops:db:generate` writes a new migration after a schema change.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['apps/ops/src/**/*.schema.ts', 'libs/messaging/src/lib/messaging.schema.ts'],
  out: 'apps/ops/src/migrations',
});
