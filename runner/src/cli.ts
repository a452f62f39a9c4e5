#!/usr/bin/env node
// The `ferry` executable (see bin/ferry.js); `main.ts` holds the program so it can be imported.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
