import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ResolvedOnPremises } from "../../core/config/validateExternal";

/** Arguments of {@link OnPremConnectivity}. */
export interface OnPremConnectivityArgs {
  onPremises: ResolvedOnPremises;
  compartmentId: pulumi.Input<string>;
  drgId: pulumi.Input<string>;
  freeformTags: Record<string, string>;
}

/** What the on-premises side of one IPSec tunnel needs. `sharedSecret` is a Pulumi secret. */
export interface VpnTunnel {
  tunnelId: string;
  /** OCI's VPN headend public IP for this tunnel. */
  oracleVpnIp: string;
  /** The on-premises device's public IP. */
  cpeIp: string;
  routing: string;
  ikeVersion: string;
  /** The tunnel's pre-shared key (secret). */
  sharedSecret: string;
  /** Tunnel status as OCI reports it (UP once the on-premises side is configured). */
  status: string;
}

/** An IPSec connection has exactly two tunnels, on two different OCI headends. */
export const IPSEC_TUNNELS = 2;

/**
 * How the DRG reaches the on-premises networks: a site-to-site IPSec VPN (CPE object and IPSec
 * connection with the on-premises CIDRs as static routes, both tunnels' pre-shared keys set — given
 * or random — and kept secret), or an existing FastConnect virtual circuit, read to report its
 * state. With the DRG's default route tables, the VCN attachment learns the on-premises routes
 * and the tunnels learn the VCN's; the peer region is not reachable from on premises (the default
 * table for IPSec/RPC attachments imports VCN routes only).
 */
export class OnPremConnectivity extends pulumi.ComponentResource {
  /** `ipsec` or `fastConnect`. */
  public readonly kind: "ipsec" | "fastConnect";
  public readonly ipsecConnectionId?: pulumi.Output<string>;
  public readonly cpeId?: pulumi.Output<string>;
  /** Both tunnels' settings for the on-premises device; the whole value is secret (pre-shared keys). */
  public readonly vpnTunnels?: pulumi.Output<VpnTunnel[]>;
  public readonly virtualCircuitId?: pulumi.Output<string>;
  /** The virtual circuit's lifecycle state, e.g. PROVISIONED. */
  public readonly virtualCircuitState?: pulumi.Output<string>;
  /** The virtual circuit's gateway: must be this region's DRG. */
  public readonly virtualCircuitGatewayId?: pulumi.Output<string>;

  constructor(name: string, args: OnPremConnectivityArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("oci-geo-streaming:network:OnPremConnectivity", name, {}, opts);
    const child = { parent: this, provider: opts.provider };
    const { compartmentId, freeformTags } = args;
    const c = args.onPremises.connectivity;
    this.kind = c.kind;
    if (c.kind === "fastConnect") {
      const vc = oci.core.getVirtualCircuitOutput(
        { virtualCircuitId: c.virtualCircuitId },
        { parent: this, provider: opts.provider },
      );
      this.virtualCircuitId = pulumi.output(c.virtualCircuitId);
      this.virtualCircuitState = vc.state;
      this.virtualCircuitGatewayId = vc.gatewayId;
      this.registerOutputs({
        virtualCircuitId: this.virtualCircuitId,
        virtualCircuitState: this.virtualCircuitState,
        virtualCircuitGatewayId: this.virtualCircuitGatewayId,
      });
      return;
    }
    const vpn = c.ipsec;
    const cpe = new oci.core.Cpe(
      `${name}-cpe`,
      {
        compartmentId,
        ipAddress: vpn.cpeIpAddress,
        cpeDeviceShapeId: vpn.cpeDeviceShapeId,
        displayName: `${name}-cpe`,
        freeformTags,
      },
      child,
    );
    const ipsec = new oci.core.Ipsec(
      `${name}-ipsec`,
      {
        compartmentId,
        cpeId: cpe.id,
        drgId: args.drgId,
        staticRoutes: args.onPremises.cidrs,
        displayName: `${name}-ipsec`,
        freeformTags,
      },
      child,
    );
    const tunnels = oci.core.getIpsecConnectionTunnelsOutput(
      { ipsecId: ipsec.id },
      { parent: this, provider: opts.provider },
    ).ipSecConnectionTunnels;
    const managed = Array.from({ length: IPSEC_TUNNELS }, (_, i) => {
      const sharedSecret =
        vpn.sharedSecrets?.[i] ??
        new random.RandomPassword(
          `${name}-tunnel-${i + 1}-psk`,
          // OCI accepts letters, digits and spaces in a pre-shared key (up to 255 characters).
          { length: 64, special: false },
          { parent: this },
        ).result;
      return new oci.core.IpsecConnectionTunnelManagement(
        `${name}-tunnel-${i + 1}`,
        {
          ipsecId: ipsec.id,
          tunnelId: tunnels.apply((list) => {
            const sorted = [...list].sort((a, b) => a.id.localeCompare(b.id));
            if (sorted.length !== IPSEC_TUNNELS) {
              throw new Error(`IPSec connection lists ${sorted.length} tunnels, expected ${IPSEC_TUNNELS}`);
            }
            return sorted[i].id;
          }),
          displayName: `${name}-tunnel-${i + 1}`,
          routing: "STATIC",
          ikeVersion: vpn.ikeVersion,
          sharedSecret: pulumi.secret(sharedSecret),
        },
        { ...child, additionalSecretOutputs: ["sharedSecret"] },
      );
    });
    this.kind = "ipsec";
    this.cpeId = cpe.id;
    this.ipsecConnectionId = ipsec.id;
    this.vpnTunnels = pulumi.secret(
      pulumi.all(
        managed.map((t) =>
          pulumi
            .all([t.tunnelId, t.vpnIp, t.cpeIp, t.routing, t.ikeVersion, t.sharedSecret, t.status])
            .apply(
              ([tunnelId, oracleVpnIp, cpeIp, routing, ikeVersion, sharedSecret, status]): VpnTunnel => ({
                tunnelId,
                oracleVpnIp,
                cpeIp,
                routing,
                ikeVersion,
                sharedSecret: sharedSecret ?? "",
                status,
              }),
            ),
        ),
      ),
    );
    this.registerOutputs({
      cpeId: this.cpeId,
      ipsecConnectionId: this.ipsecConnectionId,
      vpnTunnels: this.vpnTunnels,
    });
  }
}
