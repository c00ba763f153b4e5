// The executable's entry: everything else is loaded on demand by the program.
import { main } from './program.js';

process.exitCode = await main(process.argv);
