// Child process of the interrupt tests: the courtside command line itself, run from source, so a
// signal reaches the same handlers a user's Ctrl-C or a scheduler's SIGTERM would.
import { main } from '../../cli/main.js';

process.exitCode = await main(process.argv.slice(2));
