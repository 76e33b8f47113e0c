/** The OCI model — @pulumi/random: deterministic stand-ins for random values. */
import type { Obj, ResourceContext, ResourceHandler } from "../handlerContext";
import { hashBase32, hashHex, hashUuid } from "../ocid";

function randomPassword(ctx: ResourceContext): Obj {
  const { type, inputs: inp, seed } = ctx;
  const len = (inp.length as number | undefined) ?? 16;
  const result = hashBase32(`${seed}|random`, len);
  return type.endsWith("RandomPassword")
    ? { result, bcryptHash: `$2a$10$${hashBase32(`${seed}|bcrypt`, 53)}` }
    : { result };
}

function randomId(ctx: ResourceContext): Obj {
  const { inputs: inp, seed } = ctx;
  const bytes = (inp.byteLength as number | undefined) ?? 8;
  const hex = hashHex(`${seed}|id`, bytes * 2);
  const buf = Buffer.from(hex, "hex");
  return {
    hex,
    dec: BigInt(`0x${hex}`).toString(10),
    b64Std: buf.toString("base64"),
    b64Url: buf.toString("base64url"),
  };
}

function randomInteger(ctx: ResourceContext): Obj {
  const { inputs: inp, seed } = ctx;
  const min = (inp.min as number | undefined) ?? 0;
  const max = (inp.max as number | undefined) ?? min;
  return { result: min + (parseInt(hashHex(seed, 8), 16) % (max - min + 1)) };
}

function randomUuid(ctx: ResourceContext): Obj {
  const { seed } = ctx;
  return { result: hashUuid(seed) };
}

function randomPet(ctx: ResourceContext): Obj {
  const { seed } = ctx;
  return { id: `mock-${hashBase32(seed, 6)}` };
}

/** Resource handlers of this service, by type token. */
export const RANDOM: Record<string, ResourceHandler> = {
  "random:index/randomPassword:RandomPassword": randomPassword,
  "random:index/randomString:RandomString": randomPassword,
  "random:index/randomId:RandomId": randomId,
  "random:index/randomInteger:RandomInteger": randomInteger,
  "random:index/randomUuid:RandomUuid": randomUuid,
  "random:index/randomPet:RandomPet": randomPet,
};
