#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm run build, done by `npm ci` through `prepare`).
import '../dist/cli/index.js';
