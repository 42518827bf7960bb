/*
 * Just enough of Grafana's dashboard JSON model (schemaVersion 39, Grafana
 * 10.4+) to write our dashboards as data: panels are placed on the 24-column
 * grid in order, ids are assigned in order, and every Prometheus query goes
 * through the `${DS_PROMETHEUS}` datasource variable so one file works on any
 * Grafana (provisioned or imported) whatever its datasource is called.
 */

const SCHEMA_VERSION = 39;

const PROM = { type: "prometheus", uid: "${DS_PROMETHEUS}" } as const;
const PG = { type: "grafana-postgresql-datasource", uid: "${DS_POSTGRES}" } as const;

type TDatasource = typeof PROM | typeof PG;
type TTarget = { refId: string; datasource: TDatasource; expr?: string; legendFormat?: string; rawSql?: string; format?: string; rawQuery?: boolean; editorMode?: string };

/** A panel before layout: its width and height on the grid, the rest is Grafana's JSON. */
export type TPanelSpec = { w: number; h: number; panel: Record<string, unknown> };

export type TQuery = { expr: string; legend?: string };

const promTargets = (queries: TQuery[]): TTarget[] =>
  queries.map((q, i) => ({
    refId: String.fromCharCode(65 + i),
    datasource: PROM,
    editorMode: "code",
    expr: q.expr,
    legendFormat: q.legend ?? "__auto",
    range: true,
  }));

type TPanelOpts = { description?: string; unit?: string; w?: number; h?: number; min?: number; max?: number; thresholds?: { color: string; value: number | null }[] };

const fieldConfig = (o: TPanelOpts, custom: Record<string, unknown> = {}) => ({
  defaults: {
    unit: o.unit ?? "short",
    ...(o.min === undefined ? {} : { min: o.min }),
    ...(o.max === undefined ? {} : { max: o.max }),
    thresholds: { mode: "absolute", steps: o.thresholds ?? [{ color: "green", value: null }] },
    custom,
  },
  overrides: [],
});

export const timeseries = (title: string, queries: TQuery[], o: TPanelOpts = {}): TPanelSpec => ({
  w: o.w ?? 12,
  h: o.h ?? 8,
  panel: {
    type: "timeseries",
    title,
    description: o.description ?? "",
    datasource: PROM,
    targets: promTargets(queries),
    fieldConfig: fieldConfig(o, { drawStyle: "line", lineWidth: 1, fillOpacity: 10, showPoints: "never", spanNulls: false, thresholdsStyle: { mode: o.thresholds ? "line" : "off" } }),
    options: { legend: { displayMode: "table", placement: "bottom", calcs: ["mean", "max", "lastNotNull"] }, tooltip: { mode: "multi", sort: "desc" } },
  },
});

export const stat = (title: string, queries: TQuery[], o: TPanelOpts = {}): TPanelSpec => ({
  w: o.w ?? 6,
  h: o.h ?? 4,
  panel: {
    type: "stat",
    title,
    description: o.description ?? "",
    datasource: PROM,
    targets: promTargets(queries).map((t) => ({ ...t, instant: true, range: false })),
    fieldConfig: fieldConfig(o),
    options: { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, colorMode: "background", graphMode: "none", textMode: "auto" },
  },
});

/** A table of instant values, one row per series (labels as columns). */
export const table = (title: string, queries: TQuery[], o: TPanelOpts = {}): TPanelSpec => ({
  w: o.w ?? 12,
  h: o.h ?? 8,
  panel: {
    type: "table",
    title,
    description: o.description ?? "",
    datasource: PROM,
    targets: promTargets(queries).map((t) => ({ ...t, instant: true, range: false, format: "table" })),
    fieldConfig: fieldConfig(o),
    options: { showHeader: true },
    transformations: [{ id: "merge", options: {} }, { id: "organize", options: { excludeByName: { Time: true } } }],
  },
});

export const text = (title: string, markdown: string, o: { w?: number; h?: number } = {}): TPanelSpec => ({
  w: o.w ?? 24,
  h: o.h ?? 4,
  panel: { type: "text", title, options: { mode: "markdown", content: markdown } },
});

/** A PostgreSQL query panel (`${DS_POSTGRES}`): a time series when the SQL returns time/metric/value, else a table. */
export const sqlPanel = (title: string, sql: string, o: TPanelOpts & { format: "time_series" | "table" }): TPanelSpec => ({
  w: o.w ?? 12,
  h: o.h ?? 8,
  panel: {
    type: o.format === "table" ? "table" : "timeseries",
    title,
    description: o.description ?? "",
    datasource: PG,
    targets: [{ refId: "A", datasource: PG, editorMode: "code", format: o.format, rawQuery: true, rawSql: sql }],
    fieldConfig: fieldConfig(o),
    options: o.format === "table" ? { showHeader: true } : { legend: { displayMode: "table", placement: "bottom", calcs: ["sum"] }, tooltip: { mode: "multi", sort: "desc" } },
  },
});

export const row = (title: string): TPanelSpec => ({ w: 24, h: 1, panel: { type: "row", title, collapsed: false, panels: [] } });

/** Places panels left to right, wrapping at 24 columns; a row always starts a new line. */
const layout = (specs: TPanelSpec[]) => {
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  return specs.map((s, i) => {
    if (x + s.w > 24 || (s.panel.type === "row" && x > 0)) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    const placed = { id: i + 1, gridPos: { h: s.h, w: s.w, x, y }, ...s.panel };
    x += s.w;
    lineHeight = Math.max(lineHeight, s.h);
    return placed;
  });
};

const datasourceVariable = (name: string, label: string, type: string) => ({
  type: "datasource",
  name,
  label,
  query: type,
  current: {},
  hide: 0,
  includeAll: false,
  multi: false,
  options: [],
  refresh: 1,
  regex: "",
  skipUrlSync: false,
});

export type TDashboard = { uid: string; title: string; description: string; tags: string[]; panels: TPanelSpec[]; postgres?: boolean; time?: string };

export const dashboard = (d: TDashboard) => ({
  annotations: { list: [] },
  description: d.description,
  editable: true,
  fiscalYearStartMonth: 0,
  graphTooltip: 1,
  id: null,
  links: [],
  panels: layout(d.panels),
  refresh: "1m",
  schemaVersion: SCHEMA_VERSION,
  tags: ["ocsuite", ...d.tags],
  templating: {
    list: [
      datasourceVariable("DS_PROMETHEUS", "Prometheus", "prometheus"),
      ...(d.postgres ? [datasourceVariable("DS_POSTGRES", "PostgreSQL (read replica)", "grafana-postgresql-datasource")] : []),
    ],
  },
  time: { from: d.time ?? "now-6h", to: "now" },
  timepicker: {},
  timezone: "browser",
  title: d.title,
  uid: d.uid,
  version: 1,
  weekStart: "",
});
