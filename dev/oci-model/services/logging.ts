/**
 * The OCI model — Logging: log groups, logs and Unified Agent configurations
 * (https://docs.oracle.com/en-us/iaas/api/#/en/logging-management/20200531/).
 *
 *  - a log group's displayName is unique in its compartment (CreateLogGroupDetails: "The
 *    user-friendly display name. This must be unique within the enclosing resource"); a log's is
 *    unique in its log group; a log is SERVICE or CUSTOM, its retentionDuration 30 to 180 days in
 *    steps of 30;
 *  - a Unified Agent configuration of type LOGGING has sources (a LOG_TAIL source names absolute
 *    file paths) and a destination log that exists and is CUSTOM; its group association lists
 *    groups or dynamic groups that exist ("Agent Management: Managing Agent Configurations",
 *    https://docs.oracle.com/en-us/iaas/Content/Logging/Concepts/agent_management.htm).
 */
import type { Obj, ResourceContext, ResourceHandler } from "../handlerContext";
import { parseOcid } from "../ocid";

export const LOG_GROUP_TYPE = "oci:Logging/logGroup:LogGroup";
export const LOG_TYPE = "oci:Logging/log:Log";
const DISPLAY_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

function logGroup(ctx: ResourceContext): Obj {
  const { inputs: inp, read, id, region, common, reject, model } = ctx;
  if (!read) {
    if (typeof inp.displayName !== "string" || !DISPLAY_NAME.test(inp.displayName)) {
      reject(
        `400-InvalidParameter: displayName ${JSON.stringify(inp.displayName)}: 1 to 100 letters, digits, _ . -`,
      );
    }
    const clash = model
      .ofType(LOG_GROUP_TYPE)
      .find(
        ([other, g]) =>
          other !== id &&
          g.region === region &&
          g.outputs.compartmentId === inp.compartmentId &&
          g.outputs.displayName === inp.displayName,
      );
    if (clash) {
      reject(
        `409-Conflict: log group ${clash[0]} in this compartment is already named ${String(inp.displayName)}`,
      );
    }
  }
  return { ...common, timeLastModified: common.timeCreated, state: "ACTIVE" };
}

function log(ctx: ResourceContext): Obj {
  const { inputs: inp, read, id, common, reject, sameRegion, model } = ctx;
  if (!read) {
    const group = sameRegion("logGroupId", inp.logGroupId);
    if (!group || group.type !== LOG_GROUP_TYPE)
      reject(`404-NotAuthorizedOrNotFound: logGroupId ${String(inp.logGroupId)} is not a log group`);
    if (inp.logType !== "CUSTOM" && inp.logType !== "SERVICE") {
      reject(`400-InvalidParameter: logType ${JSON.stringify(inp.logType)} is not CUSTOM or SERVICE`);
    }
    if (inp.logType === "SERVICE" && inp.configuration === undefined) {
      reject("400-InvalidParameter: a SERVICE log needs configuration (the service and resource it reads)");
    }
    const days = inp.retentionDuration;
    if (days !== undefined && (typeof days !== "number" || days < 30 || days > 180 || days % 30 !== 0)) {
      reject(`400-InvalidParameter: retentionDuration ${String(days)} must be 30 to 180 days in steps of 30`);
    }
    if (typeof inp.displayName !== "string" || !DISPLAY_NAME.test(inp.displayName)) {
      reject(
        `400-InvalidParameter: displayName ${JSON.stringify(inp.displayName)}: 1 to 100 letters, digits, _ . -`,
      );
    }
    const clash = model
      .ofType(LOG_TYPE)
      .find(
        ([other, l]) =>
          other !== id &&
          l.outputs.logGroupId === inp.logGroupId &&
          l.outputs.displayName === inp.displayName,
      );
    if (clash)
      reject(`409-Conflict: log ${clash[0]} in this log group is already named ${String(inp.displayName)}`);
  }
  return {
    ...common,
    compartmentId: model.lookup(inp.logGroupId)?.outputs.compartmentId,
    tenancyId: model.tenancyId(),
    retentionDuration: inp.retentionDuration ?? 30,
    isEnabled: inp.isEnabled ?? true,
    timeLastModified: common.timeCreated,
    state: "ACTIVE",
  };
}

