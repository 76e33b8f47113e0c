/**
 * The planned network of one or more stacks as a graph the OCI facts (routing, security, DNS) are
 * evaluated on: VCNs, subnets, route tables, security lists, NSGs, gateways, DRGs and their
 * attachments, remote peerings, IPSec connections, and the addresses that send or receive traffic
 * (instances, private endpoints of stream pools, resolver endpoints, the Bastion's endpoint).
 * Built from plan records: each resource's inputs overlaid with what the model computed.
 */
import { parseOcid } from "../ocid";

type Obj = Record<string, unknown>;

/** One planned resource (a plan record, or a model entry). */
export interface GraphResource {
  id: string;
  type: string;
  name: string;
  /** The stack that owns it. */
  stack: string;
  /** Inputs overlaid with outputs. */
  state: Obj;
}

/** An address that sends or receives traffic. */
export interface Vnic {
  kind: "instance" | "stream-pool" | "dns-listener" | "dns-forwarder" | "bastion";
  id: string;
  name: string;
  stack: string;
  ip: string;
  subnetId: string;
  nsgIds: string[];
  /** Stream pools: the private FQDN; instances: the hostname label. */
  fqdn?: string;
  hostnameLabel?: string;
  /** Resolver endpoints: their resolver and endpoint name. */
  resolverId?: string;
  endpointName?: string;
}

export interface RouteRule {
  destination: string;
  destinationType: string;
  networkEntityId: string;
}

export interface SecurityRule {
  direction: "INGRESS" | "EGRESS";
  protocol: string;
  /** CIDR, service label, or NSG id. */
  peer: string;
  peerType: "CIDR_BLOCK" | "SERVICE_CIDR_BLOCK" | "NETWORK_SECURITY_GROUP";
  ports?: { min: number; max: number };
  stateless: boolean;
  /** Where the rule lives, for messages. */
  owner: string;
}

export interface DnsRule {
  qnameCoverConditions: string[];
  destinationAddresses: string[];
  sourceEndpointName: string;
}

/** On-premises networks reached through a DRG (IPSec static routes, or a FastConnect circuit). */
export interface OnPremLink {
  kind: "ipsec" | "fastConnect";
  id: string;
  name: string;
  drgId: string;
  cidrs: string[];
  /** FastConnect offline: the circuit's gateway cannot be seen, it is assumed to be this DRG. */
  assumed?: string;
}

