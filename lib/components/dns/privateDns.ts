import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { DnsPlan } from "./dnsPlan";

/** A resolver rule an adopted VCN's resolver must gain (the component does not take it over). */
export interface RequiredDnsRule {
  action: "FORWARD";
  /** The names the rule forwards (a query matches a name or a subdomain of it). */
  qnameCoverConditions: string[];
  /** The one address it forwards them to. */
  destinationAddresses: string[];
  /** The forwarding endpoint the queries leave from. */
  sourceEndpointName: string;
}

/** Arguments of {@link PrivateDns}. */
export interface PrivateDnsArgs {
  plan: DnsPlan;
  compartmentId: pulumi.Input<string>;
  vcnId: pulumi.Input<string>;
  /** Subnet of the endpoints: the MirrorMaker subnet (routed to the peer and on premises). */
  subnetId: pulumi.Input<string>;
  /**
   * Manage the VCN's resolver (its rules). False for an adopted VCN: OCI's resolver resource
   * replaces the whole rule set, so the rules are reported in `requiredDnsRules` instead.
   */
  manageResolver: boolean;
  freeformTags: Record<string, string>;
}

/** 53/udp and 53/tcp: DNS uses TCP for large answers and retries. */
const DNS_PROTOCOLS = [
  { protocol: "17", key: "udp" },
  { protocol: "6", key: "tcp" },
] as const;

/** An OCI endpoint name: letters, digits and underscores only (OCI refuses hyphens). */
export function endpointName(componentName: string, role: "listener" | "forwarder"): string {
  const base = componentName.replace(/[^A-Za-z0-9]+/g, "_").replace(/^[^A-Za-z]+/, "");
  return `${base || "dns"}_${role}`.slice(0, 250);
}

/**
 * The VCN's private DNS for the pair: a listening endpoint answering this VCN's names (the pool's
 * FQDN) to the peer and on premises, a forwarding endpoint, and the resolver rules that send the
 * names this region's fleet needs from elsewhere to where they are answered; an NSG opening 53
 * (udp and tcp) exactly between them. Clients keep connecting by FQDN (TLS).
 */
export class PrivateDns extends pulumi.ComponentResource {
  /** The listening endpoint's private IP (the peer's rules and on-premises DNS forward here). */
  public readonly listenerIp: pulumi.Output<string | undefined>;
  /** The forwarding endpoint's private IP (queries to the peer and on premises come from it). */
  public readonly forwarderIp: pulumi.Output<string | undefined>;
  public readonly resolverId: pulumi.Output<string>;
  /** With an adopted VCN: the rules its resolver must gain. Empty otherwise. */
  public readonly requiredDnsRules: pulumi.Output<RequiredDnsRule[]>;

  constructor(name: string, args: PrivateDnsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("oci-geo-streaming:dns:PrivateDns", name, {}, opts);
    const child = { parent: this, provider: opts.provider };
    const { plan, freeformTags } = args;

    this.resolverId = oci.core.getCnvDnsResolverAssociationOutput({ vcnId: args.vcnId }, child).dnsResolverId;

    const nsg = new oci.core.NetworkSecurityGroup(
      `${name}-nsg`,
      { compartmentId: args.compartmentId, vcnId: args.vcnId, displayName: `${name}-nsg`, freeformTags },
      child,
    );
    const rule = (
      key: string,
      direction: "INGRESS" | "EGRESS",
      cidr: pulumi.Input<string>,
      protocol: string,
      description: string,
    ) => {
      const ports = { destinationPortRange: { min: 53, max: 53 } };
      return new oci.core.NetworkSecurityGroupSecurityRule(
        `${name}-nsg-${key}`,
        {
          networkSecurityGroupId: nsg.id,
          direction,
          protocol,
          stateless: false,
          description,
          source: direction === "INGRESS" ? cidr : undefined,
          sourceType: direction === "INGRESS" ? "CIDR_BLOCK" : undefined,
          destination: direction === "EGRESS" ? cidr : undefined,
          destinationType: direction === "EGRESS" ? "CIDR_BLOCK" : undefined,
          udpOptions: protocol === "17" ? ports : undefined,
          tcpOptions: protocol === "6" ? ports : undefined,
        },
        child,
      );
    };

    let listener: oci.dns.ResolverEndpoint | undefined;
    if (plan.listener) {
      listener = new oci.dns.ResolverEndpoint(
        `${name}-listener`,
        {
          name: endpointName(name, "listener"),
          resolverId: this.resolverId,
          subnetId: args.subnetId,
          isListening: true,
          isForwarding: false,
          scope: "PRIVATE",
          nsgIds: [nsg.id],
        },
        child,
      );
      for (const c of plan.listener.clients) {
        for (const p of DNS_PROTOCOLS) {
          rule(`dns-from-${c.key}-${p.key}`, "INGRESS", c.cidr, p.protocol, c.description);
        }
      }
    }

    let forwarder: oci.dns.ResolverEndpoint | undefined;
    const rules: pulumi.Output<RequiredDnsRule>[] = [];
    if (plan.forwards.length > 0) {
      forwarder = new oci.dns.ResolverEndpoint(
        `${name}-forwarder`,
        {
          name: endpointName(name, "forwarder"),
          resolverId: this.resolverId,
          subnetId: args.subnetId,
          isListening: false,
          isForwarding: true,
          scope: "PRIVATE",
          nsgIds: [nsg.id],
        },
        child,
      );
      const servers = new Map<string, pulumi.Input<string>>();
      for (const f of plan.forwards) {
        const key = f.key.startsWith("onprem") ? "onprem" : f.key;
        servers.set(key, f.serverIp);
        rules.push(
          pulumi.all([f.domain, f.serverIp, forwarder.name]).apply(([domain, ip, source]) => ({
            action: "FORWARD" as const,
            qnameCoverConditions: [domain],
            destinationAddresses: [ip],
            sourceEndpointName: source,
          })),
        );
      }
      for (const [key, ip] of servers) {
        for (const p of DNS_PROTOCOLS) {
          rule(
            `dns-to-${key}-${p.key}`,
            "EGRESS",
            pulumi.interpolate`${ip}/32`,
            p.protocol,
            key === "onprem"
              ? "DNS to the on-premises DNS server"
              : "DNS to the peer region's listening endpoint",
          );
        }
      }
    }

    const allRules = pulumi.all(rules);
    if (args.manageResolver && rules.length > 0) {
      new oci.dns.Resolver(
        `${name}-resolver`,
        { resolverId: this.resolverId, scope: "PRIVATE", rules: allRules },
        { ...child, dependsOn: forwarder ? [forwarder] : [] },
      );
      this.requiredDnsRules = pulumi.output([]);
    } else {
      this.requiredDnsRules = allRules;
    }
    this.listenerIp = listener ? listener.listeningAddress : pulumi.output(undefined);
    this.forwarderIp = forwarder ? forwarder.forwardingAddress : pulumi.output(undefined);
    this.registerOutputs({
      listenerIp: this.listenerIp,
      forwarderIp: this.forwarderIp,
      resolverId: this.resolverId,
      requiredDnsRules: this.requiredDnsRules,
    });
  }
}
