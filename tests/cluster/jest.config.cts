module.exports = {
  displayName: 'cluster',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.cluster.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  // Before @shop/testing is imported: the suite's TestSystems live on its private cluster.
  setupFiles: ['<rootDir>/src/support/cluster-env.ts'],
  // Starts and kills RabbitMQ nodes of its own: never beside other suites (see project.json).
  maxWorkers: 1,
  testTimeout: 600_000,
};
