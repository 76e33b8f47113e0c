/**
 * "Resolved deployment (+ the ids known once resources exist) → mm2.properties + user-data": the
 * one pure function the fleet component renders its nodes' configuration with, and the local
 * rehearsal renders what it runs with (dev/rehearsal/renderedConfig.ts).
 */
import { OperationsNodeInput, renderUserData, UserDataInput } from "../cloudinit";
import { renderMm2Properties, ReplicationModelInput } from "../mm2";
import { FLEX_SHAPES } from "../oci/shapes";
import { buildReplicationModel, ReplicatingDeployment, ReplicationRuntimeValues } from "./model";

/** What a fleet node is configured with. */
export interface FleetConfig {
  /** The MM2 model (with `configDir` when one was given). */
  model: ReplicationModelInput;
  /** The rendered mm2.properties (placeholders where the secrets go at boot). */
  mm2Properties: string;
  /** The rendered `#cloud-config` user-data (no secret inside). */
  userData: string;
}

/** What the user-data renderer takes for this region's fleet, from the resolved deployment and the model. */
export function fleetUserDataInput(
  d: ReplicatingDeployment,
  model: ReplicationModelInput,
  operations?: OperationsNodeInput,
): UserDataInput {
  return {
    model,
    nodeMemoryGbs: d.replication.fleet.memoryInGbs,
    kafkaDownloadBaseUrl: d.replication.kafkaDownloadBaseUrl,
    fleetSubnetCidr: d.network.mirrorMakerSubnetCidr,
    fieldPrefix: "replication",
    ...(operations ? { operations } : {}),
  };
}

/** The replication layer's name under a component (the `deployment` dimension of its metrics). */
export function replicationLayerName(componentName: string): string {
  return `${componentName}-replication`;
}

/** The nodes' operations input, from the runtime values of the tools bucket and bundle. */
export function fleetOperationsInput(
  d: ReplicatingDeployment,
  deployment: string,
  runtime: { compartmentId: string; tools: OperationsNodeInput["tools"] },
): OperationsNodeInput {
  const rep = d.replication;
  return {
    metricNamespace: d.monitoring.metricNamespace,
    compartmentId: runtime.compartmentId,
    region: d.region,
    deployment,
    arch: FLEX_SHAPES[rep.fleet.shape]?.arch ?? "x86_64",
    nodeDownloadBaseUrl: rep.nodeDownloadBaseUrl,
    jmxExporterDownloadBaseUrl: rep.jmxExporterDownloadBaseUrl,
    tools: runtime.tools,
  };
}

/**
 * The fleet's configuration: the MM2 model built from the deployment and the runtime values,
 * mm2.properties and the user-data. `operations` is the nodes' operations input (monitoring on);
 * `configDir` replaces /etc/mm2 (the rehearsal runs MM2 from a temporary directory).
 */
export function renderFleetConfig(
  d: ReplicatingDeployment,
  values: ReplicationRuntimeValues,
  options: { operations?: OperationsNodeInput; configDir?: string } = {},
): FleetConfig {
  const built = buildReplicationModel(d, values);
  const model = options.configDir !== undefined ? { ...built, configDir: options.configDir } : built;
  return {
    model,
    mm2Properties: renderMm2Properties(model, { fieldPrefix: "replication" }),
    userData: renderUserData(fleetUserDataInput(d, model, options.operations)),
  };
}
