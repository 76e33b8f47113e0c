/**
 * cloud-init for the MirrorMaker 2 nodes: the `#cloud-config` user-data and the scripts it installs.
 * Pure (no Pulumi); deterministic.
 */
export * from "./scripts";
export * from "./userData";
