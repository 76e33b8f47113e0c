/** What a Verify run must show, shared by the rehearsal tests (not a test file). */
import { expect } from "chai";
import type { VerifyResult } from "../../dev/rehearsal/tools";

/** The records of a Verify run arrived intact (duplicates are checked by the caller). */
export function expectIntact(result: VerifyResult, context: string): void {
  expect(result.complete, context).to.equal(true);
  expect(result.missing, context).to.equal(0);
  expect(result.orderViolations, context).to.equal(0);
  expect(result.keyMismatches, context).to.equal(0);
  expect(result.headerMismatches, context).to.equal(0);
  expect(result.timestampMismatches, context).to.equal(0);
  expect(result.partitionMismatches, context).to.equal(0);
  expect(result.malformed, context).to.equal(0);
}

/** {@link expectIntact}, and every one of `records` arrived exactly once. */
export function expectIntactOnce(result: VerifyResult, records: number, context: string): void {
  expectIntact(result, context);
  expect(result.unique, context).to.equal(records);
  expect(result.duplicates, context).to.equal(0);
}
