/**
 * The one Apache Kafka version this product deploys and tests.
 *
 * The MirrorMaker 2 VMs download exactly this release (Scala 2.13 build) and verify it
 * against {@link KAFKA_TGZ_SHA512}; the local rehearsal resolves the same version's jars
 * from Maven Central. Change all three constants together.
 */
export const KAFKA_VERSION = "4.1.2";

/** Scala build of the binary distribution. */
export const KAFKA_SCALA_VERSION = "2.13";

/** File name of the binary distribution. */
export const KAFKA_TGZ = `kafka_${KAFKA_SCALA_VERSION}-${KAFKA_VERSION}.tgz`;

/**
 * SHA-512 of {@link KAFKA_TGZ} as published by Apache (`<tgz>.sha512`, 133,586,323 bytes).
 */
export const KAFKA_TGZ_SHA512 =
  "78ac6e488b1071122f9608dfdb363f6fe50e1dbbc492347002c0398dfbf77e0d" +
  "8caa5bf794c5937379721004dfe92025937d238b0faf4eb715529417fd43b491";

/** Default download location (Apache's archive keeps every release forever). */
export const KAFKA_DEFAULT_DOWNLOAD_BASE = "https://archive.apache.org/dist/kafka";
