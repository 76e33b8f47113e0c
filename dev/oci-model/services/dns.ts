/** The OCI model — DNS: the VCN resolvers, resolver endpoints, views and zones. */
import type { ResourceHandler } from "../model";

/** Resource handlers of this service, by type token. */
export const DNS: Record<string, ResourceHandler> = {};
