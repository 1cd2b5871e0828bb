// The gatehouse CLI as a bench module, so that the compile benchmark times the compiled JavaScript
// (bench/.build) as an installed package runs it, not the sources through the TypeScript loader.
import { main } from '../../cli/src/main.ts';

process.exitCode = await main(process.argv.slice(2));
