/**
 * Checks of what an adopted network brings (`network.existing.drgId`), run by the network step
 * (./resolveNetwork.ts). What only OCI can answer (an adopted stream pool's endpoint) is checked
 * once it answers: ./adoptedPool.ts.
 */
import { ValidationError } from "../errors";
import type { ExistingNetworkArgs } from "./args";

/** An adopted DRG's OCID, when given as a plain string, must name a DRG. */
export function checkAdoptedDrg(existing: ExistingNetworkArgs): void {
  const drgId = existing.drgId;
  if (drgId === "") {
    throw new ValidationError(
      "network.existing.drgId",
      "is empty. Give the OCID of the DRG the VCN is attached to, or leave it out to create a DRG and attach the VCN",
    );
  }
  if (
    typeof drgId === "string" &&
    !/^ocid1\.drg\.[a-z0-9-]*\.[a-z0-9-]*\.[A-Za-z0-9._-]+$/.test(drgId.trim())
  ) {
    throw new ValidationError(
      "network.existing.drgId",
      `"${drgId}" is not a DRG OCID (ocid1.drg.…). Give the OCID of the DRG the VCN is attached to (Networking > Virtual cloud networks > the VCN > DRG attachment)`,
    );
  }
}
