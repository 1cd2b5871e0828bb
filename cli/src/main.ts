// The gatehouse command line: dispatches a subcommand and returns the process exit code.
// Exit codes: 0 success, 1 a finding the user must fix (lint error, failed gate), 2 usage or internal error.
import { COMMANDS } from './commands.ts';
import { UsageError } from './usage-error.ts';

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    const { VERSION } = await import('../../compiler/src/version.ts');
    process.stdout.write(`gatehouse ${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`gatehouse: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`gatehouse ${name}: ${error.message}\n${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`gatehouse ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

function usage(): string {
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(17)}${c.summary}`);
  return `Usage: gatehouse <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`gatehouse <command> --help\` for a command's options.\n`;
}
