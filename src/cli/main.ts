#!/usr/bin/env node
import { runCli } from './program.js';

// `memlens analyze … --json | head` closes the pipe early: that is the reader's choice, not an
// error worth a stack trace. Stop quietly with the code a shell gives a process killed by SIGPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });
}

// The only place memlens sets the process exit code.
process.exitCode = await runCli(process.argv);
