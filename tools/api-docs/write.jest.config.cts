// `npm run docs:api`: regenerates every document under docs/api and libs/contracts/schemas.
// Run by jest because jest compiles the services with the swagger plugin exactly as the
// freshness check does (jest.config.cts beside this file), so what is written is what is checked.
module.exports = {
  displayName: 'docs:api',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/write-api-docs.ts'],
  transform: {
    '^.+\\.[tj]s$': [
      'ts-jest',
      {
        tsconfig: '<rootDir>/tsconfig.json',
        astTransformers: { before: ['<rootDir>/swagger-plugin.js'] },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js'],
};
