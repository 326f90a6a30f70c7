#!/usr/bin/env node
// Installed as the package's `liaison` command: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./liaison.ts');
