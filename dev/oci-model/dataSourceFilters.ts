import type { Filter } from "./handlerContext";

/** Applies Terraform-style data source filters (`name` may be snake_case or camelCase). */
export function applyFilters<T extends object>(items: T[], filters: Filter[] | undefined): T[] {
  if (!filters || filters.length === 0) {
    return items;
  }
  return items.filter((item) =>
    filters.every((f) => {
      const prop = f.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      const v = (item as Record<string, unknown>)[prop];
      const s = v === undefined || v === null ? "" : String(v);
      return f.values.some((pattern) => (f.regex ? new RegExp(pattern).test(s) : s === pattern));
    }),
  );
}

export function listOf(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : [v];
}
