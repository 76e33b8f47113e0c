/**
 * The IAM statements monitoring needs, as pure functions (lib/components/monitoring/monitoring.ts writes them
 * into policies). Least privilege, each verb limited to what the nodes or operators do:
 *
 *  - post metrics only in the product's namespace: `use metrics … where
 *    target.metrics.namespace='<ns>'` (PostMetricData needs METRIC_POST, part of `use metrics`; the
 *    condition variable is documented in "Details for Monitoring",
 *    https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/monitoringpolicyreference.htm);
 *  - read the operator bundle from the tools bucket only: `read objects … where
 *    target.bucket.name='<bucket>'` (GetObject needs OBJECT_READ;
 *    https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/objectstoragepolicyreference.htm);
 *  - the Oracle Cloud Agent's log plugin pushes MM2's log lines: `use log-content`
 *    (https://docs.oracle.com/en-us/iaas/Content/Logging/Task/managingcustomlogs.htm, "Agent
 *    management: … allow dynamic-group <group> to use log-content in compartment <compartment>");
 *  - Run Command: an instance fetches and answers only the commands addressed to itself,
 *    `use instance-agent-command-execution-family … where request.instance.id=target.instance.id`,
 *    and operators create them with `manage instance-agent-command-family`
 *    (https://docs.oracle.com/en-us/iaas/Content/Compute/Tasks/runningcommands.htm, "Required IAM
 *    Policy").
 */
import { policySubject } from "../replication/identity";

export interface FleetStatementInputs {
  dynamicGroup: string;
  compartmentId: string;
  metricNamespace: string;
  toolsBucketName: string;
  identityDomains: boolean;
}

/** What the fleet's instances may do for monitoring, logs, the tools bundle and Run Command. */
export function fleetMonitoringStatements(i: FleetStatementInputs): string[] {
  const dg = policySubject("dynamic-group", i.dynamicGroup, i.identityDomains);
  const where = `compartment id ${i.compartmentId}`;
  return [
    `Allow ${dg} to use metrics in ${where} where target.metrics.namespace='${i.metricNamespace}'`,
    `Allow ${dg} to read objects in ${where} where target.bucket.name='${i.toolsBucketName}'`,
    `Allow ${dg} to use log-content in ${where}`,
    `Allow ${dg} to use instance-agent-command-execution-family in ${where} where request.instance.id=target.instance.id`,
  ];
}

/**
 * What the operators' group may do: create Run Command commands and read their executions, and
 * read the instances (`oci-geo-streaming run` looks up an instance's compartment).
 */
export function operatorStatements(group: string, compartmentId: string, identityDomains: boolean): string[] {
  const g = policySubject("group", group, identityDomains);
  return [
    `Allow ${g} to manage instance-agent-command-family in compartment id ${compartmentId}`,
    `Allow ${g} to read instances in compartment id ${compartmentId}`,
  ];
}
