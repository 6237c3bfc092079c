#!/usr/bin/env node
// The `songbot` command: Node ≥ 22.12 runs the TypeScript sources directly (type stripping).
import '../src/cli/main.ts';
