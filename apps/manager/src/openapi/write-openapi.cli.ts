// npm run openapi — regenerates apps/manager/openapi.json from the routes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OPENAPI_FILE, renderOpenApiOffline } from './openapi-document.js';

const text = await renderOpenApiOffline();
writeFileSync(OPENAPI_FILE, text);
console.log(`wrote ${fileURLToPath(OPENAPI_FILE)}`);
