// The types the Grafana dashboard JSON of fleet-analytics is checked against (GrafanaSchemaCheckTest).
// Dashboard is Grafana's published dashboard schema (@grafana/schema, generated from its CUE kinds).
import type { Dashboard } from '@grafana/schema';

// JSON carries an enum's value, never the TypeScript enum itself: Wire<T> is T with every string
// enum replaced by the union of its values ("thresholds" | "palette-classic" | ...). Everything else
// (required fields, numbers vs strings, unknown properties) is Grafana's type unchanged.
export type Wire<T> =
  T extends string ? `${T}` :
  T extends number | boolean | null | undefined ? T :
  T extends Array<infer U> ? Array<Wire<U>> :
  T extends object ? { [K in keyof T]: Wire<T[K]> } :
  T;

// "__requires" is the envelope of Grafana's "export for sharing externally" format: the importer
// reads it (which Grafana, data source and panel plugins the dashboard needs); it is not a dashboard
// field, so it is typed here as Grafana's exporter writes it.
export interface Requirement {
  type: 'grafana' | 'datasource' | 'panel';
  id: string;
  name: string;
  version: string;
}

export type ExportedDashboard = Wire<Dashboard> & { __requires?: Requirement[] };
