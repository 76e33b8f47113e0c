/**
 * Resources created straight in an OCI model (no engine), as the engine would: an id, the outputs
 * the model computes, remembered with their inputs. For the model's unit tests.
 */
import type { Obj } from "../../dev/oci-model/handlerContext";
import type { OciModel } from "../../dev/oci-model/tenancyModel";

let n = 0;

/** Creates a resource of `type` in `model`; its id. */
export function createIn(model: OciModel, type: string, inputs: Obj, region: string): string {
  const name = `r${n++}`;
  const id = model.newResourceId(type, name, region, `${name}|seed`, inputs);
  const outputs = model.computeOutputs(type, name, id, inputs, region, false);
  model.remember(id, { type, region, outputs: { ...inputs, ...outputs } });
  return id;
}
