import * as pulumi from "@pulumi/pulumi";
import { ResolvedDeployment } from "../../core/config/resolved";

/** One name the fleet resolves outside this VCN: forwarded, by a resolver rule, to a DNS server. */
export interface DnsForward {
  /** Stable suffix of resource names. */
  key: string;
  /** The name or domain (the rule's qnameCoverCondition: the name itself and its subdomains). */
  domain: pulumi.Input<string>;
  /** Where it is forwarded: a listening endpoint of another VCN, or an on-premises DNS server. */
  serverIp: pulumi.Input<string>;
  description: string;
}

/** Who may query this region's listening endpoint (NSG ingress on 53/udp and 53/tcp). */
export interface DnsClient {
  key: string;
  cidr: string;
  description: string;
}

/** The private DNS a region needs. */
export interface DnsPlan {
  /** A listening endpoint, so that the peer region and on premises resolve this pool's FQDN. */
  listener?: { clients: DnsClient[] };
  /** Names forwarded out of this VCN (through one forwarding endpoint). */
  forwards: DnsForward[];
}

/** The host of a `host:port[,host:port]` list. */
export function bootstrapHost(bootstrapServers: string): string {
  const first = bootstrapServers.split(",")[0].trim();
  return first.slice(0, first.lastIndexOf(":") > 0 ? first.lastIndexOf(":") : first.length);
}

/**
 * OCI creates a private pool's FQDN in the private DNS of the pool's own VCN only, and OCI private
 * DNS is per VCN and regional ("to resolve queries outside your region, you must configure DNS
 * forwarding", OCI networking best practices). So:
 *  - a region with a peer or on-premises networks gets a listening endpoint (its pool's FQDN is
 *    answered there), open on 53 to the peer's MirrorMaker subnet (where the peer's forwarding
 *    endpoint lives) and to the on-premises DNS server;
 *  - a region whose fleet replicates from the peer forwards exactly the peer pool's FQDN to the
 *    peer's listener; one that replicates with on-premises Kafka forwards exactly the configured
 *    on-premises domains to the on-premises DNS server. Nothing else is forwarded (never
 *    `oraclecloud.com`, which would break OCI's public endpoints).
 */
export function dnsPlan(r: ResolvedDeployment): DnsPlan {
  const infra = r.replication;
  const clients: DnsClient[] = [];
  if (r.peer) {
    clients.push({
      key: "peer",
      cidr: r.peer.mirrorMakerSubnetCidr,
      description: `DNS from the ${r.peer.region} forwarding endpoint (its MirrorMaker subnet)`,
    });
  }
  if (r.onPremises?.dns) {
    clients.push({
      key: "onprem",
      cidr: `${r.onPremises.dns.serverIp}/32`,
      description: "DNS from the on-premises DNS server (conditional forwarding of this pool's FQDN)",
    });
  }
  const forwards: DnsForward[] = [];
  const replicates = infra?.enabled === true;
  if (replicates && infra.flow === "peer-to-local" && r.peer) {
    const peer = r.peer;
    forwards.push({
      key: "peer-pool",
      domain:
        peer.endpointFqdn !== undefined
          ? peer.endpointFqdn
          : pulumi.output(peer.bootstrapServers ?? "").apply(bootstrapHost),
      serverIp: peer.dnsListenerIp!,
      description: `the ${peer.region} pool's private FQDN, to the ${peer.region} listening endpoint`,
    });
  }
  if (replicates && infra.flow !== "peer-to-local" && r.onPremises?.dns) {
    const dns = r.onPremises.dns;
    dns.domains.forEach((domain, i) =>
      forwards.push({
        key: `onprem-${i + 1}`,
        domain,
        serverIp: dns.serverIp,
        description: `${domain}, to the on-premises DNS server`,
      }),
    );
  }
  return { listener: clients.length > 0 ? { clients } : undefined, forwards };
}
