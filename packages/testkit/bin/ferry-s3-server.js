#!/usr/bin/env node
// Committed shim so npm can link and chmod the bin before `dist/` is built.
import '../dist/s3-server-cli.js';
