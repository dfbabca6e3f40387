// The trade-off chart: attacker exposure, password prompts and auth-server load against the
// access-token lifetime (log scale), every point a real run of the core in a Web Worker. It shows
// why short access tokens need refresh tokens: short lifetimes cut exposure but, without a
// refresh token, cost the user a password prompt every time one expires.
import { ExportMenu } from './ExportMenu';
import { pictureExports } from './export-items';
import { useEffect, useId, useRef, useState } from 'react';
import { formatSpan } from '../format';
import { SWEEP_FAMILIES, SWEEP_TTLS, type SweepMessage, type SweepPoint, type SweepRequest } from '../sweep';

export interface SweepScript {
  id: string;
  title: string;
  json: unknown;
}

/** Finished sweeps, kept for the page's lifetime: re-opening a chart costs nothing. */
const cache = new Map<string, SweepPoint[]>();
let worker: Worker | null = null;
let nextRequestId = 1;

function sweepWorker(): Worker {
  worker ??= new Worker(new URL('../sweep.worker.ts', import.meta.url), { type: 'module' });
  return worker;
}

const WIDTH = 720;
const PANEL_H = 110;
const LEFT = 86;
const RIGHT = 20;
const TOP = 40;
const GAP = 40;
/** Room between a panel's title and its highest value. */
const HEADROOM = 14;
const X_MIN = Math.log(SWEEP_TTLS[0]!);
const X_MAX = Math.log(SWEEP_TTLS[SWEEP_TTLS.length - 1]!);

const x = (ttl: number) => LEFT + ((Math.log(ttl) - X_MIN) / (X_MAX - X_MIN)) * (WIDTH - LEFT - RIGHT);

