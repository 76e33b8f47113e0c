/**
 * The Pulumi program of this repository's two stacks, `primary` and `dr`. All logic lives in the
 * library (`lib/program`); consumers import the library (`oci-geo-streaming`), not this file.
 */
import { stackProgram } from "./lib/program/stackProgram";

export = stackProgram;
