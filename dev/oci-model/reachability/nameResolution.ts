/**
 * How a name resolves from a VCN, by OCI's rules ("Private DNS"; the Resolver API model: "attempt
 * to answer queries based on the attached views in priority order… evaluated against the default
 * view… the rules will be evaluated in priority order. If no rules match the query, answers come
 * from Internet DNS"):
 *  1. views attached to the VCN's resolver (none are planned by this product);
 *  2. the default view: the VCN's own names — `<host>.<subnet>.<vcn>.oraclevcn.com` — and the
 *     records OCI keeps for private endpoints in this VCN (a private stream pool's FQDN);
 *  3. the resolver's rules, first match (name equal to or under a qnameCoverCondition): the query
 *     leaves from the rule's forwarding endpoint to its destination on 53 — a packet like any
 *     other, judged by {@link Reachability} — and is answered there: by another VCN's resolver
 *     when the destination is a listening endpoint, or by the on-premises DNS server;
 *  4. internet DNS: public names. A private pool's FQDN is not in public DNS.
 */
import type { NetworkGraph, Vnic } from "./graph";
import { Reachability, type Verdict } from "./routingAndSecurity";

export interface DnsQuery {
  from: Vnic;
  to: string;
  verdict: Verdict;
}

export interface Resolution {
  resolves: boolean;
  /** The answer (an address, or a symbolic public/on-premises one). */
  answer?: { kind: "private"; ip: string } | { kind: "public" } | { kind: "onprem"; ip: string };
  hops: string[];
  /** The DNS queries forwarding made (each a connection of its own). */
  queries: DnsQuery[];
  missing?: string;
  assumptions: string[];
}

/** What an on-premises DNS server answers (the domains it was named for, and the address it gives). */
export interface OnPremDns {
  serverIp: string;
  domains: string[];
  /** The address its names resolve to, as far as the plan knows (a broker network). */
  answer: (name: string) => string | undefined;
}

const norm = (n: string) => n.toLowerCase().replace(/\.$/, "");
const under = (name: string, domain: string) =>
  norm(name) === norm(domain) || norm(name).endsWith(`.${norm(domain)}`);

export class DnsResolution {
  private readonly paths: Reachability;

  constructor(
    private readonly g: NetworkGraph,
    private readonly onPremDns: OnPremDns[] = [],
  ) {
    this.paths = new Reachability(g);
  }

  /** Every private name the plan knows (no public resolver answers these). */
  private privateName(name: string): boolean {
    return (
      this.g.vnics.some((v) => v.fqdn !== undefined && norm(v.fqdn) === norm(name)) ||
      /\.oraclevcn\.com$/.test(norm(name)) ||
      this.onPremDns.some((d) => d.domains.some((dom) => under(name, dom)))
    );
  }

  /** The resolver of a VCN, as the plan shows it: endpoints and the managed resolver's rules. */
  private resolverOf(vcnId: string): {
    id?: string;
    rules: {
      qnameCoverConditions: string[];
      destinationAddresses: string[];
      sourceEndpointName: string;
      owner: string;
    }[];
  } {
    const endpoint = this.g.vnics.find(
      (v) => v.resolverId !== undefined && this.g.vcnOfSubnet(v.subnetId) === vcnId,
    );
    const managed = this.g
      .ofType("oci:Dns/resolver:Resolver")
      .find(
        (r) => r.state.attachedVcnId === vcnId || (endpoint && r.state.resolverId === endpoint.resolverId),
      );
    const rules = ((managed?.state.rules as Record<string, unknown>[] | undefined) ?? []).map((r) => ({
      qnameCoverConditions: (r.qnameCoverConditions as string[] | undefined) ?? [],
      destinationAddresses: (r.destinationAddresses as string[] | undefined) ?? [],
      sourceEndpointName: String(r.sourceEndpointName ?? ""),
      owner: `resolver ${managed?.name}`,
    }));
    return { id: endpoint?.resolverId ?? (managed?.state.resolverId as string | undefined), rules };
  }

