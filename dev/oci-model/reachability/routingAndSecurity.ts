/**
 * Whether a packet gets from one address to another and back, by OCI's rules:
 *  - Security: a VNIC's traffic is allowed when any rule of its subnet's security lists or of its
 *    NSGs allows it (OCI evaluates "the union of all rules"); egress at the sender, ingress at the
 *    receiver; a stateful rule lets the reply through, a stateless one needs a reverse rule.
 *  - Routing: inside a VCN traffic is routed locally; elsewhere the subnet's route table decides
 *    by longest prefix (a DRG, the NAT gateway for the internet, the Service Gateway for the
 *    Oracle Services Network label).
 *  - DRGv2 defaults: a VCN attachment uses the DRG's default VCN route table, which imports routes
 *    from every attachment (VCNs, remote peerings, IPSec, virtual circuits); RPC, IPSec and virtual
 *    circuit attachments use the other default table, which imports VCN attachments only — so
 *    on-premises traffic reaches the local VCN but does not transit to a peered region. A custom
 *    table holds its static rules. A peered RPC brings the remote DRG's VCN routes.
 * The verdict names the first missing piece exactly.
 */
import { contains, parseCidr, type Cidr } from "../../../lib/core/cidr";
import { parseOcid } from "../ocid";
import type { NetworkGraph, OnPremLink, SecurityRule, Vnic } from "./graph";

export type Protocol = "tcp" | "udp";
const PROTOCOL_NUMBER: Record<Protocol, string> = { tcp: "6", udp: "17" };

/** Where a packet is going. */
export type Target =
  | { kind: "ip"; ip: string }
  | { kind: "service"; label: string; host: string }
  | { kind: "internet"; host: string; ip: string };

/** Where a packet comes from: an address in OCI, or an on-premises address behind a DRG link. */
export type Source = { kind: "vnic"; vnic: Vnic } | { kind: "onprem"; ip: string; link: OnPremLink };

export interface Verdict {
  ok: boolean;
  hops: string[];
  /** The first missing piece, when not ok. */
  missing?: string;
  /** What offline planning cannot see and assumes. */
  assumptions: string[];
}

/** Where a route ends. */
type Delivery =
  | { kind: "vnic"; vnic: Vnic }
  | { kind: "onprem"; link: OnPremLink; ip: string }
  | { kind: "internet" }
  | { kind: "service"; label: string };

/** A DRG route's next hop: a VCN attachment, a remote peering, or an on-premises link. */
type DrgHop = { kind: "vcn" | "rpc" | "onprem"; id: string; name: string };

type Step = { ok: true; delivery: Delivery; hops: string[] } | { ok: false; hops: string[]; missing: string };

const cidrOf = (text: string): Cidr | undefined => {
  const c = parseCidr(text);
  return typeof c === "string" ? undefined : c;
};
const ipCidr = (ip: string): Cidr | undefined => cidrOf(`${ip}/32`);

/** Whether `ip` lies in `cidr`. */
export function ipIn(ip: string, cidr: string): boolean {
  const c = cidrOf(cidr);
  const a = ipCidr(ip);
  return !!c && !!a && contains(c, a);
}

/** The longest-prefix match among `(cidr, value)` pairs. */
function longest<T>(ip: string, routes: [string, T][]): [string, T] | undefined {
  return routes
    .filter(([c]) => ipIn(ip, c))
    .sort(([a], [b]) => (cidrOf(b)?.prefix ?? 0) - (cidrOf(a)?.prefix ?? 0))[0];
}

const kindOf = (id: string): string | undefined => parseOcid(id)?.kind;

export class Reachability {
  constructor(private readonly g: NetworkGraph) {}

