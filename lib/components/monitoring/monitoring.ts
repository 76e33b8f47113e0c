/**
 * Operating one region: the Notifications topic and its subscriptions, the alarms, and — in a
 * region that runs MirrorMaker — the fleet's monitoring policies, MM2's log in OCI Logging (a log
 * group, a custom log and the Unified Agent configuration that tails MM2's log file on the fleet's
 * instances). The alarms and their texts come from the pure core (lib/core/telemetry/alarms.ts).
 */
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { MM2_LOG_FILE } from "../../core/cloudinit/userData";
import { ResolvedMonitoring } from "../../core/config/validateMonitoring";
import { alarmSpecs, AlarmSpec, instanceDownQuery } from "../../core/telemetry/alarms";
import { iamName } from "../../core/oci/iamNames";
import { fleetMonitoringStatements, operatorStatements } from "./policies";

/** What the fleet's monitoring needs from the replication layer. */
export interface FleetMonitoringInputs {
  /** The `deployment` dimension the nodes post (the replication layer's name). */
  deployment: string;
  tenancyId: pulumi.Input<string>;
  homeRegionProvider: pulumi.ProviderResource;
  /** The deployment's prefix of the tenancy-wide IAM names (lib/core/oci/iamNames.ts). */
  iamNamePrefix: string;
  identityDomains: boolean;
  dynamicGroupId: pulumi.Input<string>;
  dynamicGroupName: pulumi.Input<string>;
  toolsBucketName: pulumi.Input<string>;
  /** The fleet's instances, in order: one `instance-down-<i>` alarm each (OCI's own CpuUtilization). */
  instanceIds: pulumi.Input<string[]>;
  /** How many there are (known before they exist: the alarms are registered now). */
  fleetSize: number;
}

export interface MonitoringArgs {
  monitoring: ResolvedMonitoring;
  compartmentId: pulumi.Input<string>;
  /** How the texts name this region's pool. */
  poolLabel: string;
  freeformTags: Record<string, string>;
  /** Present when this region runs MirrorMaker. */
  fleet?: FleetMonitoringInputs;
}

/** The days MM2's custom log keeps its lines (OCI Logging takes 30 to 180, by 30). */
export const MM2_LOG_RETENTION_DAYS = 30;

/** The Unified Agent's LOGGING configuration: MM2's log file, lines as they are, into `logId`. */
export function mm2LogServiceConfiguration(
  logId: pulumi.Input<string>,
): oci.types.input.Logging.UnifiedAgentConfigurationServiceConfiguration {
  return {
    configurationType: "LOGGING",
    sources: [{ sourceType: "LOG_TAIL", name: "mm2", paths: [MM2_LOG_FILE], parser: { parserType: "NONE" } }],
    destination: { logObjectId: logId },
  };
}

/**
 * The topic's name. ONS topic names are unique across the tenancy (letters, digits, `-` and `_`, at
 * most 256): the project and stack make one deployment's topic its own, next to another
 * project's or stack's component of the same name.
 */
export function topicName(project: string, stack: string, component: string): string {
  return `${project}-${stack}-${component}-alarms`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256);
}

/** See the module comment. */
export class Monitoring extends pulumi.ComponentResource {
  /** The Notifications topic the alarms notify (created, or `monitoring.notificationTopicId`). */
  public readonly topicId: pulumi.Output<string>;
  /** Alarm OCIDs by key (alarmSpecs' keys). */
  public readonly alarmIds: pulumi.Output<Record<string, string>>;
  /** The log group of MM2's log, when MirrorMaker runs here. */
  public readonly logGroupId: pulumi.Output<string | undefined>;
  /** The custom log MM2's log lines go to, when MirrorMaker runs here. */
  public readonly logId: pulumi.Output<string | undefined>;
  /** The bucket the nodes fetch the operator bundle from, when MirrorMaker runs here. */
  public readonly toolsBucketName: pulumi.Output<string | undefined>;
  /** The alarms as created (their specs). */
  public readonly specs: AlarmSpec[];

