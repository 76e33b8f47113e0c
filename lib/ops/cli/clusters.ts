/**
 * The two clusters of the pair as the operator commands name them (`primary`, `dr`), and where
 * their connection settings come from: the environment (the lib/ops/failover/connection.ts variables
 * with `PRIMARY_`/`DR_` inserted: `OCI_GEO_DR_KAFKA_BOOTSTRAP_SERVERS`, …) or a `--<cluster>-config`
 * Kafka client properties file — never a password on the command line.
 */
import type { KafkaClientOptions } from "../kafka/client";
import { ENV, resolveConnectionSettings } from "../failover/connection";

export type Cluster = "dr" | "primary";

/** The environment variable for `cluster` of a lib/ops/failover/connection.ts name (OCI_GEO_DR_KAFKA_…). */
export function clusterEnvName(cluster: Cluster, name: string): string {
  return name.replace(/^OCI_GEO_KAFKA_/, `OCI_GEO_${cluster.toUpperCase()}_KAFKA_`);
}

/** A command's failure with its exit code and a one-line message. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/**
 * The connection settings of one cluster, or undefined when none are given (no `--<cluster>-config`
 * file and no bootstrap variable). A bad setting is a {@link CliError} (exit 1) naming this
 * cluster's variables and flag.
 */
export function clusterSettings(
  cluster: Cluster,
  configFile: string | undefined,
  io: { env: Record<string, string | undefined>; readFile: (path: string) => string },
  clientId: string,
): KafkaClientOptions | undefined {
  const env: Record<string, string | undefined> = {};
  for (const name of Object.values(ENV)) env[name] = io.env[clusterEnvName(cluster, name)];
  if (configFile === undefined && !env[ENV.bootstrapServers]) return undefined;
  try {
    return resolveConnectionSettings({
      env,
      propertiesText: configFile !== undefined ? io.readFile(configFile) : undefined,
      readFile: io.readFile,
      clientId,
    });
  } catch (e) {
    // The messages name the unprefixed variables: name this cluster's.
    const msg = (e as Error).message
      .replace(/OCI_GEO_KAFKA_/g, `OCI_GEO_${cluster.toUpperCase()}_KAFKA_`)
      .replace(/--config/g, `--${cluster}-config`);
    throw new CliError(`${cluster} connection: ${msg}`, 1);
  }
}