  /** A packet from `src` to `target` on `port`/`protocol`, and its reply. */
  judge(src: Source, target: Target, port: number, protocol: Protocol): Verdict {
    const assumptions: string[] = [];
    const hops: string[] = [];
    const srcIp = src.kind === "vnic" ? src.vnic.ip : src.ip;
    if (src.kind === "vnic") {
      hops.push(`${src.vnic.name} ${src.vnic.ip} (subnet ${this.g.label(src.vnic.subnetId)})`);
      const out = this.allowed(src.vnic, "EGRESS", target, port, protocol);
      if (!out.rule) {
        return { ok: false, hops, missing: out.missing, assumptions };
      }
      hops.push(`egress: ${out.rule.owner}`);
    } else {
      hops.push(
        `on premises ${src.ip} → ${src.link.kind === "ipsec" ? "IPSec" : "FastConnect"} ${src.link.name}`,
      );
      if (src.link.assumed) assumptions.push(src.link.assumed);
    }
    const forward =
      src.kind === "vnic"
        ? this.fromSubnet(src.vnic.subnetId, target, assumptions)
        : this.intoDrg(src.link.drgId, this.linkTable(src.link), src.link.name, target, assumptions, 0);
    hops.push(...forward.hops);
    if (!forward.ok) {
      return { ok: false, hops, missing: forward.missing, assumptions };
    }
    const d = forward.delivery;
    if (d.kind === "vnic") {
      const inbound = this.allowed(
        d.vnic,
        "INGRESS",
        { kind: "ip", ip: srcIp },
        port,
        protocol,
        src.kind === "vnic" ? src.vnic : undefined,
      );
      if (!inbound.rule) {
        return { ok: false, hops, missing: inbound.missing, assumptions };
      }
      hops.push(`ingress: ${inbound.rule.owner}`, `${d.vnic.name} ${d.vnic.ip}:${port}/${protocol}`);
      // The reply: routed back from the receiver's subnet to the sender.
      const back = this.fromSubnet(d.vnic.subnetId, { kind: "ip", ip: srcIp }, assumptions);
      if (!back.ok) {
        return {
          ok: false,
          hops: [...hops, ...back.hops.map((h) => `return: ${h}`)],
          missing: `return path: ${back.missing}`,
          assumptions,
        };
      }
      hops.push(`return: ${back.hops.join("; ")}`);
      if (inbound.rule.stateless) {
        const reply = this.allowed(d.vnic, "EGRESS", { kind: "ip", ip: srcIp }, undefined, protocol);
        if (!reply.rule) {
          return { ok: false, hops, missing: `reply of a stateless rule: ${reply.missing}`, assumptions };
        }
      }
    } else if (d.kind === "onprem") {
      hops.push(`on premises ${d.ip}:${port}/${protocol}`);
      assumptions.push(`the on-premises firewall lets ${srcIp} reach ${d.ip}:${port}/${protocol}`);
      const back = this.intoDrg(
        d.link.drgId,
        this.linkTable(d.link),
        d.link.name,
        { kind: "ip", ip: srcIp },
        assumptions,
        0,
      );
      if (!back.ok) {
        return { ok: false, hops, missing: `return path: ${back.missing}`, assumptions };
      }
      hops.push(`return: ${back.hops.join("; ")}`);
    } else {
      hops.push(
        d.kind === "internet"
          ? "internet (replies return through the NAT gateway)"
          : `Oracle Services Network ${d.label} (replies return through the Service Gateway)`,
      );
    }
    return { ok: true, hops, assumptions };
  }

  /** Whether the VNIC's security lists or NSGs allow the packet; the first allowing rule. */
  allowed(
    vnic: Vnic,
    direction: "INGRESS" | "EGRESS",
    peer: Target,
    port: number | undefined,
    protocol: Protocol,
    peerVnic?: Vnic,
  ): { rule?: SecurityRule; missing: string } {
    const subnet = this.g.get(vnic.subnetId);
    const lists = ((subnet?.state.securityListIds as string[] | undefined) ?? []).map(
      (id) => this.g.securityListRules(id) ?? [],
    );
    const nsgs = vnic.nsgIds.map((id) => this.g.nsgRules.get(id) ?? []);
    const rules = [...lists.flat(), ...nsgs.flat()];
    // Any matching rule allows the packet; the most specific one is the one worth naming.
    const specificity = (r: SecurityRule) =>
      r.peerType === "NETWORK_SECURITY_GROUP"
        ? 100
        : r.peerType === "SERVICE_CIDR_BLOCK"
          ? 50
          : (cidrOf(r.peer)?.prefix ?? 0);
    const rule = rules
      .filter((r) => r.direction === direction && this.matches(r, peer, port, protocol, peerVnic))
      .sort((a, b) => specificity(b) - specificity(a))[0];
    const where =
      vnic.kind === "bastion"
        ? `the security list of subnet ${this.g.label(vnic.subnetId)} (the Bastion's endpoint has no NSG)`
        : `NSG ${vnic.nsgIds.map((id) => this.g.label(id)).join(", ") || "(none)"} or the security list of subnet ${this.g.label(vnic.subnetId)}`;
    const what =
      peer.kind === "ip" ? `${peer.ip}` : peer.kind === "service" ? peer.label : `${peer.host} (internet)`;
    return {
      rule,
      missing: `security rule: ${direction === "EGRESS" ? "egress" : "ingress"} ${protocol}/${port ?? "any"} ${direction === "EGRESS" ? "to" : "from"} ${what} at ${vnic.name} — none in ${where}`,
    };
  }

