// The one webpack build every service shares: a Node bundle in dist/apps/<service> holding the
// service and the workspace libs it imports (npm packages stay external, loaded from
// node_modules), with the service's drizzle migrations copied beside main.js (where
// MIGRATIONS_FOLDER looks for them), and for a service with a web console (ops), its files in
// console/ beside them. Plain webpack + ts-loader, with one compiler plugin: @nestjs/swagger's,
// which reads the OpenAPI metadata from types and comments (served at /docs outside production).
const CopyPlugin = require('copy-webpack-plugin');
const { TsconfigPathsPlugin } = require('tsconfig-paths-webpack-plugin');
const { existsSync } = require('fs');
const { join } = require('path');
const swaggerPlugin = require('../api-docs/swagger-plugin');

const workspaceRoot = join(__dirname, '..', '..');

/** `@shop/*` libs are bundled; every other bare import is an npm package, required at run time. */
function isNpmPackage(request) {
  return !request.startsWith('.') && !request.startsWith('/') && !request.startsWith('@shop/');
}

module.exports = function serviceWebpackConfig(service) {
  const appRoot = join(workspaceRoot, 'apps', service);
  const tsConfig = join(appRoot, 'tsconfig.app.json');
  const migrationsFolder = join(appRoot, 'src', 'migrations');
  const consoleFolder = join(appRoot, 'src', 'console');
  const copies = [
    ...(existsSync(migrationsFolder) ? [{ from: migrationsFolder, to: 'migrations' }] : []),
    // Plain HTML, CSS and ES modules, served as they are: no front-end build step.
    ...(existsSync(consoleFolder)
      ? [{ from: '*.{html,css,js}', context: consoleFolder, to: 'console' }]
      : []),
  ];
  return {
    // 'none': no build-time process.env.NODE_ENV; the service reads it when it runs.
    mode: 'none',
    target: 'node',
    context: appRoot,
    entry: { main: './src/main.ts' },
    devtool: 'source-map',
    output: {
      path: join(workspaceRoot, 'dist', 'apps', service),
      filename: '[name].js',
      library: { type: 'commonjs2' },
      clean: true,
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    },
    // __dirname is the bundle's folder at run time, where the migrations and console are.
    node: false,
    resolve: {
      extensions: ['.ts', '.js'],
      // The `@shop/*` paths of tsconfig.base.json, which sit relative to the workspace root.
      plugins: [new TsconfigPathsPlugin({ configFile: tsConfig, baseUrl: workspaceRoot })],
    },
    externals: [
      ({ request }, callback) =>
        isNpmPackage(request) ? callback(null, `commonjs ${request}`) : callback(),
    ],
    module: {
      rules: [
        {
          test: /\.ts$/,
          loader: 'ts-loader',
          // Decorator metadata included, which Nest's dependency injection reads. Not
          // transpile-only: the swagger plugin needs the program (the build type-checks too).
          options: {
            configFile: tsConfig,
            transpileOnly: false,
            getCustomTransformers: (program) => ({
              before: [swaggerPlugin.before(program)],
            }),
          },
        },
      ],
    },
    // A service's own files beside main.js (apps/setup has none).
    plugins: copies.length > 0 ? [new CopyPlugin({ patterns: copies })] : [],
    performance: { hints: false },
  };
};
