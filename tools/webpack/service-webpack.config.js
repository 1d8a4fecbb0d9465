// The one webpack build every service shares: a Node bundle in dist/apps/<service>, with the
// service's drizzle migrations copied beside main.js (where MIGRATIONS_FOLDER looks for them),
// and for a service with a web console (ops), its files in console/ beside them. The swagger
// plugin makes ts-loader type-check as it compiles (it needs the program), a few seconds more.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { existsSync } = require('fs');
const { join } = require('path');
const swaggerPlugin = require('../api-docs/swagger-plugin');

const workspaceRoot = join(__dirname, '..', '..');

module.exports = function serviceWebpackConfig(service) {
  return {
    output: {
      path: join(workspaceRoot, 'dist', 'apps', service),
      clean: true,
      ...(process.env.NODE_ENV !== 'production' && {
        devtoolModuleFilenameTemplate: '[absolute-resource-path]',
      }),
    },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        // OpenAPI metadata from types and comments (served at /docs outside production).
        transformers: [{ name: '@nestjs/swagger/plugin', options: swaggerPlugin.options }],
        assets: [
          { input: `apps/${service}/src/migrations`, glob: '**/*', output: 'migrations' },
          // Plain HTML, CSS and ES modules, served as they are: no front-end build step.
          ...(existsSync(join(workspaceRoot, 'apps', service, 'src', 'console'))
            ? [{ input: `apps/${service}/src/console`, glob: '*.{html,css,js}', output: 'console' }]
            : []),
        ],
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: false,
        sourceMap: true,
      }),
    ],
  };
};
