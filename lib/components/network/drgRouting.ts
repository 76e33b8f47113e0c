/**
 * The DRG routing an adopted DRG (`network.existing.drgId`) must provide, as data. With a DRG this
 * component creates, the DRG's default route tables and import distributions already hold it: the
 * VCN attachments' table imports the routes of every attachment (RPC, IPSec, virtual circuit), and
 * the table the other attachments share imports the VCN attachments' routes. An enterprise DRG
 * often has tables and distributions of its own (a hub, a firewall), which this component cannot
 * read or change: it reports what must be true of them, for the DRG's owner to check.
 */
import { ResolvedArgs } from "../../core/config/resolved";

/** One route a DRG route table of an adopted DRG must hold (statically or by import). */
export interface RequiredDrgRouteRule {
  /** Whose DRG route table must hold the route, with its OCID when known. */
  drgRouteTable: string;
  /** Destination CIDR. */
  destination: string;
  /** The attachment the route must lead to. */
  nextHop: string;
  /** What needs it. */
  reason: string;
}

/** The ids the rules name. */
export interface DrgRoutingIds {
  drgId: string;
  vcnId: string;
  remotePeeringConnectionId: string;
  /** The FastConnect virtual circuit, with `onPremises.fastConnect`. */
  virtualCircuitId?: string;
}

/**
 * The routes an adopted DRG's route tables must hold for this region: toward the peer VCN through
 * the RPC and back, and toward the on-premises networks through the IPSec tunnels or the virtual
 * circuit and back. Empty when the DRG is created here.
 */
export function requiredDrgRouteRules(r: ResolvedArgs, ids: DrgRoutingIds): RequiredDrgRouteRule[] {
  if (r.network.mode !== "adopt" || r.network.existing?.drgId === undefined) {
    return [];
  }
  const vcnTable = `the VCN attachment of ${ids.vcnId} on DRG ${ids.drgId}`;
  const vcnHop = `the VCN attachment of ${ids.vcnId}`;
  const rules: RequiredDrgRouteRule[] = [];
  if (r.peer) {
    const rpcHop = `remote peering connection ${ids.remotePeeringConnectionId}`;
    rules.push(
      {
        drgRouteTable: vcnTable,
        destination: r.peer.vcnCidr,
        nextHop: rpcHop,
        reason: `MirrorMaker and the peer's fleet reach across regions (${r.region} to ${r.peer.region})`,
      },
      {
        drgRouteTable: `the attachment of ${rpcHop}`,
        destination: r.network.vcnCidr,
        nextHop: vcnHop,
        reason: `the peer region's traffic (${r.peer.region}) comes back into this VCN`,
      },
    );
  }
  if (r.onPremises) {
    const kind = r.onPremises.connectivity.kind;
    const hop =
      kind === "ipsec"
        ? "the IPSec connection's tunnel attachments"
        : `the attachment of virtual circuit ${ids.virtualCircuitId ?? "(onPremises.fastConnect.virtualCircuitId)"}`;
    for (const destination of r.onPremises.cidrs) {
      rules.push({
        drgRouteTable: vcnTable,
        destination,
        nextHop: hop,
        reason: "MirrorMaker reaches the on-premises Kafka brokers",
      });
    }
    rules.push({
      drgRouteTable: `the route table of ${hop}`,
      destination: r.network.vcnCidr,
      nextHop: vcnHop,
      reason: "the on-premises networks answer into this VCN",
    });
  }
  return rules;
}
