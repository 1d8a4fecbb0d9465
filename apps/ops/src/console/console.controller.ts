import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** Only these names are served: no path ever reaches the file system from a request. */
const ASSET_NAME = /^[a-z0-9-]+\.(html|css|js)$/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/**
 * Everything from this origin only, nothing inline: a dead letter's payload is untrusted
 * text, and even if it reached the page as markup it could not run a script or load anything.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The console's files: beside main.js in the build (webpack copies them to `console/`), or
 * this folder itself when running from the sources.
 */
export function consoleFolder(): string {
  const built = join(__dirname, 'console');
  return existsSync(join(built, 'index.html')) ? built : __dirname;
}

interface Asset {
  body: Buffer;
  contentType: string;
}

function loadAssets(folder: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(folder)) return assets;
  for (const name of readdirSync(folder)) {
    if (!ASSET_NAME.test(name)) continue;
    assets.set(name, {
      body: readFileSync(join(folder, name)),
      contentType: CONTENT_TYPES[extname(name)],
    });
  }
  return assets;
}

/**
 * Serves the web console: `GET /` is the page, `GET /console/<file>` its scripts and styles.
 * No token here: the page asks for one and sends it to `/api` (docs/architecture.md).
 */
// A web page and its files, not an API: left out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class ConsoleController {
  // A handful of small files, read once at start-up.
  private readonly assets = loadAssets(consoleFolder());

  @Get()
  page(@Res() response: Response): void {
    this.send(response, 'index.html');
  }

  @Get('console/:file')
  asset(@Param('file') file: string, @Res() response: Response): void {
    this.send(response, file);
  }

  private send(response: Response, name: string): void {
    const asset = ASSET_NAME.test(name) ? this.assets.get(name) : undefined;
    if (!asset) throw new NotFoundException(`no console file ${name}`);
    response
      .status(200)
      .set({
        'Content-Type': asset.contentType,
        'Content-Security-Policy': CONSOLE_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        // Revalidate every time, so a rebuilt console is never mixed with stale modules.
        'Cache-Control': 'no-cache',
      })
      .send(asset.body);
  }
}
