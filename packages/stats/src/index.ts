/**
 * `@mems/stats`: formatters over a MeMS heap snapshot (the `HeapSnapshot` type of `@mems/core`):
 * the seed's `mems_print_stats` text, stable JSON, a plain-text table, a terminal map and an
 * SVG picture, plus the metrics they share and the colour and dash pattern of each placement
 * policy in every MeMS picture. Pure functions, browser-safe, no side effects.
 * @packageDocumentation
 */

export {
  type FormatJsonOptions,
  formatJson,
  STATS_JSON_FORMAT,
  STATS_JSON_VERSION,
  type StatsJson,
  type StatsJsonNode,
  type StatsJsonSegment,
  toJSON,
} from './json';
export {
  computeMetrics,
  computeNodeMetrics,
  type HeapMetrics,
  type HoleSizeBucket,
  type NodeMetrics,
} from './metrics';
export {
  OKABE_ITO,
  POLICY_COLORS,
  POLICY_DASHES,
  type PolicyStyle,
  policyColor,
  policyStyle,
} from './policy-style';
export { formatSeedStats } from './seed-stats';
export {
  formatSvg,
  SVG_DENSITY_MAX_COLUMNS,
  SVG_DENSITY_MAX_ROWS,
  SVG_DENSITY_MIN_BOUNDARY_GAP,
  SVG_DETAIL_MAX_NODES,
  SVG_DETAIL_MAX_SEGMENTS,
  type SvgMode,
  type SvgOptions,
} from './svg';
export { formatTable } from './table';
export { DEFAULT_MAP_WIDTH, formatTerminalMap, type TerminalMapOptions } from './terminal-map';