  private matches(
    r: SecurityRule,
    peer: Target,
    port: number | undefined,
    protocol: Protocol,
    peerVnic?: Vnic,
  ): boolean {
    if (r.protocol !== "all" && r.protocol !== PROTOCOL_NUMBER[protocol]) return false;
    if (port !== undefined && r.ports && (port < r.ports.min || port > r.ports.max)) return false;
    switch (r.peerType) {
      case "NETWORK_SECURITY_GROUP":
        return (
          (peerVnic !== undefined && peerVnic.nsgIds.includes(r.peer)) ||
          (peer.kind === "ip" && this.g.vnicByIp(peer.ip)?.nsgIds.includes(r.peer) === true)
        );
      case "SERVICE_CIDR_BLOCK":
        return peer.kind === "service" && peer.label === r.peer;
      default:
        return peer.kind === "ip"
          ? ipIn(peer.ip, r.peer)
          : peer.kind === "internet"
            ? ipIn(peer.ip, r.peer)
            : r.peer === "0.0.0.0/0";
    }
  }

  /** From a subnet: local delivery inside the VCN, or the subnet's route table. */
  private fromSubnet(subnetId: string, target: Target, assumptions: string[]): Step {
    const subnet = this.g.get(subnetId);
    const vcnId = String(subnet?.state.vcnId ?? "");
    const hops: string[] = [];
    if (target.kind === "ip" && this.g.vcnCidrs(vcnId).some((c) => ipIn(target.ip, c))) {
      const vnic = this.g.vnics.find((v) => v.ip === target.ip && this.g.vcnOfSubnet(v.subnetId) === vcnId);
      if (!vnic) {
        return {
          ok: false,
          hops,
          missing: `address ${target.ip}: nothing planned holds it in VCN ${this.g.label(vcnId)}`,
        };
      }
      hops.push(`VCN ${this.g.label(vcnId)}: local route`);
      return { ok: true, delivery: { kind: "vnic", vnic }, hops };
    }
    const tableId = String(subnet?.state.routeTableId ?? this.g.get(vcnId)?.state.defaultRouteTableId ?? "");
    const rules = this.g.routeRules(tableId);
    if (!rules) {
      return {
        ok: false,
        hops,
        missing: `route: route table ${tableId} of subnet ${this.g.label(subnetId)} is not in the plan (an adopted VCN: add its requiredRouteRules)`,
      };
    }
    const table = this.g.label(tableId);
    let rule: (typeof rules)[number] | undefined;
    if (target.kind === "service") {
      rule = rules.find((r) => r.destinationType === "SERVICE_CIDR_BLOCK" && r.destination === target.label);
    } else {
      const ip = target.ip;
      rule = longest(
        ip,
        rules
          .filter((r) => r.destinationType === "CIDR_BLOCK")
          .map((r) => [r.destination, r] as [string, typeof r]),
      )?.[1];
    }
    const dest = target.kind === "service" ? target.label : target.ip;
    if (!rule) {
      return {
        ok: false,
        hops,
        missing: `route: route table ${table} (subnet ${this.g.label(subnetId)}) has no rule for ${dest}`,
      };
    }
    const entity = rule.networkEntityId;
    hops.push(`route table ${table}: ${rule.destination} → ${this.g.label(entity)}`);
    switch (kindOf(entity)) {
      case "natgateway":
        if (target.kind !== "internet") {
          return {
            ok: false,
            hops,
            missing: `route: route table ${table} (subnet ${this.g.label(subnetId)}) has no rule for ${dest}: its ${rule.destination} rule sends it to NAT gateway ${this.g.label(entity)}, where a private address goes nowhere`,
          };
        }
        return { ok: true, delivery: { kind: "internet" }, hops };
      case "servicegateway": {
        const services = (
          (this.g.get(entity)?.state.services as { serviceId: string }[] | undefined) ?? []
        ).map((s) => s.serviceId);
        if (target.kind !== "service") {
          return {
            ok: false,
            hops,
            missing: `route: ${dest} is sent to Service Gateway ${this.g.label(entity)}, which reaches only Oracle services`,
          };
        }
        if (services.length === 0) {
          return { ok: false, hops, missing: `Service Gateway ${this.g.label(entity)} enables no service` };
        }
        return { ok: true, delivery: { kind: "service", label: target.label }, hops };
      }
      case "drg": {
        if (target.kind !== "ip") {
          return {
            ok: false,
            hops,
            missing: `route: ${dest} is sent to DRG ${this.g.label(entity)}, which does not reach it`,
          };
        }
        const attachment = this.g
          .ofType("oci:Core/drgAttachment:DrgAttachment")
          .find((a) => a.state.drgId === entity && this.attachedVcn(a) === vcnId);
        if (!attachment) {
          return {
            ok: false,
            hops,
            missing: `DRG attachment: DRG ${this.g.label(entity)} is not attached to VCN ${this.g.label(vcnId)}`,
          };
        }
        const drg = this.g.get(entity);
        const defaults = (drg?.state.defaultDrgRouteTables as Record<string, string>[] | undefined)?.[0];
        const tableOf = String(attachment.state.drgRouteTableId ?? defaults?.vcn ?? "");
        const next = this.intoDrg(entity, tableOf, attachment.name, target, assumptions, 0);
        return { ...next, hops: [...hops, ...next.hops] } as Step;
      }
      default:
        return {
          ok: false,
          hops,
          missing: `route: route table ${table} sends ${dest} to ${this.g.label(entity)}, which the analysis does not follow`,
        };
    }
  }

