#!/usr/bin/env node
// Installed as the package's `liaison` command: the CLI as built into dist/ (npm run build).
await import('../../dist/bot/cli/liaison.js');