function shortSpan(seconds: number): string {
  if (seconds >= 86_400) return `${Math.round(seconds / 86_400)} d`;
  if (seconds >= 3_600) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 60)} min`;
}

interface Series {
  title: string;
  unit: (value: number) => string;
  value: (p: SweepPoint) => number;
  className: string;
  marker: 'circle' | 'square' | 'triangle';
}

const SERIES: Series[] = [
  {
    title: 'Attacker exposure',
    unit: (v) => (v === 0 ? '0' : formatSpan(v)),
    value: (p) => p.exposureSeconds,
    className: 'stroke-red-700 fill-red-700 dark:stroke-red-400 dark:fill-red-400',
    marker: 'circle',
  },
  {
    title: 'Password prompts',
    unit: (v) => String(Math.round(v)),
    value: (p) => p.passwordPrompts,
    className: 'stroke-blue-700 fill-blue-700 dark:stroke-blue-400 dark:fill-blue-400',
    marker: 'square',
  },
  {
    title: 'Auth-server lookups',
    unit: (v) => String(Math.round(v)),
    value: (p) => p.stateLookups,
    className: 'stroke-violet-700 fill-violet-700 dark:stroke-violet-400 dark:fill-violet-400',
    marker: 'triangle',
  },
];

function Marker({ kind, cx, cy }: { kind: Series['marker']; cx: number; cy: number }) {
  if (kind === 'circle') return <circle cx={cx} cy={cy} r={4.5} />;
  if (kind === 'square') return <rect x={cx - 4} y={cy - 4} width={8} height={8} />;
  return <path d={`M${cx},${cy - 5} L${cx + 5},${cy + 4} L${cx - 5},${cy + 4} z`} />;
}

export function TradeoffChart({
  scripts,
  currentTtl,
  defaultFamilyId = 'access-only',
}: {
  scripts: SweepScript[];
  currentTtl?: number;
  defaultFamilyId?: string;
}) {
  const [scriptId, setScriptId] = useState(scripts[0]?.id ?? '');
  const [familyId, setFamilyId] = useState(defaultFamilyId);
  const key = `${scriptId}|${familyId}`;
  const [points, setPoints] = useState<SweepPoint[]>(() => cache.get(key) ?? []);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const activeRequest = useRef<number | null>(null);
  const scriptSelectId = useId();
  const familySelectId = useId();
  const titleId = useId();
  const chart = useRef<SVGSVGElement>(null);

  useEffect(() => {
    setPoints(cache.get(key) ?? []);
    setError(null);
  }, [key]);

  useEffect(
    () => () => {
      activeRequest.current = null;
    },
    [],
  );

  const run = () => {
    const script = scripts.find((s) => s.id === scriptId);
    if (!script) return;
    const cached = cache.get(key);
    if (cached) {
      setPoints(cached);
      return;
    }
    const id = nextRequestId++;
    activeRequest.current = id;
    const collected: SweepPoint[] = [];
    setPoints([]);
    setRunning(true);
    setError(null);
    const w = sweepWorker();
    const onMessage = (event: MessageEvent<SweepMessage>) => {
      const message = event.data;
      if (message.id !== id) return;
      if (message.kind === 'point') {
        collected.push(message.point);
        if (activeRequest.current === id) setPoints([...collected]);
      } else {
        w.removeEventListener('message', onMessage);
        if (message.kind === 'done') cache.set(key, collected);
        if (activeRequest.current === id) {
          setRunning(false);
          if (message.kind === 'error') setError(message.error);
        }
      }
    };
    w.addEventListener('message', onMessage);
    w.postMessage({ id, scenarioJson: script.json, familyId } satisfies SweepRequest);
  };

  const family = SWEEP_FAMILIES.find((f) => f.id === familyId);
  const height = TOP + SERIES.length * (PANEL_H + GAP) + 10;

  return (
    <section aria-labelledby={titleId} className="rounded-lg border border-slate-300 bg-white p-3 dark:border-slate-700 dark:bg-slate-900">
      <h2 id={titleId} className="text-lg font-bold">
        Trade-off: access-token lifetime
      </h2>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        The same script run at twelve access-token lifetimes, from 1 minute to 30 days. Short lifetimes shrink what a thief gets; without a
        refresh token they cost the user a password prompt each time a token expires.
      </p>
      <div className="mt-2 flex flex-wrap items-end gap-3 text-sm">
        <label htmlFor={scriptSelectId} className="flex max-w-full min-w-0 flex-col">
          Script
          <select
            id={scriptSelectId}
            value={scriptId}
            onChange={(e) => setScriptId(e.target.value)}
            className="max-w-full rounded border border-slate-400 bg-white px-1 py-1 dark:border-slate-500 dark:bg-slate-800"
          >
            {scripts.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={familySelectId} className="flex max-w-full min-w-0 flex-col">
          Configuration
          <select
            id={familySelectId}
            value={familyId}
            onChange={(e) => setFamilyId(e.target.value)}
            className="max-w-full rounded border border-slate-400 bg-white px-1 py-1 dark:border-slate-500 dark:bg-slate-800"
          >
            {SWEEP_FAMILIES.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={run}
          aria-disabled={running || undefined}
          className="rounded bg-teal-800 px-3 py-1.5 font-semibold text-white hover:bg-teal-900"
        >
          {cache.has(key) ? 'Show sweep' : 'Run sweep'}
        </button>
        {running && (
          <span role="status" className="flex items-center gap-2">
            <progress max={SWEEP_TTLS.length} value={points.length} aria-label="Sweep progress" />
            {points.length} of {SWEEP_TTLS.length} runs…
          </span>
        )}
      </div>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-800 dark:text-red-300">
          ✗ {error}
        </p>
      )}
      {points.length > 0 && (
        <>
          <div className="mt-2 flex max-w-3xl justify-end">
            <ExportMenu
              what="the trade-off chart"
              items={pictureExports(
                () => (chart.current ? [chart.current] : []),
                'tradeoff',
                `Trade-off: access-token lifetime, ${family?.label ?? familyId}, ${scripts.find((s) => s.id === scriptId)?.title ?? scriptId}`,
                scripts.find((s) => s.id === scriptId)?.title,
              )}
            />
          </div>
          <svg
            ref={chart}
            viewBox={`0 0 ${WIDTH} ${height}`}
            className="mt-2 h-auto w-full max-w-3xl"
            role="img"
            aria-label={`Trade-off chart for ${family?.label ?? familyId}; the table below gives the same numbers.`}
          >
            {SERIES.map((series, i) => {
              const top = TOP + i * (PANEL_H + GAP);
              const max = Math.max(1, ...points.map(series.value));
              const y = (v: number) => top + PANEL_H - (v / max) * (PANEL_H - HEADROOM);
              const path = points.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p.ttl).toFixed(1)},${y(series.value(p)).toFixed(1)}`).join(' ');
              return (
                <g key={series.title}>
                  <text x={LEFT} y={top - 4} fontSize="13" fontWeight="700" className="fill-slate-900 dark:fill-slate-100">
                    {series.title}
                  </text>
                  <line x1={LEFT} x2={WIDTH - RIGHT} y1={top + PANEL_H} y2={top + PANEL_H} className="stroke-slate-400" />
                  <line x1={LEFT} x2={LEFT} y1={top} y2={top + PANEL_H} className="stroke-slate-400" />
                  {[0, max / 2, max].map((v) => (
                    <g key={v}>
                      <line
                        x1={LEFT - 4}
                        x2={WIDTH - RIGHT}
                        y1={y(v)}
                        y2={y(v)}
                        className="stroke-slate-200 dark:stroke-slate-700"
                        strokeDasharray={v === 0 ? undefined : '2 3'}
                      />
                      <text x={LEFT - 6} y={y(v) + 4} fontSize="11" textAnchor="end" className="fill-slate-700 dark:fill-slate-300">
                        {series.unit(v)}
                      </text>
                    </g>
                  ))}
                  <g className={series.className}>
                    <path d={path} fill="none" strokeWidth={2} />
                    {points.map((p) => (
                      <Marker key={p.ttl} kind={series.marker} cx={x(p.ttl)} cy={y(series.value(p))} />
                    ))}
                  </g>
                </g>
              );
            })}
            {SWEEP_TTLS.map((ttl) => (
              <text key={ttl} x={x(ttl)} y={height - 4} fontSize="11" textAnchor="middle" className="fill-slate-700 dark:fill-slate-300">
                {shortSpan(ttl)}
              </text>
            ))}
            {currentTtl !== undefined && currentTtl >= SWEEP_TTLS[0]! && currentTtl <= SWEEP_TTLS[SWEEP_TTLS.length - 1]! && (
              <g>
                <line
                  x1={x(currentTtl)}
                  x2={x(currentTtl)}
                  y1={16}
                  y2={height - 18}
                  strokeWidth={2}
                  strokeDasharray="6 4"
                  className="stroke-amber-600 dark:stroke-amber-400"
                />
                <text x={x(currentTtl) + 4} y={12} fontSize="12" fontWeight="700" className="fill-amber-800 dark:fill-amber-300">
                  ◆ current setting ({formatSpan(currentTtl)})
                </text>
              </g>
            )}
          </svg>
          <p className="text-xs text-slate-700 dark:text-slate-300">
            Horizontal axis: access-token lifetime on a log scale. ● exposure, ■ prompts, ▲ auth-server lookups.
          </p>
          <table className="sr-only">
            <caption>Measures at each access-token lifetime ({family?.label})</caption>
            <thead>
              <tr>
                <th scope="col">Access-token lifetime</th>
                <th scope="col">Attacker exposure</th>
                <th scope="col">Password prompts</th>
                <th scope="col">Auth-server lookups</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.ttl}>
                  <th scope="row">{formatSpan(p.ttl)}</th>
                  <td>{formatSpan(p.exposureSeconds)}</td>
                  <td>{p.passwordPrompts}</td>
                  <td>{p.stateLookups}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
