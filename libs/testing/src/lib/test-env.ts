/** Where the real servers are; override to run the suites against other hosts. */
export const testEnv = {
  rabbitmqUrl: process.env['TEST_RABBITMQ_URL'] ?? 'amqp://guest:guest@localhost:5672',
  rabbitmqManagementUrl:
    process.env['TEST_RABBITMQ_MANAGEMENT_URL'] ?? 'http://guest:guest@localhost:15672',
  postgresUrl: process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@localhost:5432/postgres',
};

/** A short random suffix that keeps names of concurrent runs apart. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
