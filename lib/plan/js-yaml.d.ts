// Minimal typing for js-yaml (shipped with @pulumi/pulumi; no @types package in this repo).
declare module "js-yaml" {
  export function load(input: string, options?: { filename?: string }): unknown;
}
