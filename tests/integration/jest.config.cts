module.exports = {
  displayName: 'integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  setupFiles: ['<rootDir>/src/support/quiet-logs.ts'],
  // Real RabbitMQ and PostgreSQL: no mocks.
  testTimeout: 60_000,
};
