/**
 * Failback after a failover: the resumable steps of `npm run failback` (state file), the catch-up
 * check of the reverse flow, the reverse consumer-group translation (reverse checkpoints, and the
 * forward offset syncs read backwards for the remote copies consumed on dr).
 */
export * from "./state";
export * from "./offsetSyncs";
export * from "./caughtUp";
export * from "./translate";
