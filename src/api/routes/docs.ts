/** /openapi.json and an interactive API page at /docs (Swagger UI, served from the package). */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { generateDocument } from '../openapi.js';

const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png']);

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TeamSync API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="api"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api', persistAuthorization: true });`;

export function docsRoutes(registry: OpenAPIRegistry, serverUrl: string): Router {
  const router = new Router();
  const assetDir = join(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'), '..');
  let document: unknown;
  router.get('/openapi.json', (ctx) => {
    document ??= generateDocument(registry, serverUrl);
    ctx.body = document;
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'html';
    // The page runs only its own scripts: relax helmet's CSP just enough for Swagger UI's inline styles.
    ctx.set('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
    ctx.body = PAGE;
  });
  router.get('/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.body = INIT;
  });
  router.get('/docs/assets/:name', async (ctx) => {
    const name = ctx.params.name!;
    if (!ASSETS.has(name)) return;
    ctx.type = name.split('.').pop()!;
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = await readFile(join(assetDir, name));
  });
  return router;
}
