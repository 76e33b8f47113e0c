/** Small IPv4 helpers of the OCI model (addresses as numbers, CIDR containment, host allocation). */
export function parseIp(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^[0-9]{1,3}$/.test(p) || Number(p) > 255)) {
    return undefined;
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(cidr);
  if (!m) {
    return undefined;
  }
  const ip = parseIp(m[1]);
  const bits = Number(m[2]);
  if (ip === undefined || bits > 32) {
    return undefined;
  }
  const size = 2 ** (32 - bits);
  return { base: ip - (ip % size), bits };
}

export function cidrRange(cidr: string): [number, number] | undefined {
  const c = parseCidr(cidr);
  return c ? [c.base, c.base + 2 ** (32 - c.bits) - 1] : undefined;
}

export function cidrContains(outer: string, inner: string): boolean {
  const o = cidrRange(outer);
  const i = cidrRange(inner);
  return !!o && !!i && i[0] >= o[0] && i[1] <= o[1];
}

export function cidrOverlaps(a: string, b: string): boolean {
  const x = cidrRange(a);
  const y = cidrRange(b);
  return !!x && !!y && x[0] <= y[1] && y[0] <= x[1];
}

export function hostInCidr(cidr: string, n: number): string | undefined {
  const r = cidrRange(cidr);
  if (!r) {
    return undefined;
  }
  const size = r[1] - r[0] + 1;
  const ip = r[0] + (size > 4 ? Math.min(n, size - 2) : n % size);
  return [24, 16, 8, 0].map((s) => Math.floor(ip / 2 ** s) % 256).join(".");
}

export function checkDnsLabel(label: unknown, reject: (detail: string) => never): void {
  if (label === undefined || label === null) {
    return;
  }
  if (typeof label !== "string" || !/^[A-Za-z][A-Za-z0-9]{0,14}$/.test(label)) {
    reject(`dnsLabel '${String(label)}' must be 1-15 letters and digits, starting with a letter`);
  }
}
