// The executable's entry: everything else is loaded on demand by the program.
import { main } from './program.js';

// A reader that stops early (`replicate-setup plan | head`) closes the pipe. What is written after that has nobody to
// read it, so the error is dropped rather than crashing with a stack trace; the run itself goes on to its end (a run
// stopped half-way would leave its locks behind), and its exit code still says how it went.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

process.exitCode = await main(process.argv);