  private attachedVcn(a: { state: Record<string, unknown> }): string | undefined {
    const nd = a.state.networkDetails as { id?: string } | undefined;
    return nd?.id ?? (a.state.vcnId as string | undefined);
  }

  private linkTable(link: OnPremLink): string {
    const drg = this.g.get(link.drgId);
    const defaults = (drg?.state.defaultDrgRouteTables as Record<string, string>[] | undefined)?.[0];
    return String(link.kind === "ipsec" ? defaults?.ipsecTunnel : defaults?.virtualCircuit);
  }

  /** The CIDRs of the VCNs attached to a DRG, with their attachment. */
  private attachedVcnCidrs(drgId: string): { cidr: string; attachment: { id: string; name: string } }[] {
    return this.g
      .ofType("oci:Core/drgAttachment:DrgAttachment")
      .filter((a) => a.state.drgId === drgId)
      .flatMap((a) => this.g.vcnCidrs(this.attachedVcn(a) ?? "").map((cidr) => ({ cidr, attachment: a })));
  }

  /** Routes a DRG route table holds, as (cidr, next hop) pairs. */
  private drgRoutes(drgId: string, tableId: string): [string, DrgHop][] {
    const drg = this.g.get(drgId);
    const defaults = (drg?.state.defaultDrgRouteTables as Record<string, string>[] | undefined)?.[0] ?? {};
    const vcnAttachments = this.attachedVcnCidrs(drgId).map(({ cidr, attachment: a }): [string, DrgHop] => [
      cidr,
      { kind: "vcn", id: a.id, name: a.name },
    ]);
    const statics = this.g
      .ofType("oci:Core/drgRouteTableRouteRule:DrgRouteTableRouteRule")
      .filter((r) => r.state.drgRouteTableId === tableId)
      .map((r): [string, DrgHop] => {
        const id = String(r.state.nextHopDrgAttachmentId);
        return [String(r.state.destination), { kind: "vcn", id, name: this.g.get(id)?.name ?? id }];
      });
    if (tableId === defaults.vcn) {
      // The VCN attachments' default table imports every attachment: remote VCNs through a peered
      // RPC (the remote DRG advertises its VCN attachments), on-premises CIDRs through IPSec/VC.
      const rpcs = this.g
        .ofType("oci:Core/remotePeeringConnection:RemotePeeringConnection")
        .filter((r) => r.state.drgId === drgId)
        .flatMap((r): [string, DrgHop][] => {
          const peer = this.peerOf(r.id);
          return peer
            ? this.attachedVcnCidrs(String(peer.state.drgId)).map(({ cidr }) => [
                cidr,
                { kind: "rpc", id: r.id, name: r.name },
              ])
            : [];
        });
      const onprem = this.g.onPrem
        .filter((l) => l.drgId === drgId)
        .flatMap((l) =>
          l.cidrs.map((c): [string, DrgHop] => [c, { kind: "onprem", id: l.id, name: l.name }]),
        );
      return [...statics, ...vcnAttachments, ...rpcs, ...onprem];
    }
    if (
      tableId === defaults.remotePeeringConnection ||
      tableId === defaults.ipsecTunnel ||
      tableId === defaults.virtualCircuit
    ) {
      return [...statics, ...vcnAttachments];
    }
    return statics;
  }

