import { defineConfig } from 'drizzle-kit';

// The inbox and outbox tables alone, for the messaging integration tests.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['libs/messaging/src/lib/messaging.schema.ts'],
  out: 'tests/integration/src/messaging/migrations',
});
