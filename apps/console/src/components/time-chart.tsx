import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  /** One value per point of `times`; null where the series has no value. */
  values: Array<number | null>;
  color: string;
}

/**
 * Values over sandbox time, drawn by uPlot. The canvas is an image to
 * screen readers: `summary` says in words what it shows, and the numbers
 * behind it should be on the page as text too.
 */
export function TimeChart({
  times,
  series,
  summary,
  timeZone,
  height = 220,
}: {
  times: string[];
  series: Series[];
  summary: string;
  timeZone?: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const data: uPlot.AlignedData = [times.map((time) => new Date(time).getTime() / 1000), ...series.map((s) => s.values)];
    const chart = new uPlot(
      {
        width: Math.max(240, element.clientWidth),
        height,
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2 }))],
        axes: [{}, { size: 70 }],
        // Sandbox time: Japan's for a sandbox replaying 2019 (see sandboxTimeZone), the viewer's otherwise.
        ...(timeZone ? { tzDate: (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), timeZone) } : {}),
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(240, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [times, series, height, timeZone]);
  return (
    <figure className="time-chart">
      <div ref={box} role="img" aria-label={summary} />
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
