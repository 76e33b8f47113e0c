import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedArgs } from "../../core/config/resolved";
import { ResolvedStream } from "../../core/config/primitives";
import { DEFAULTS } from "../../core/config/settings";
import { RequiredPoolIngressRule } from "../../core/config/adoptedPool";
import { AdoptedPool } from "./adoptedPool";

/** Arguments of {@link StreamingSite}. */
export interface StreamingSiteArgs {
  resolved: ResolvedArgs;
  /** Private subnet of the pool's endpoint. */
  streamSubnetId: pulumi.Input<string>;
  /** NSG of the pool's endpoint. */
  streamPoolNsgId: pulumi.Input<string>;
  /** The adopted pool as OCI answered it, checked (`streamPool.existingStreamPoolId`). */
  adopted?: AdoptedPool;
}

/**
 * The private-endpoint stream pool (created, or adopted by OCID) and the declared streams.
 */
export class StreamingSite extends pulumi.ComponentResource {
  public readonly streamPoolId: pulumi.Output<string>;
  /** Private FQDN of the pool; clients must use it (not the IP) for TLS to verify. */
  public readonly endpointFqdn: pulumi.Output<string>;
  /** Kafka bootstrap servers (`<fqdn>:9092`). */
  public readonly bootstrapServers: pulumi.Output<string>;
  /** Stream OCIDs by stream name. */
  public readonly streamIds: pulumi.Output<Record<string, string>>;
  /** The 9092 ingress an adopted pool's NSGs must allow for the fleets (empty for a created pool). */
  public readonly requiredStreamPoolIngressRules: pulumi.Output<RequiredPoolIngressRule[]>;

  constructor(name: string, args: StreamingSiteArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("oci-geo-streaming:streaming:StreamingSite", name, {}, opts);
    const r = args.resolved;
    const child = { parent: this, provider: opts.provider };

    if (r.streamPool.existingStreamPoolId !== undefined) {
      if (!args.adopted) {
        throw new Error("StreamingSite: an adopted pool needs its checked answer (readAdoptedPool)");
      }
      const existing = args.adopted.pool;
      this.streamPoolId = pulumi.output(r.streamPool.existingStreamPoolId);
      this.endpointFqdn = existing.endpointFqdn;
      this.bootstrapServers = existing.kafkaSettings.apply((k) => k[0]?.bootstrapServers ?? "");
      this.requiredStreamPoolIngressRules = args.adopted.requiredIngressRules;
    } else {
      const pool = new oci.streaming.StreamPool(
        `${name}-pool`,
        {
          compartmentId: r.compartmentId,
          name: r.streamPool.name ?? `${name}-pool`,
          privateEndpointSettings: {
            subnetId: args.streamSubnetId,
            nsgIds: [args.streamPoolNsgId],
            privateEndpointIp: r.streamPool.privateEndpointIp,
          },
          kafkaSettings: {
            autoCreateTopicsEnable: r.streamPool.autoCreateTopics,
            numPartitions: r.streamPool.defaultPartitions,
            logRetentionHours: r.streamPool.defaultRetentionHours,
          },
          customEncryptionKey: r.streamPool.kmsKeyId ? { kmsKeyId: r.streamPool.kmsKeyId } : undefined,
          freeformTags: r.freeformTags,
        },
        // Changing privateEndpointSettings replaces the pool (OCI cannot change them in place)
        // and a replaced pool loses every message: protected unless streamPool.protect is false.
        { ...child, protect: r.streamPool.protect ?? DEFAULTS.streamPoolProtect },
      );
      this.requiredStreamPoolIngressRules = pulumi.output([]);
      this.streamPoolId = pool.id;
      this.endpointFqdn = pool.endpointFqdn;
      this.bootstrapServers = pool.kafkaSettings.apply((k) => k.bootstrapServers ?? "");
    }

    const streams = r.streams.map(
      (s) => [s.name, createStream(name, s, this.streamPoolId, r, child)] as const,
    );
    this.streamIds = pulumi
      .all(streams.map(([, stream]) => stream.id))
      .apply((ids) => Object.fromEntries(ids.map((id, i) => [streams[i][0], id])));

    this.registerOutputs({
      streamPoolId: this.streamPoolId,
      endpointFqdn: this.endpointFqdn,
      bootstrapServers: this.bootstrapServers,
      streamIds: this.streamIds,
      requiredStreamPoolIngressRules: this.requiredStreamPoolIngressRules,
    });
  }
}

/**
 * One stream. OCI cannot change partitions or retention after creation: the provider replaces
 * the stream (and drops its data) when either changes, so plan such changes deliberately.
 */
export function createStream(
  owner: string,
  s: ResolvedStream,
  streamPoolId: pulumi.Input<string>,
  r: Pick<ResolvedArgs, "freeformTags">,
  opts: pulumi.CustomResourceOptions,
): oci.streaming.Stream {
  return new oci.streaming.Stream(
    `${owner}-stream-${s.name}`,
    {
      name: s.name,
      partitions: s.partitions,
      retentionInHours: s.retentionHours,
      streamPoolId,
      freeformTags: r.freeformTags,
    },
    opts,
  );
}
