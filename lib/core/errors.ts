/**
 * Raised for bad input before any resource is registered.
 *
 * `field` is the dotted path of the offending argument (for example `streams[2].partitions`);
 * the message reads `<field>: <what is wrong>. <how to fix>`.
 */
export class ValidationError extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "ValidationError";
  }
}
