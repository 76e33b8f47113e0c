import { ResolvedArgs } from "../../core/config/resolved";
import { KAFKA_PORT } from "../../core/config/primitives";

/** One NSG ingress rule, as data, so the rule set is testable without Pulumi. */
export interface IngressRule {
  /** Stable suffix of the rule's resource name. */
  key: string;
  sourceCidr: string;
  port: number;
  description: string;
}

/**
 * The stream pool's NSG ingress: Kafka (9092) from this region's MirrorMaker subnet and, when a
 * peer is known, from the peer's MirrorMaker subnet. Nothing else, and never 0.0.0.0/0.
 */
export function streamPoolIngressRules(r: ResolvedArgs): IngressRule[] {
  const rules: IngressRule[] = [
    {
      key: "kafka-from-local-mm",
      sourceCidr: r.network.mirrorMakerSubnetCidr,
      port: KAFKA_PORT,
      description: `Kafka from the ${r.region} MirrorMaker subnet`,
    },
  ];
  if (r.peer) {
    rules.push({
      key: "kafka-from-peer-mm",
      sourceCidr: r.peer.mirrorMakerSubnetCidr,
      port: KAFKA_PORT,
      description: `Kafka from the ${r.peer.region} MirrorMaker subnet`,
    });
  }
  return rules;
}
