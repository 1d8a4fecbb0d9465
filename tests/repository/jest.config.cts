// Checks of the repository itself, run with the unit tests: fast, no broker, no database.
// The services are compiled with the swagger plugin, as their build and `npm run docs:api`
// compile them, so that the API documents generated here are the ones served and committed.
// The plugin reads types through ts-jest's first program, made from tsconfig.json's files:
// that is why it includes tools/api-docs, whose imports bring in every service.
module.exports = {
  displayName: 'repository',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': [
      'ts-jest',
      {
        tsconfig: '<rootDir>/tsconfig.json',
        astTransformers: { before: ['<rootDir>/../../tools/api-docs/swagger-plugin.js'] },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js'],
};
