/** The OCI model — On-premises connectivity: CPE, IPSec connections and their tunnels. */
import type { Obj, ResourceContext, ResourceHandler } from "../handlerContext";
import { hashHex } from "../ocid";

function cpe(ctx: ResourceContext): Obj {
  const { common } = ctx;
  return { ...common, isPrivate: false };
}

function ipsec(ctx: ResourceContext): Obj {
  const { inputs: inp, read, common, reject, sameRegion } = ctx;
  sameRegion("drgId", inp.drgId);
  sameRegion("cpeId", inp.cpeId);
  const routes = (inp.staticRoutes as unknown[] | undefined) ?? [];
  if (!read && routes.length === 0) {
    reject("staticRoutes must list at least one CIDR");
  }
  return {
    ...common,
    state: "AVAILABLE",
    transportType: "INTERNET",
    cpeLocalIdentifierType: "IP_ADDRESS",
  };
}

function ipsecConnectionTunnelManagement(ctx: ResourceContext): Obj {
  const { inputs: inp, read, common, reject, sameRegion } = ctx;
  const ipsec = sameRegion("ipsecId", inp.ipsecId);
  const cpe = ctx.model.lookup(ipsec?.outputs.cpeId);
  const secret = inp.sharedSecret;
  if (!read && typeof secret === "string" && !/^[A-Za-z0-9 ]{1,255}$/.test(secret)) {
    reject("sharedSecret may contain only letters, digits and spaces (1-255 characters)");
  }
  return {
    ...common,
    vpnIp: mockHeadendIp(`${String(inp.ipsecId)}|${String(inp.tunnelId)}`),
    cpeIp: cpe?.outputs.ipAddress,
    routing: inp.routing ?? "STATIC",
    ikeVersion: inp.ikeVersion ?? "V1",
    sharedSecret: secret,
    status: "DOWN",
    state: "AVAILABLE",
  };
}

/** A deterministic stand-in for an OCI VPN headend's public IP (documentation range 203.0.113.0/24). */
export function mockHeadendIp(seed: string): string {
  return `203.0.113.${(parseInt(hashHex(seed, 4), 16) % 254) + 1}`;
}

/** Resource handlers of this service, by type token. */
export const ONPREM: Record<string, ResourceHandler> = {
  "oci:Core/cpe:Cpe": cpe,
  "oci:Core/ipsec:Ipsec": ipsec,
  "oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement": ipsecConnectionTunnelManagement,
};
