// The @nestjs/swagger compiler plugin, configured once for the services' webpack build and for
// the jest runs that generate and check docs/api: both must see the same metadata.
// It reads request DTOs (`*.dto.ts`, `*.query.ts`: class-validator rules become the schema)
// and response classes (`*.response.ts`) from their TypeScript types and doc comments, and a
// controller method's declared return type becomes its response, so few decorators are needed.
const { before } = require('@nestjs/swagger/plugin');

const options = {
  dtoFileNameSuffix: ['.dto.ts', '.query.ts', '.response.ts'],
  controllerFileNameSuffix: ['.controller.ts'],
  classValidatorShim: true,
  introspectComments: true,
};

module.exports = {
  options,
  /** The transformer for a program (ts-loader's `getCustomTransformers`). */
  before: (program) => before(options, program),
  // The shape ts-jest expects of an AST transformer; bump `version` when `options` change,
  // so that jest's cache of compiled files is not reused.
  name: 'nestjs-swagger-plugin',
  version: 1,
  factory: (tsCompiler) => before(options, tsCompiler.program),
};
