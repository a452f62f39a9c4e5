#!/usr/bin/env node
// Committed shim so npm can link and chmod the bin before `dist/` is built.
import '../dist/cli.js';
