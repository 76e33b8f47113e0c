/**
 * Flexible VM shapes the MirrorMaker fleet may use, with OCI's OCPU and memory limits
 * (Compute "Flexible Shapes" documentation). MirrorMaker needs a JVM heap and page cache,
 * so the product also sets a floor of {@link MIN_MEMORY_GB} per instance.
 */
export interface FlexShape {
  maxOcpus: number;
  maxMemoryGbs: number;
  /** Memory per OCPU allowed by OCI, in GB. */
  minGbPerOcpu: number;
  maxGbPerOcpu: number;
  /** CPU architecture of the image the shape needs. */
  arch: "x86_64" | "aarch64";
}

export const FLEX_SHAPES: Readonly<Record<string, FlexShape>> = {
  "VM.Standard.E4.Flex": {
    maxOcpus: 64,
    maxMemoryGbs: 1024,
    minGbPerOcpu: 1,
    maxGbPerOcpu: 64,
    arch: "x86_64",
  },
  "VM.Standard.E5.Flex": {
    maxOcpus: 94,
    maxMemoryGbs: 1049,
    minGbPerOcpu: 1,
    maxGbPerOcpu: 64,
    arch: "x86_64",
  },
  "VM.Standard3.Flex": { maxOcpus: 32, maxMemoryGbs: 512, minGbPerOcpu: 1, maxGbPerOcpu: 64, arch: "x86_64" },
  "VM.Optimized3.Flex": {
    maxOcpus: 18,
    maxMemoryGbs: 256,
    minGbPerOcpu: 1,
    maxGbPerOcpu: 64,
    arch: "x86_64",
  },
  "VM.Standard.A1.Flex": {
    maxOcpus: 80,
    maxMemoryGbs: 512,
    minGbPerOcpu: 1,
    maxGbPerOcpu: 64,
    arch: "aarch64",
  },
};

/** The smallest instance MirrorMaker is run on (heap + page cache + OS). */
export const MIN_MEMORY_GB = 4;