  constructor(name: string, args: MonitoringArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("oci-geo-streaming:monitoring:Monitoring", name, {}, opts);
    const child = { parent: this, provider: opts.provider };
    const m = args.monitoring;
    const tags = args.freeformTags;

    let topicId: pulumi.Output<string>;
    if (m.notificationTopicId !== undefined) {
      topicId = pulumi.output(m.notificationTopicId);
    } else {
      const topic = new oci.ons.NotificationTopic(
        `${name}-topic`,
        {
          compartmentId: args.compartmentId,
          name: topicName(pulumi.getProject(), pulumi.getStack(), name),
          description: `Alarms of ${args.poolLabel} (oci-geo-streaming)`,
          freeformTags: tags,
        },
        child,
      );
      topicId = topic.id;
    }
    m.subscriptions.forEach((s, i) => {
      const url = s.protocol !== "EMAIL";
      new oci.ons.Subscription(
        `${name}-sub-${s.protocol.toLowerCase().replace(/_/g, "-")}-${i}`,
        {
          compartmentId: args.compartmentId,
          topicId,
          protocol: s.protocol,
          // A webhook URL is the credential: secret in the inputs and, as OCI echoes it, the outputs.
          endpoint: url ? pulumi.secret(s.endpoint) : s.endpoint,
          freeformTags: tags,
        },
        url ? { ...child, additionalSecretOutputs: ["endpoint"] } : child,
      );
    });

    this.specs = alarmSpecs({
      namespace: m.metricNamespace,
      deployment: args.fleet?.deployment ?? name,
      rpoTargetSeconds: m.rpoTargetSeconds,
      lagPendingMinutes: m.lagAlarmMinutes,
      heartbeatMaxAgeSeconds: m.heartbeatMaxAgeSeconds,
      fleet: args.fleet !== undefined,
      fleetSize: args.fleet?.fleetSize,
      poolLabel: args.poolLabel,
    });
    const instanceIds = pulumi.output(args.fleet?.instanceIds ?? []);
    const alarms = this.specs.map(
      (spec) =>
        [
          spec.key,
          new oci.monitoring.Alarm(
            `${name}-alarm-${spec.key}`,
            {
              compartmentId: args.compartmentId,
              metricCompartmentId: args.compartmentId,
              displayName: spec.displayName,
              namespace: spec.namespace,
              query:
                spec.instance === undefined
                  ? spec.query
                  : instanceIds.apply((ids) => instanceDownQuery(ids[spec.instance!])),
              severity: spec.severity,
              pendingDuration: spec.pendingDuration,
              body: spec.body,
              destinations: [topicId],
              isEnabled: true,
              messageFormat: "ONS_OPTIMIZED",
              repeatNotificationDuration: "PT4H",
              freeformTags: tags,
            },
            child,
          ),
        ] as const,
    );
    this.alarmIds = pulumi
      .all(alarms.map(([, a]) => a.id))
      .apply((ids) => Object.fromEntries(ids.map((id, i) => [alarms[i][0], id])));

    const f = args.fleet;
    if (f) {
      const home = { parent: this, provider: f.homeRegionProvider };
      new oci.identity.Policy(
        `${name}-fleet-policy`,
        {
          compartmentId: f.tenancyId,
          name: iamName(f.iamNamePrefix, `${name}-fleet`),
          description:
            "MirrorMaker 2 instances: metrics in their namespace, the tools bundle, MM2's log, Run Command",
          statements: pulumi
            .all([f.dynamicGroupName, args.compartmentId, f.toolsBucketName])
            .apply(([dg, cid, bucket]) =>
              fleetMonitoringStatements({
                dynamicGroup: dg,
                compartmentId: cid,
                metricNamespace: m.metricNamespace,
                toolsBucketName: bucket,
                identityDomains: f.identityDomains,
              }),
            ),
          freeformTags: tags,
        },
        home,
      );
      if (m.operatorGroup !== undefined) {
        const group = m.operatorGroup;
        new oci.identity.Policy(
          `${name}-operator-policy`,
          {
            compartmentId: f.tenancyId,
            name: iamName(f.iamNamePrefix, `${name}-operators`),
            description:
              "Operators run oci-geo-streaming status/failover on the MirrorMaker nodes through Run Command",
            statements: pulumi
              .output(args.compartmentId)
              .apply((cid) => operatorStatements(group, cid, f.identityDomains)),
            freeformTags: tags,
          },
          home,
        );
      }
      const logGroup = new oci.logging.LogGroup(
        `${name}-log-group`,
        {
          compartmentId: args.compartmentId,
          // Unique in its compartment, which two deployments may share: the deployment's prefix too.
          displayName: iamName(f.iamNamePrefix, `${name}-logs`),
          description: "MirrorMaker 2 logs (oci-geo-streaming)",
          freeformTags: tags,
        },
        child,
      );
      const log = new oci.logging.Log(
        `${name}-mm2-log`,
        {
          logGroupId: logGroup.id,
          displayName: `${name}-mm2`,
          logType: "CUSTOM",
          isEnabled: true,
          retentionDuration: MM2_LOG_RETENTION_DAYS,
          freeformTags: tags,
        },
        child,
      );
      new oci.logging.UnifiedAgentConfiguration(
        `${name}-mm2-log-agent`,
        {
          compartmentId: args.compartmentId,
          displayName: `${name}-mm2-log-agent`,
          description: `Tails ${MM2_LOG_FILE} on the MirrorMaker nodes into the mm2 log`,
          isEnabled: true,
          serviceConfiguration: mm2LogServiceConfiguration(log.id),
          groupAssociation: { groupLists: [f.dynamicGroupId] },
          freeformTags: tags,
        },
        child,
      );
      this.logGroupId = logGroup.id;
      this.logId = log.id;
      this.toolsBucketName = pulumi.output(f.toolsBucketName);
    } else {
      this.logGroupId = pulumi.output(undefined);
      this.logId = pulumi.output(undefined);
      this.toolsBucketName = pulumi.output(undefined);
    }
    this.topicId = topicId;
    this.registerOutputs({
      topicId: this.topicId,
      alarmIds: this.alarmIds,
      logGroupId: this.logGroupId,
      logId: this.logId,
      toolsBucketName: this.toolsBucketName,
    });
  }
}
