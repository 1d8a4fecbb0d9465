module.exports = {
  displayName: 'chaos',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.chaos.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  // Restarts RabbitMQ and PostgreSQL: never run beside other suites (see project.json).
  maxWorkers: 1,
  testTimeout: 600_000,
};
