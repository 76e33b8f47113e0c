/**
 * IPv4 CIDR arithmetic used by validation and by the network defaults. Pure functions, no Pulumi.
 */

/** A parsed IPv4 CIDR block: `network` is the first address as an unsigned 32-bit integer. */
export interface Cidr {
  readonly text: string;
  readonly network: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns an error string instead of throwing so callers can name the field.
 * Host bits must be zero (`10.0.0.1/16` is refused: OCI rejects it too).
 */
export function parseCidr(text: string): Cidr | string {
  const m = CIDR_PATTERN.exec(text.trim());
  if (!m) {
    return `"${text}" is not an IPv4 CIDR block like 10.0.0.0/16`;
  }
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) {
    return `"${text}" has an octet above 255`;
  }
  const prefix = Number(m[5]);
  if (prefix > 32) {
    return `"${text}" has a prefix length above 32`;
  }
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const network = (address & prefixMask(prefix)) >>> 0;
  if (network !== address) {
    return `"${text}" has host bits set; the network address is ${formatAddress(network)}/${prefix}`;
  }
  return { text: text.trim(), network, prefix };
}

/** The parsed block, or undefined when `value` is not a string holding a valid CIDR (no reason given). */
export function asCidr(value: unknown): Cidr | undefined {
  if (typeof value !== "string") {
    return undefined;
  }
  const parsed = parseCidr(value);
  return typeof parsed === "string" ? undefined : parsed;
}

/** Parses a CIDR or throws a plain Error (for values already validated). */
export function mustParseCidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (typeof parsed === "string") {
    throw new Error(parsed);
  }
  return parsed;
}

function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Number of addresses in the block. */
export function size(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** Last address of the block. */
export function lastAddress(cidr: Cidr): number {
  return cidr.network + size(cidr) - 1;
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.network >= outer.network && lastAddress(inner) <= lastAddress(outer);
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.network <= lastAddress(b) && b.network <= lastAddress(a);
}

/** Dotted-quad form of an address. */
export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join(".");
}

/**
 * The `index`-th sub-block of length `newPrefix` inside `parent`
 * (`subnet(10.0.0.0/16, 24, 2)` is `10.0.2.0/24`).
 */
export function subnet(parent: Cidr, newPrefix: number, index: number): Cidr {
  if (newPrefix < parent.prefix || newPrefix > 32) {
    throw new Error(`cannot carve a /${newPrefix} out of ${parent.text}`);
  }
  const count = 2 ** (newPrefix - parent.prefix);
  if (index < 0 || index >= count) {
    throw new Error(`${parent.text} holds ${count} /${newPrefix} blocks; index ${index} is out of range`);
  }
  const network = parent.network + index * 2 ** (32 - newPrefix);
  return { text: `${formatAddress(network)}/${newPrefix}`, network, prefix: newPrefix };
}

/**
 * The address `offset` places into the block, dotted (`addressAt(10.0.2.0/24, 5)` is `10.0.2.5`).
 * Throws when the offset falls outside the block.
 */
export function addressAt(cidr: Cidr, offset: number): string {
  if (!Number.isInteger(offset) || offset < 0 || offset >= size(cidr)) {
    throw new Error(`${cidr.text} holds ${size(cidr)} addresses; offset ${offset} is out of range`);
  }
  return formatAddress(cidr.network + offset);
}
