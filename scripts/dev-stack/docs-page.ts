// The API reference for a person, at /docs on the local stack: Swagger UI from its npm package
// (swagger-ui-dist, no CDN) rendering the document that GET /stripe/openapi.json serves.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Stripe payments service: API reference</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: '/stripe/openapi.json', dom_id: '#reference', deepLinking: true, tryItOutEnabled: true, persistAuthorization: true });
  </script>
</body>
</html>
`;

export function docsPages(): (pathname: string) => { contentType: string; body: Buffer } | undefined {
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Buffer>();
  return (pathname) => {
    if (pathname === '/docs' || pathname === '/docs/') return { contentType: 'text/html; charset=utf-8', body: Buffer.from(PAGE) };
    const asset = pathname.startsWith('/docs/assets/') ? pathname.slice('/docs/assets/'.length) : undefined;
    const contentType = asset === undefined ? undefined : ASSETS[asset];
    if (!asset || !contentType) return undefined;
    let body = cache.get(asset);
    if (!body) {
      body = readFileSync(join(dist, asset));
      cache.set(asset, body);
    }
    return { contentType, body };
  };
}
