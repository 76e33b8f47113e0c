/**
 * Text edits of a rendered mm2.properties, for the negative controls only (a run that must fail
 * the way it would on OCI when a rule of the renderer is broken). Positive runs use the rendered
 * text unmodified (dev/rehearsal/renderedConfig.ts).
 */
import { parseProperties } from "../../lib/core/mm2/properties";

/**
 * Drops the property lines whose key satisfies `predicate` (comments and other lines stay). Keys are
 * read with lib/core/mm2's Java-accurate parser, one physical line at a time (the rendered file has no
 * continuation lines).
 */
export function removeProperties(text: string, predicate: (key: string) => boolean): string {
  return text
    .split("\n")
    .filter((raw) => {
      const line = raw.trim();
      if (line === "" || line.startsWith("#") || line.startsWith("!")) return true;
      const key = [...parseProperties(line).keys()][0];
      return key === undefined || !predicate(key);
    })
    .join("\n");
}
