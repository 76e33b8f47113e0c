/**
 * What the Kafka-facing commands (failover, failback) touch outside themselves, injectable so that
 * tests run them without a terminal or a broker, and the wiring of a command as `node <file>`.
 */
import * as fs from "node:fs";
import { KafkaClient, type KafkaClientOptions } from "../kafka/client";

export interface KafkaCliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  readFile: (path: string) => string;
  connect: (options: KafkaClientOptions) => Promise<KafkaClient>;
}

/** The real process: its environment, stdout/stderr, files and Kafka connections. */
export function processIo(): KafkaCliIo {
  return {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readFile: (p) => fs.readFileSync(p, "utf8"),
    connect: (o) => KafkaClient.connect(o),
  };
}

/** Runs a command as the process's main: its result is the exit code; a crash prints the stack, exit 1. */
export function runAsMain(name: string, run: (argv: string[], io: KafkaCliIo) => Promise<number>): void {
  run(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
