/**
 * @module web/components/TimeChart
 * A uPlot time chart (renders thousands of points smoothly) that follows the theme and the
 * width of its container. Times are shown in UTC, like every table in the dashboard.
 */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { compact } from '../lib/format.js';
import { cssVar } from '../lib/theme.js';

export interface ChartSeries {
  label: string;
  values: readonly number[];
  /** CSS custom property holding the colour, e.g. `--c-requests`. */
  color: string;
  /** `y2` draws against a second axis on the right. */
  scale?: 'y' | 'y2';
}

export interface TimeChartProps {
  /** Bucket starts, epoch seconds. */
  x: readonly number[];
  series: readonly ChartSeries[];
  /** Accessible name; a summary of the figures is appended. */
  label: string;
  theme: string;
  height?: number;
}

function axis(scale: string, side: 0 | 1 | 2 | 3): uPlot.Axis {
  return {
    scale,
    side,
    stroke: cssVar('--fg-muted'),
    grid: { stroke: cssVar('--grid'), width: 1, show: side !== 1 },
    ticks: { stroke: cssVar('--grid'), width: 1 },
    values: (_u, vals) => vals.map((v) => compact(v)),
    size: 56,
  };
}

function optionsFor(props: TimeChartProps, width: number): uPlot.Options {
  const hasY2 = props.series.some((s) => s.scale === 'y2');
  return {
    width,
    height: props.height ?? 220,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true } },
    legend: { show: true, live: true },
    cursor: { drag: { x: true, y: false } },
    series: [
      { label: 'Time (UTC)' },
      ...props.series.map((s) => ({
        label: s.label,
        stroke: cssVar(s.color),
        width: 2,
        scale: s.scale ?? 'y',
        points: { show: false },
        value: (_u: uPlot, v: number | null) => (v === null ? '—' : compact(v)),
      })),
    ],
    axes: [
      {
        stroke: cssVar('--fg-muted'),
        grid: { stroke: cssVar('--grid'), width: 1 },
        ticks: { stroke: cssVar('--grid') },
      },
      axis('y', 3),
      ...(hasY2 ? [axis('y2', 1)] : []),
    ],
  };
}

function summary(props: TimeChartProps): string {
  if (props.x.length === 0) return `${props.label}: no data.`;
  const parts = props.series.map((s) => {
    let total = 0;
    let peak = 0;
    for (const v of s.values) {
      total += v;
      if (v > peak) peak = v;
    }
    return `${s.label}: total ${compact(total)}, peak ${compact(peak)}`;
  });
  return `${props.label}. ${parts.join('; ')}.`;
}

export function TimeChart(props: TimeChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = props.series.map((s) => `${s.label}:${s.color}:${s.scale ?? 'y'}`).join('|');
  const data = useMemo<uPlot.AlignedData>(
    () => [props.x as number[], ...props.series.map((s) => s.values as number[])],
    [props.x, props.series],
  );
  const dataRef = useRef(data);
  dataRef.current = data;
  const propsRef = useRef(props);
  propsRef.current = props;

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-create only when the theme or the series shape changes.
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const u = new uPlot(optionsFor(propsRef.current, el.clientWidth || 640), dataRef.current, el);
    plot.current = u;
    const ro = new ResizeObserver(() =>
      u.setSize({ width: el.clientWidth, height: propsRef.current.height ?? 220 }),
    );
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [props.theme, shape, props.height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div className="chart" ref={host} role="img" aria-label={summary(props)} />;
}
