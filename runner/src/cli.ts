#!/usr/bin/env node
// The `ferry` executable (see bin/ferry.js); `main.ts` holds the program so it can be imported.
import { dropOutputWhenClosed } from './cli-support.js';
import { main } from './main.js';

// `ferry connectors | head -1`: the reader leaving is not an error of ferry's.
dropOutputWhenClosed(process.stdout);
dropOutputWhenClosed(process.stderr);
process.exitCode = await main(process.argv.slice(2));
