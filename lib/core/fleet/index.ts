/**
 * The MirrorMaker fleet's configuration from the resolved deployment: the MM2 model, the rendered
 * mm2.properties and user-data, and the sizing of the instance metadata. Pure (no Pulumi).
 */
export * from "./model";
export * from "./render";
export * from "./sizing";
