/** Table columns the scenarios with figures of their own build their tables from. */
import type { FigureColumn } from "../scenarios/scenario.js";

/** A column of `figure`, `digits` after the point; `ratio`: shown in the ratio rows too. */
export function column(figure: string, label: string, digits: number, options: { ratio?: boolean; percent?: boolean } = {}): FigureColumn {
  return { figure, label, digits, ...options };
}

/** Failed operations (errors and unfinished). */
export function errorsColumn(label = "errors"): FigureColumn {
  return column("errors", label, 0);
}

/** The two CPU columns every table ends with: the load generator's and everything else on the machine. */
export const LOAD_CPU_COLUMNS: readonly FigureColumn[] = [column("loadgenCpuPct", "loadgen CPU", 0, { percent: true }), column("otherCpuPct", "other CPU", 0, { percent: true })];

/** The server side's CPU share. */
export const SERVER_CPU_COLUMN: FigureColumn = column("serverCpuPct", "server CPU", 0, { percent: true });
