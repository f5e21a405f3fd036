/** Entry point: parse arguments and dispatch to a mode. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  process.stdout.write(`aisbench-tui: not yet implemented (${argv.join(' ')})\n`);
  return 0;
}
