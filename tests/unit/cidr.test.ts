import { expect } from "chai";
import { addressAt, asCidr, contains, mustParseCidr, overlaps, parseCidr, subnet } from "../../lib/core/cidr";

describe("cidr", () => {
  const invalid: [string, RegExp][] = [
    ["10.0.0.0", /not an IPv4 CIDR/],
    ["10.0.0/16", /not an IPv4 CIDR/],
    ["256.0.0.0/8", /octet above 255/],
    ["10.0.0.0/33", /prefix length above 32/],
    ["10.0.0.1/16", /host bits set; the network address is 10.0.0.0\/16/],
    ["fd00::/8", /not an IPv4 CIDR/],
  ];
  for (const [text, error] of invalid) {
    it(`refuses ${text}`, () => {
      const parsed = parseCidr(text);
      expect(parsed).to.be.a("string").that.matches(error);
    });
  }

  it("parses a valid block", () => {
    expect(parseCidr("10.20.0.0/16")).to.deep.equal({
      text: "10.20.0.0/16",
      network: 0x0a140000,
      prefix: 16,
    });
  });

  const containment: [string, string, boolean][] = [
    ["10.0.0.0/16", "10.0.1.0/24", true],
    ["10.0.0.0/16", "10.0.0.0/16", true],
    ["10.0.0.0/16", "10.1.0.0/24", false],
    ["10.0.0.0/24", "10.0.0.0/16", false],
    ["0.0.0.0/0", "192.168.1.0/24", true],
  ];
  for (const [outer, inner, expected] of containment) {
    it(`contains(${outer}, ${inner}) is ${expected}`, () => {
      expect(contains(mustParseCidr(outer), mustParseCidr(inner))).to.equal(expected);
    });
  }

  const overlap: [string, string, boolean][] = [
    ["10.0.0.0/16", "10.0.255.0/24", true],
    ["10.0.0.0/16", "10.1.0.0/16", false],
    ["10.0.0.0/8", "10.200.0.0/16", true],
    ["192.168.0.0/24", "192.168.1.0/24", false],
    ["192.168.0.0/23", "192.168.1.0/24", true],
  ];
  for (const [a, b, expected] of overlap) {
    it(`overlaps(${a}, ${b}) is ${expected} both ways`, () => {
      expect(overlaps(mustParseCidr(a), mustParseCidr(b))).to.equal(expected);
      expect(overlaps(mustParseCidr(b), mustParseCidr(a))).to.equal(expected);
    });
  }

  it("carves sub-blocks", () => {
    const vcn = mustParseCidr("10.30.0.0/16");
    expect(subnet(vcn, 24, 0).text).to.equal("10.30.0.0/24");
    expect(subnet(vcn, 24, 2).text).to.equal("10.30.2.0/24");
    expect(subnet(vcn, 24, 255).text).to.equal("10.30.255.0/24");
    expect(() => subnet(vcn, 24, 256)).to.throw(/out of range/);
    expect(() => subnet(vcn, 8, 0)).to.throw(/cannot carve/);
  });

  it("names the address at an offset, and refuses one outside the block", () => {
    const sub = mustParseCidr("10.30.2.0/24");
    expect(addressAt(sub, 0)).to.equal("10.30.2.0");
    expect(addressAt(sub, 5)).to.equal("10.30.2.5");
    expect(addressAt(sub, 255)).to.equal("10.30.2.255");
    expect(addressAt(mustParseCidr("192.168.255.252/30"), 3)).to.equal("192.168.255.255");
    expect(() => addressAt(sub, 256)).to.throw(
      /10\.30\.2\.0\/24 holds 256 addresses; offset 256 is out of range/,
    );
    expect(() => addressAt(sub, -1)).to.throw(/out of range/);
  });

  it("asCidr: the block, or undefined for what is not a CIDR string", () => {
    expect(asCidr("10.0.0.0/16")).to.deep.equal(mustParseCidr("10.0.0.0/16"));
    expect(asCidr("10.0.0.1/16")).to.equal(undefined);
    expect(asCidr(42)).to.equal(undefined);
    expect(asCidr(undefined)).to.equal(undefined);
  });
});
