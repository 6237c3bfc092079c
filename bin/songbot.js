#!/usr/bin/env node
// The `songbot` command. The Node check is a static import, so it runs before the TypeScript sources are loaded.
import './check-node.js';

await import('../src/cli/main.ts');
