/** The OCI model — Streaming: stream pools (private endpoints, FQDN, Kafka settings), streams, the Connect harness. */
import type { Obj, ResourceContext, ResourceHandler } from "../handlerContext";
import { hashBase32 } from "../ocid";

function streamPool(ctx: ResourceContext): Obj {
  const { inputs: inp, region, seed, common, reject, sameRegion } = ctx;
  const pe = inp.privateEndpointSettings as Obj | undefined;
  const isPrivate = typeof pe?.subnetId === "string" && pe.subnetId !== "";
  let privateEndpointSettings: Obj | undefined;
  if (isPrivate) {
    const subnet = sameRegion("privateEndpointSettings.subnetId", pe?.subnetId);
    for (const nsgId of (pe?.nsgIds as string[] | undefined) ?? []) {
      const nsg = sameRegion("privateEndpointSettings.nsgIds", nsgId);
      if (nsg && subnet && nsg.outputs.vcnId !== subnet.outputs.vcnId) {
        reject(`NSG ${nsgId} is not in the VCN of subnet ${String(pe?.subnetId)}`);
      }
    }
    privateEndpointSettings = {
      subnetId: pe?.subnetId,
      nsgIds: pe?.nsgIds ?? [],
      privateEndpointIp: ctx.model.allocateIp(pe?.subnetId, pe?.privateEndpointIp, seed),
    };
  }
  const endpointFqdn = isPrivate
    ? `${hashBase32(`${seed}|pe`, 12)}.streaming.${region}.oci.oraclecloud.com`
    : `cell-1.streaming.${region}.oci.oraclecloud.com`;
  const ks = (inp.kafkaSettings as Obj | undefined) ?? {};
  const logRetentionHours = (ks.logRetentionHours as number | undefined) ?? 24;
  if (logRetentionHours < 24 || logRetentionHours > 168) {
    reject(`kafkaSettings.logRetentionHours ${logRetentionHours} is outside 24..168`);
  }
  const cek = inp.customEncryptionKey as Obj | undefined;
  return {
    ...common,
    endpointFqdn,
    isPrivate,
    privateEndpointSettings,
    kafkaSettings: {
      autoCreateTopicsEnable: ks.autoCreateTopicsEnable ?? false,
      logRetentionHours,
      numPartitions: ks.numPartitions ?? 1,
      bootstrapServers: `${endpointFqdn}:9092`,
    },
    customEncryptionKey: cek?.kmsKeyId ? { kmsKeyId: cek.kmsKeyId, keyState: "ACTIVE" } : undefined,
    lifecycleStateDetails: "",
    state: "ACTIVE",
  };
}

function stream(ctx: ResourceContext): Obj {
  const { inputs: inp, region, read, common, reject, sameRegion } = ctx;
  const partitions = inp.partitions as number | undefined;
  if (!read && (partitions === undefined || partitions < 1)) {
    reject(`partitions must be at least 1 (got ${String(partitions)})`);
  }
  const retention = (inp.retentionInHours as number | undefined) ?? 24;
  if (retention < 24 || retention > 168) {
    reject(`retentionInHours ${retention} is outside 24..168`);
  }
  if (inp.streamPoolId && inp.compartmentId) {
    reject("compartmentId and streamPoolId cannot be specified at the same time");
  }
  const pool = sameRegion("streamPoolId", inp.streamPoolId);
  const fqdn =
    (pool?.outputs.endpointFqdn as string | undefined) ?? `cell-1.streaming.${region}.oci.oraclecloud.com`;
  return {
    ...common,
    streamPoolId: inp.streamPoolId ?? ctx.model.ocid("streampool", region, `default-pool|${region}`),
    compartmentId: inp.compartmentId ?? pool?.outputs.compartmentId,
    retentionInHours: retention,
    messagesEndpoint: `https://${fqdn}`,
    lifecycleStateDetails: "",
    state: "ACTIVE",
  };
}

function connectHarness(ctx: ResourceContext): Obj {
  const { common } = ctx;
  return { ...common, lifecycleStateDetails: "", state: "ACTIVE" };
}

/** Resource handlers of this service, by type token. */
export const STREAMING: Record<string, ResourceHandler> = {
  "oci:Streaming/streamPool:StreamPool": streamPool,
  "oci:Streaming/stream:Stream": stream,
  "oci:Streaming/connectHarness:ConnectHarness": connectHarness,
};
