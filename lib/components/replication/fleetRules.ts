import { KAFKA_PORT } from "../../core/config/primitives";

/** One NSG rule of the MirrorMaker fleet, as data (testable without Pulumi). */
export interface FleetRule {
  key: string;
  direction: "EGRESS" | "INGRESS";
  port: number;
  /**
   * A CIDR, or a name resolved when the rule is created: the Oracle Services Network label
   * (`oracleServicesCidr`'s value), `self` (the fleet's own NSG) or `bastion-endpoint` (the
   * Bastion's private endpoint address /32).
   */
  peer: string;
  peerType: "CIDR_BLOCK" | "SERVICE_CIDR_BLOCK" | "NETWORK_SECURITY_GROUP";
  description: string;
}

/** The symbolic peer of the SSH rule: the Bastion's private endpoint address, as a /32. */
export const BASTION_ENDPOINT = "bastion-endpoint";

export interface FleetRuleInputs {
  localStreamSubnetCidr: string;
  peerVcnCidr?: string;
  oracleServicesCidr: string;
  /** Where the VMs download Kafka and OS packages from; 0.0.0.0/0 through NAT unless a mirror is set. */
  downloadCidr: string;
  /** Dedicated-mode internal REST port, opened between fleet members only; undefined for one node. */
  internalRestPort?: number;
  /** A Bastion targets the fleet's subnet: SSH is allowed from its private endpoint's address only. */
  bastion?: boolean;
  /** The external (on-premises) Kafka brokers, reached through the DRG: these CIDRs on these ports only. */
  externalBrokers?: { cidrs: string[]; ports: number[] };
}

/**
 * The fleet's NSG: egress only to what MirrorMaker needs (both pools on 9092, Oracle services on
 * 443 through the Service Gateway, the Kafka download on 443 through NAT), the internal REST
 * port between fleet members only, and SSH from the bastion's endpoint when a bastion exists.
 */
export function fleetRules(i: FleetRuleInputs): FleetRule[] {
  const rules: FleetRule[] = [
    {
      key: "kafka-to-local-pool",
      direction: "EGRESS",
      port: KAFKA_PORT,
      peer: i.localStreamSubnetCidr,
      peerType: "CIDR_BLOCK",
      description: "Kafka to this region's stream pool",
    },
  ];
  if (i.peerVcnCidr) {
    rules.push({
      key: "kafka-to-peer-pool",
      direction: "EGRESS",
      port: KAFKA_PORT,
      peer: i.peerVcnCidr,
      peerType: "CIDR_BLOCK",
      description: "Kafka to the peer region's stream pool through the DRG",
    });
  }
  for (const [n, cidr] of (i.externalBrokers?.cidrs ?? []).entries()) {
    for (const port of i.externalBrokers!.ports) {
      rules.push({
        key: `kafka-to-external-${n + 1}-${port}`,
        direction: "EGRESS",
        port,
        peer: cidr,
        peerType: "CIDR_BLOCK",
        description: "Kafka to the on-premises brokers through the DRG",
      });
    }
  }
  rules.push(
    {
      key: "https-to-oracle-services",
      direction: "EGRESS",
      port: 443,
      peer: i.oracleServicesCidr,
      peerType: "SERVICE_CIDR_BLOCK",
      description: "Vault secrets, OS packages and the Oracle Cloud Agent through the Service Gateway",
    },
    {
      key: "https-kafka-download",
      direction: "EGRESS",
      port: 443,
      peer: i.downloadCidr,
      peerType: "CIDR_BLOCK",
      description: "Kafka release download through the NAT gateway",
    },
  );
  if (i.internalRestPort !== undefined) {
    for (const direction of ["INGRESS", "EGRESS"] as const) {
      rules.push({
        key: `rest-${direction.toLowerCase()}-between-nodes`,
        direction,
        port: i.internalRestPort,
        peer: "self",
        peerType: "NETWORK_SECURITY_GROUP",
        description: "MirrorMaker internal REST between fleet members only",
      });
    }
  }
  if (i.bastion) {
    rules.push({
      key: "ssh-from-bastion",
      direction: "INGRESS",
      port: 22,
      peer: BASTION_ENDPOINT,
      peerType: "CIDR_BLOCK",
      description: "SSH from the OCI Bastion's private endpoint only",
    });
  }
  return rules;
}
