/**
 * Telemetry of the MirrorMaker fleet as data (pure): the metrics the nodes post to OCI Monitoring
 * and OCI's rules for them, the alarms over them, and the pinned downloads (JMX exporter, Node.js)
 * the nodes verify.
 */
export * from "./alarms";
export * from "./artifacts";
export * from "./budget";
export * from "./metrics";