const asArray = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export class NetworkGraph {
  readonly byId = new Map<string, GraphResource>();
  readonly vnics: Vnic[] = [];
  readonly nsgRules = new Map<string, SecurityRule[]>();
  readonly onPrem: OnPremLink[] = [];

  constructor(resources: GraphResource[]) {
    for (const r of resources) {
      if (r.id) this.byId.set(r.id, r);
    }
    for (const r of resources) {
      this.index(r);
    }
  }

  /** All resources of a type. */
  ofType(type: string): GraphResource[] {
    return [...this.byId.values()].filter((r) => r.type === type);
  }

  get(id: unknown): GraphResource | undefined {
    return typeof id === "string" ? this.byId.get(id) : undefined;
  }

  label(id: unknown): string {
    const r = this.get(id);
    return r ? `${r.name}` : String(id);
  }

  region(id: unknown): string | undefined {
    return typeof id === "string" ? parseOcid(id)?.region : undefined;
  }

  vcnOfSubnet(subnetId: string): string | undefined {
    return str(this.get(subnetId)?.state.vcnId);
  }

  vnicByIp(ip: string): Vnic | undefined {
    return this.vnics.find((v) => v.ip === ip);
  }

  /** The VCN CIDRs of a VCN (created, or adopted with its CIDR from config). */
  vcnCidrs(vcnId: string): string[] {
    const s = this.get(vcnId)?.state;
    return asArray<string>(s?.cidrBlocks).length > 0
      ? asArray<string>(s?.cidrBlocks)
      : str(s?.cidrBlock)
        ? [String(s?.cidrBlock)]
        : [];
  }

  /** Route rules of a route table (a RouteTable, or the DefaultRouteTable that manages it). */
  routeRules(tableId: string): RouteRule[] | undefined {
    const t =
      this.get(tableId) ??
      this.ofType("oci:Core/defaultRouteTable:DefaultRouteTable").find(
        (d) => d.state.manageDefaultResourceId === tableId,
      );
    if (!t) return undefined;
    return asArray<Obj>(t.state.routeRules).map((r) => ({
      destination: String(r.destination ?? r.cidrBlock ?? ""),
      destinationType: String(r.destinationType ?? "CIDR_BLOCK"),
      networkEntityId: String(r.networkEntityId ?? ""),
    }));
  }

  /** Rules of a security list (SecurityList, or the DefaultSecurityList managing it). */
  securityListRules(listId: string): SecurityRule[] | undefined {
    const l =
      this.get(listId) ??
      this.ofType("oci:Core/defaultSecurityList:DefaultSecurityList").find(
        (d) => d.state.manageDefaultResourceId === listId,
      );
    if (!l) return undefined;
    const owner = `security list ${l.name}`;
    const rules = (dir: "INGRESS" | "EGRESS", list: Obj[]): SecurityRule[] =>
      list.map((r) => {
        const opts = (r.tcpOptions ?? r.udpOptions) as Obj | undefined;
        const peer = String(dir === "INGRESS" ? r.source : r.destination);
        return {
          direction: dir,
          protocol: String(r.protocol ?? "all"),
          peer,
          peerType: String(
            dir === "INGRESS" ? (r.sourceType ?? "CIDR_BLOCK") : (r.destinationType ?? "CIDR_BLOCK"),
          ) as SecurityRule["peerType"],
          ports:
            opts && typeof opts.min === "number"
              ? { min: opts.min as number, max: opts.max as number }
              : undefined,
          stateless: r.stateless === true,
          owner,
        };
      });
    return [
      ...rules("INGRESS", asArray<Obj>(l.state.ingressSecurityRules)),
      ...rules("EGRESS", asArray<Obj>(l.state.egressSecurityRules)),
    ];
  }

  private index(r: GraphResource): void {
    const s = r.state;
    switch (r.type) {
      case "oci:Core/instance:Instance": {
        const vnic = (s.createVnicDetails ?? {}) as Obj;
        const ip = str(s.privateIp) ?? str(vnic.privateIp);
        const subnetId = str(vnic.subnetId) ?? str(s.subnetId);
        if (ip && subnetId) {
          this.vnics.push({
            kind: "instance",
            id: r.id,
            name: r.name,
            stack: r.stack,
            ip,
            subnetId,
            nsgIds: asArray<string>(vnic.nsgIds),
            hostnameLabel: str(vnic.hostnameLabel),
          });
        }
        break;
      }
      case "oci:Streaming/streamPool:StreamPool": {
        const pe = (s.privateEndpointSettings ?? {}) as Obj;
        const ip = str(pe.privateEndpointIp);
        const subnetId = str(pe.subnetId);
        if (ip && subnetId) {
          this.vnics.push({
            kind: "stream-pool",
            id: r.id,
            name: r.name,
            stack: r.stack,
            ip,
            subnetId,
            nsgIds: asArray<string>(pe.nsgIds),
            fqdn: str(s.endpointFqdn),
          });
        }
        break;
      }
      case "oci:Dns/resolverEndpoint:ResolverEndpoint": {
        const listening = s.isListening === true;
        const ip = str(listening ? s.listeningAddress : s.forwardingAddress);
        const subnetId = str(s.subnetId);
        if (ip && subnetId) {
          this.vnics.push({
            kind: listening ? "dns-listener" : "dns-forwarder",
            id: r.id,
            name: r.name,
            stack: r.stack,
            ip,
            subnetId,
            nsgIds: asArray<string>(s.nsgIds),
            resolverId: str(s.resolverId),
            endpointName: str(s.name),
          });
        }
        break;
      }
      case "oci:Bastion/bastion:Bastion": {
        const ip = str(s.privateEndpointIpAddress);
        const subnetId = str(s.targetSubnetId);
        if (ip && subnetId) {
          // The Bastion's private endpoint has no NSG: only the subnet's security lists apply.
          this.vnics.push({
            kind: "bastion",
            id: r.id,
            name: r.name,
            stack: r.stack,
            ip,
            subnetId,
            nsgIds: [],
          });
        }
        break;
      }
      case "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule": {
        const nsg = String(s.networkSecurityGroupId);
        const dir = s.direction === "INGRESS" ? "INGRESS" : "EGRESS";
        const opts = (s.tcpOptions ?? s.udpOptions) as Obj | undefined;
        const range = opts?.destinationPortRange as Obj | undefined;
        const list = this.nsgRules.get(nsg) ?? [];
        list.push({
          direction: dir,
          protocol: String(s.protocol ?? "all"),
          peer: String(dir === "INGRESS" ? s.source : s.destination),
          peerType: String(
            (dir === "INGRESS" ? s.sourceType : s.destinationType) ?? "CIDR_BLOCK",
          ) as SecurityRule["peerType"],
          ports: range ? { min: Number(range.min), max: Number(range.max) } : undefined,
          stateless: s.stateless === true,
          owner: `NSG rule ${r.name}`,
        });
        this.nsgRules.set(nsg, list);
        break;
      }
      case "oci:Core/ipsec:Ipsec":
        this.onPrem.push({
          kind: "ipsec",
          id: r.id,
          name: r.name,
          drgId: String(s.drgId),
          cidrs: asArray<string>(s.staticRoutes),
        });
        break;
    }
  }

  /** Registers a FastConnect circuit that the plan cannot see (its gateway is assumed). */
  addFastConnect(link: OnPremLink): void {
    this.onPrem.push(link);
  }
}
