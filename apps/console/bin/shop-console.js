#!/usr/bin/env node
// Committed entry point, so pnpm can link the command before `dist/` is built (run `pnpm build` first).
require('../dist/server/main.js');