const SOURCE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function unifiedAgentConfiguration(ctx: ResourceContext): Obj {
  const { inputs: inp, read, common, reject, sameRegion, model } = ctx;
  if (!read) {
    const sc = (inp.serviceConfiguration as Obj | undefined) ?? {};
    const type = sc.configurationType;
    if (type !== "LOGGING" && type !== "MONITORING") {
      reject(
        `400-InvalidParameter: serviceConfiguration.configurationType ${JSON.stringify(type)} is not LOGGING or MONITORING`,
      );
    }
    if (type === "LOGGING") {
      const sources = (sc.sources as Obj[] | undefined) ?? [];
      if (sources.length === 0)
        reject("400-InvalidParameter: a LOGGING configuration needs at least one source");
      const names = new Set<string>();
      for (const s of sources) {
        if (typeof s.name !== "string" || !SOURCE_NAME.test(s.name)) {
          reject(
            `400-InvalidParameter: source name ${JSON.stringify(s.name)}: 1 to 64 letters, digits, _ and -`,
          );
        }
        if (names.has(String(s.name)))
          reject(`400-InvalidParameter: two sources are named ${String(s.name)}`);
        names.add(String(s.name));
        if (s.sourceType === "LOG_TAIL") {
          const paths = (s.paths as unknown[] | undefined) ?? [];
          if (paths.length === 0)
            reject(`400-InvalidParameter: LOG_TAIL source ${String(s.name)} names no paths`);
          for (const p of paths) {
            if (typeof p !== "string" || !p.startsWith("/")) {
              reject(
                `400-InvalidParameter: source ${String(s.name)}: path ${JSON.stringify(p)} is not absolute`,
              );
            }
          }
        } else if (s.sourceType !== "WINDOWS_EVENT_LOG" && s.sourceType !== "CUSTOM_PLUGIN") {
          reject(
            `400-InvalidParameter: sourceType ${JSON.stringify(s.sourceType)} is not LOG_TAIL, WINDOWS_EVENT_LOG or CUSTOM_PLUGIN`,
          );
        }
      }
      const dest = (sc.destination as Obj | undefined)?.logObjectId;
      const log = sameRegion("serviceConfiguration.destination.logObjectId", dest);
      if (!log || log.type !== LOG_TYPE) {
        reject(`404-NotAuthorizedOrNotFound: destination log ${String(dest)} does not exist`);
      } else if (log.outputs.logType !== "CUSTOM") {
        reject(
          `400-InvalidParameter: destination log ${String(dest)} is a ${String(log.outputs.logType)} log; the agent writes CUSTOM logs only`,
        );
      }
    }
    const groups = ((inp.groupAssociation as Obj | undefined)?.groupLists as unknown[] | undefined) ?? [];
    for (const g of groups) {
      const kind = typeof g === "string" ? parseOcid(g)?.kind : undefined;
      if ((kind !== "dynamicgroup" && kind !== "group") || !model.lookup(g)) {
        reject(
          `404-NotAuthorizedOrNotFound: groupAssociation.groupLists: ${String(g)} is not an existing group or dynamic group`,
        );
      }
    }
  }
  return {
    ...common,
    configurationState: "VALID",
    isEnabled: inp.isEnabled ?? true,
    timeLastModified: common.timeCreated,
    state: "ACTIVE",
  };
}

/** Resource handlers of this service, by type token. */
export const LOGGING: Record<string, ResourceHandler> = {
  [LOG_GROUP_TYPE]: logGroup,
  [LOG_TYPE]: log,
  "oci:Logging/unifiedAgentConfiguration:UnifiedAgentConfiguration": unifiedAgentConfiguration,
};