  /** The RPC peered with `rpcId` (either side may name the other). */
  private peerOf(rpcId: string) {
    const rpc = this.g.get(rpcId);
    const named = rpc?.state.peerId ? this.g.get(rpc.state.peerId) : undefined;
    return (
      named ??
      this.g
        .ofType("oci:Core/remotePeeringConnection:RemotePeeringConnection")
        .find((r) => r.state.peerId === rpcId)
    );
  }

  /** A packet entering DRG `drgId` through an attachment whose route table is `tableId`. */
  private intoDrg(
    drgId: string,
    tableId: string,
    via: string,
    target: Target,
    assumptions: string[],
    depth: number,
  ): Step {
    const hops: string[] = [];
    if (target.kind !== "ip") {
      return {
        ok: false,
        hops,
        missing: `DRG ${this.g.label(drgId)} does not reach ${target.kind === "service" ? target.label : target.host}`,
      };
    }
    const table = this.g.get(tableId)?.name ?? this.defaultTableName(drgId, tableId) ?? tableId;
    const hit = longest(target.ip, this.drgRoutes(drgId, tableId));
    if (!hit) {
      const unpeered = this.g
        .ofType("oci:Core/remotePeeringConnection:RemotePeeringConnection")
        .filter((r) => r.state.drgId === drgId && !this.peerOf(r.id))
        .map((r) => r.name);
      return {
        ok: false,
        hops,
        missing: `DRG route: ${table} (entered from ${via}) has no route to ${target.ip}${unpeered.length ? ` (remote peering connection ${unpeered.join(", ")} of this DRG is not peered)` : ""}`,
      };
    }
    const [cidr, hop] = hit;
    hops.push(`DRG ${this.g.label(drgId)}, ${table}: ${cidr} → ${hop.name}`);
    if (hop.kind === "vcn") {
      const attachment = this.g.get(hop.id);
      const vcnId = attachment ? this.attachedVcn(attachment) : undefined;
      const vnic = this.g.vnics.find((v) => v.ip === target.ip && this.g.vcnOfSubnet(v.subnetId) === vcnId);
      if (!vnic) {
        return {
          ok: false,
          hops,
          missing: `address ${target.ip}: nothing planned holds it in VCN ${this.g.label(vcnId)}`,
        };
      }
      hops.push(`VCN ${this.g.label(vcnId)}`);
      return { ok: true, delivery: { kind: "vnic", vnic }, hops };
    }
    if (hop.kind === "rpc") {
      const peer = this.peerOf(hop.id);
      if (!peer || depth > 2) {
        return { ok: false, hops, missing: `remote peering: ${hop.name} is not peered` };
      }
      const remoteDrg = String(peer.state.drgId);
      const defaults = (
        this.g.get(remoteDrg)?.state.defaultDrgRouteTables as Record<string, string>[] | undefined
      )?.[0];
      hops.push(`remote peering ${hop.name} ⇄ ${peer.name} (${this.g.region(peer.id) ?? "?"})`);
      const next = this.intoDrg(
        remoteDrg,
        String(defaults?.remotePeeringConnection ?? ""),
        peer.name,
        target,
        assumptions,
        depth + 1,
      );
      return { ...next, hops: [...hops, ...next.hops] } as Step;
    }
    const link = this.g.onPrem.find((l) => l.id === hop.id)!;
    if (link.assumed) assumptions.push(link.assumed);
    hops.push(`${link.kind === "ipsec" ? "IPSec" : "FastConnect"} ${link.name}`);
    return { ok: true, delivery: { kind: "onprem", link, ip: target.ip }, hops };
  }

  /** The name of one of a DRG's two default route tables. */
  private defaultTableName(drgId: string, tableId: string): string | undefined {
    const defaults =
      (this.g.get(drgId)?.state.defaultDrgRouteTables as Record<string, string>[] | undefined)?.[0] ?? {};
    if (tableId === defaults.vcn) return "default table of VCN attachments (imports all)";
    if (Object.values(defaults).includes(tableId))
      return "default table of RPC/IPSec/VC attachments (imports VCNs)";
    return undefined;
  }
}
