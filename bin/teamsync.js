#!/usr/bin/env node
// Operator CLI. The TypeScript sources are compiled to dist/ by `npm ci` (prepare) or `npm run build`.
import { main } from '../dist/src/cli/index.js';

process.exitCode = await main(process.argv);
