/** Operating a region: Notifications, alarms, the fleet's monitoring policies and MM2's log in OCI Logging. */
export * from "./monitoring";
export * from "./policies";
