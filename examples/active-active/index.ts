/**
 * Example: active-active between Frankfurt and Amsterdam. Both regions take writes to their own
 * `orders` stream and each runs MirrorMaker pulling the other's, with the prefixed policy: Frankfurt
 * holds `orders` and `ams.orders`, Amsterdam holds `orders` and `fra.orders`, and no record comes
 * back to where it was written (each side replicates only the other's own streams, and MirrorMaker
 * never replicates a topic back to the cluster it came from). The identity policy is refused here.
 *
 * The program is this package's stack program; the scenario is in the stack files, applied in
 * this order (offline: `npm run plan:examples` evaluates them in this order):
 *   1. `primary`        Frankfurt, no replication yet (its peer's CIDRs from config);
 *   2. `dr`             Amsterdam, pulling from Frankfurt (reads primary's `peering` output);
 *   3. `primary-active` Frankfurt again (the same stack in a real deployment: `pulumi up -s primary`
 *                       with this config), now also pulling from Amsterdam (reads dr's `peering`).
 */
import { stackProgram } from "../../lib";

export = stackProgram;
