/**
 * Reads an adopted stream pool (`streamPool.existingStreamPoolId`) and its endpoint's subnet from
 * OCI, and checks them (lib/core/config/adoptedPool.ts). The component puts `checked` in its gate,
 * so that a pool that cannot work stops every registration, as bad input does.
 */
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import {
  AdoptedPoolFacts,
  checkAdoptedPool,
  requiredPoolIngressRules,
  RequiredPoolIngressRule,
} from "../../core/config/adoptedPool";
import { ResolvedArgs } from "../../core/config/resolved";
import { streamPoolIngressRules } from "../network/rules";

/** The adopted pool as OCI answers it, checked. */
export interface AdoptedPool {
  /** Resolves once the pool passed the checks; rejects with a ValidationError otherwise. */
  checked: pulumi.Output<boolean>;
  pool: pulumi.Output<oci.streaming.GetStreamPoolResult>;
  /** The 9092 ingress its NSGs must allow for the fleets. */
  requiredIngressRules: pulumi.Output<RequiredPoolIngressRule[]>;
}

/** Reads and checks the adopted pool; undefined when the pool is created here. */
export function readAdoptedPool(r: ResolvedArgs, opts: pulumi.InvokeOptions): AdoptedPool | undefined {
  const poolId = r.streamPool.existingStreamPoolId;
  if (poolId === undefined) {
    return undefined;
  }
  const pool = oci.streaming.getStreamPoolOutput({ streamPoolId: poolId }, opts);
  const vcnId = r.network.mode === "adopt" ? r.network.existing!.vcnId : undefined;
  const facts: pulumi.Output<AdoptedPoolFacts> = pulumi
    .all([pool, poolId])
    .apply(async ([p, id]): Promise<AdoptedPoolFacts> => {
      const privateEndpointSettings = (p.privateEndpointSettings ?? []).map((pe) => ({
        subnetId: pe.subnetId || undefined,
        nsgIds: pe.nsgIds ?? [],
        privateEndpointIp: pe.privateEndpointIp,
      }));
      const subnetId = privateEndpointSettings[0]?.subnetId;
      const subnet = subnetId ? await oci.core.getSubnet({ subnetId }, opts) : undefined;
      return { poolId: id, privateEndpointSettings, subnetVcnId: subnet?.vcnId };
    });
  const checked = pulumi.all([facts, vcnId]).apply(([f, vcn]) => {
    checkAdoptedPool(r, f, vcn);
    return true;
  });
  return {
    checked,
    pool,
    requiredIngressRules: pulumi
      .all([facts, checked])
      .apply(([f]) => requiredPoolIngressRules(f, streamPoolIngressRules(r))),
  };
}
