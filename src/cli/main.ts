#!/usr/bin/env node
import { runCli } from './program.js';

// The only place memlens sets the process exit code.
process.exitCode = await runCli(process.argv);
