/** Types of parse-prometheus-text-format 1.1 (the package ships none): families of gauges and counters as we read them. */
declare module "parse-prometheus-text-format" {
  interface PrometheusMetric {
    value?: string;
    labels?: Record<string, string>;
  }
  interface PrometheusFamily {
    name: string;
    help: string;
    type: string;
    metrics: PrometheusMetric[];
  }
  function parsePrometheusTextFormat(text: string): PrometheusFamily[];
  export = parsePrometheusTextFormat;
}
