/** Consumer-group failover: MM2 checkpoints, offset translation, and commits on the dr cluster. */
export * from "./checkpoints";
export * from "./failover";
export * from "./connection";
export * from "./reads";