  /** Resolves `name` as a client in VCN `vcnId` would. */
  resolve(vcnId: string, name: string, depth = 0): Resolution {
    const hops: string[] = [];
    const assumptions: string[] = [];
    const vcn = this.g.label(vcnId);
    // 2. The default view: private endpoints of this VCN, and its hostnames.
    const local = this.g.vnics.find(
      (v) =>
        this.g.vcnOfSubnet(v.subnetId) === vcnId &&
        ((v.fqdn !== undefined && norm(v.fqdn) === norm(name)) || this.hostname(v) === norm(name)),
    );
    if (local) {
      hops.push(`VCN ${vcn} resolver, default view: ${name} → ${local.ip} (${local.name})`);
      return { resolves: true, answer: { kind: "private", ip: local.ip }, hops, queries: [], assumptions };
    }
    // 3. The resolver's rules, first match.
    const resolver = this.resolverOf(vcnId);
    const rule = resolver.rules.find((r) => r.qnameCoverConditions.some((q) => under(name, q)));
    if (rule) {
      const dest = rule.destinationAddresses[0];
      const fwd = this.g.vnics.find(
        (v) =>
          v.kind === "dns-forwarder" &&
          v.resolverId === resolver.id &&
          (v.endpointName ?? "").toLowerCase() === rule.sourceEndpointName.toLowerCase(),
      );
      if (!fwd) {
        return {
          resolves: false,
          hops,
          queries: [],
          assumptions,
          missing: `resolver endpoint: ${rule.owner} forwards ${name} from endpoint ${rule.sourceEndpointName}, which is not a forwarding endpoint of VCN ${vcn}`,
        };
      }
      hops.push(
        `VCN ${vcn} resolver rule (${rule.owner}): ${rule.qnameCoverConditions.join(", ")} → ${dest}:53 from ${fwd.name} ${fwd.ip}`,
      );
      const listener = this.g.vnics.find((v) => v.kind === "dns-listener" && v.ip === dest);
      const onprem = this.onPremDns.find(
        (d) => d.serverIp === dest && d.domains.some((dom) => under(name, dom)),
      );
      if (!listener && !onprem) {
        return {
          resolves: false,
          hops,
          queries: [],
          assumptions,
          missing: `resolver endpoint: ${rule.owner} forwards ${name} to ${dest}, where the plan has no listening endpoint (nor an on-premises DNS server for that name)`,
        };
      }
      const udp = this.paths.judge({ kind: "vnic", vnic: fwd }, { kind: "ip", ip: dest }, 53, "udp");
      const tcp = this.paths.judge({ kind: "vnic", vnic: fwd }, { kind: "ip", ip: dest }, 53, "tcp");
      const queries: DnsQuery[] = [
        { from: fwd, to: `${dest}:53/udp`, verdict: udp },
        { from: fwd, to: `${dest}:53/tcp`, verdict: tcp },
      ];
      assumptions.push(...udp.assumptions);
      if (!udp.ok) {
        return {
          resolves: false,
          hops,
          queries,
          assumptions,
          missing: `DNS query ${fwd.ip} → ${dest}:53/udp: ${udp.missing}`,
        };
      }
      if (!tcp.ok) {
        return {
          resolves: false,
          hops,
          queries,
          assumptions,
          missing: `DNS query ${fwd.ip} → ${dest}:53/tcp (large answers): ${tcp.missing}`,
        };
      }
      if (listener && depth < 3) {
        const there = this.resolve(this.g.vcnOfSubnet(listener.subnetId) ?? "", name, depth + 1);
        hops.push(
          `listening endpoint ${listener.name} (${this.g.region(listener.id) ?? "?"}) answers from its VCN:`,
          ...there.hops,
        );
        return {
          ...there,
          hops,
          queries: [...queries, ...there.queries],
          assumptions: [...assumptions, ...there.assumptions],
        };
      }
      if (onprem) {
        const ip = onprem.answer(name);
        hops.push(`on-premises DNS ${dest} answers ${name}${ip ? ` → ${ip}` : ""}`);
        assumptions.push(`the on-premises DNS server ${dest} holds ${name}`);
        return ip
          ? { resolves: true, answer: { kind: "onprem", ip }, hops, queries, assumptions }
          : {
              resolves: false,
              hops,
              queries,
              assumptions,
              missing: `${name}: its address on premises is not known to the plan`,
            };
      }
      return {
        resolves: false,
        hops,
        queries,
        assumptions,
        missing: `DNS rule: ${rule.owner} forwards ${name} to ${dest}, where no listening endpoint or on-premises DNS server of the plan answers it`,
      };
    }
    // 4. Internet DNS.
    if (!this.privateName(name)) {
      hops.push(`VCN ${vcn} resolver: ${name} from internet DNS`);
      return { resolves: true, answer: { kind: "public" }, hops, queries: [], assumptions };
    }
    const owner = this.g.vnics.find((v) => v.fqdn !== undefined && norm(v.fqdn) === norm(name));
    return {
      resolves: false,
      hops,
      queries: [],
      assumptions,
      missing: owner
        ? `DNS rule: no resolver rule in VCN ${vcn} forwards ${name}, which OCI answers only inside VCN ${this.g.label(this.g.vcnOfSubnet(owner.subnetId))} (${this.g.region(owner.id) ?? "?"}; OCI private DNS is per VCN and regional) — internet DNS does not know it`
        : `DNS rule: no resolver rule in VCN ${vcn} forwards ${name} to the DNS that answers it (on premises), and internet DNS does not know it`,
    };
  }

  private hostname(v: Vnic): string | undefined {
    if (!v.hostnameLabel) return undefined;
    const subnet = this.g.get(v.subnetId);
    const vcn = this.g.get(subnet?.state.vcnId);
    const s = subnet?.state.dnsLabel;
    const n = vcn?.state.dnsLabel;
    return s && n ? norm(`${v.hostnameLabel}.${String(s)}.${String(n)}.oraclevcn.com`) : undefined;
  }
}
