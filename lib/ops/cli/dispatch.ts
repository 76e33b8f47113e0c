/**
 * The `oci-geo-streaming <command>` dispatcher, shared by the full CLI (main.ts) and the MirrorMaker
 * nodes' bundle (nodeMain.ts), which leaves out what needs the Pulumi Automation API.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { USAGE_EXIT_CODE } from "./args";
import type { KafkaCliIo } from "./kafkaCliIo";

export const PROGRAM = "oci-geo-streaming";

export interface Command {
  summary: string;
  run: (argv: string[], io: KafkaCliIo) => Promise<number>;
}

/** The usage text of a command table, in the order `--help` lists them. */
export function usageOf(commands: Record<string, Command>): string {
  return `usage: ${PROGRAM} <command> [options]
       ${PROGRAM} --help | --version

commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

'${PROGRAM} <command> --help' shows a command's options.`;
}

/** Set by the bundler (dev/build/bundle.ts) in the self-contained node bundle, which has no package.json. */
declare const OCI_GEO_STREAMING_BUNDLED_VERSION: string | undefined;

/** The package's version (package.json next to dist/ or lib/; in the node bundle, built in). */
export function packageVersion(): string {
  if (typeof OCI_GEO_STREAMING_BUNDLED_VERSION === "string") return OCI_GEO_STREAMING_BUNDLED_VERSION;
  const file = path.join(__dirname, "..", "..", "..", "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** Runs one of `commands`; returns the exit code. */
export async function dispatch(
  commands: Record<string, Command>,
  argv: string[],
  io: KafkaCliIo,
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--help" || first === "-h") {
    io.out(usageOf(commands));
    return 0;
  }
  if (first === "--version" || first === "-V") {
    io.out(packageVersion());
    return 0;
  }
  const command = first === undefined ? undefined : commands[first];
  if (command === undefined) {
    const what = first === undefined ? "a command is required" : `unknown command '${first}'`;
    io.err(`${PROGRAM}: ${what}: use ${Object.keys(commands).join(", ")} (see ${PROGRAM} --help)`);
    return USAGE_EXIT_CODE;
  }
  return command.run(rest, io);
}
