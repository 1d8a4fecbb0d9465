// The checks of the generated documents, run with the unit tests: regenerated in memory and
// compared with the committed files. The services are compiled with the swagger plugin, as
// their build and `npm run docs:api` compile them.
module.exports = {
  displayName: 'api-docs',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/*.spec.ts'],
  transform: {
    '^.+\\.[tj]s$': [
      'ts-jest',
      {
        // The plugin reads types through ts-jest's first program, made from tsconfig.json's
        // files: openapi-documents.ts is one, and its imports bring in every service.
        tsconfig: '<rootDir>/tsconfig.json',
        astTransformers: { before: ['<rootDir>/swagger-plugin.js'] },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js'],
};
