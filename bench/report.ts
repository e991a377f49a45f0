/**
 * The benchmark's result model and its Markdown rendering
 * (`docs/benchmarks.md`): machine, runtime, date, then one table per section
 * with value, peer or floor, ratio, target and whether it was met.
 *
 * @module
 */
import os from 'node:os';

/** Whether a row's target was met. `info` rows have no target. */
export type Verdict = 'met' | 'missed' | 'info' | 'skipped';

/** One measurement. */
export interface Row {
  /** What was measured. */
  what: string;
  /** The measured value, formatted with its unit. */
  value: string;
  /** The peer or floor it is compared with, formatted with its value, or `—`. */
  versus: string;
  /** Ours relative to the peer, formatted (e.g. `12.3×`), or `—`. */
  ratio: string;
  /** The target, in words (e.g. `≥ 10× aws-eks-token`), or `—`. */
  target: string;
  verdict: Verdict;
}

/** One table of the report. */
export interface Section {
  title: string;
  /** One paragraph before the table: what is measured and how. */
  method: string;
  rows: Row[];
  /** Remarks after the table: misses explained, caveats, what is cached. */
  notes: string[];
}

/** Everything the report needs besides the sections. */
export interface RunInfo {
  date: Date;
  command: string;
  durationSeconds: number;
  /** `os.loadavg()` (1, 5, 15 min) when the run started and ended: other work on the machine skews timings. */
  loadAverage: { start: number[]; end: number[] };
}

/** Format a rate: `52,310 ops/s`. */
export function formatRate(opsPerSec: number, unit = 'ops/s'): string {
  return `${Math.round(opsPerSec).toLocaleString('en-US')} ${unit}`;
}

/** Format milliseconds with sensible precision. */
export function formatMs(ms: number): string {
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}

/** Format a ratio: `12.3×`. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  return ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

/** Format bytes: `1.23 MB` (decimal units, as `du` and npm use). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(2)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

/** `met` if `ok`, else `missed`. */
export function verdict(ok: boolean): Verdict {
  return ok ? 'met' : 'missed';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

const VERDICT_LABEL: Record<Verdict, string> = {
  met: '✅ met',
  missed: '❌ missed',
  info: 'info',
  skipped: 'skipped',
};

function machine(info: RunInfo): string[] {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() || 'unknown CPU';
  return [
    `- CPU: ${model}, ${cpus.length} logical cores (${os.availableParallelism()} available to Node)`,
    `- Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node.js: ${process.version} (V8 ${process.versions.v8})`,
    `- Load average (1/5/15 min): ${info.loadAverage.start.map((l) => l.toFixed(2)).join(' / ')} at the` +
      ` start, ${info.loadAverage.end.map((l) => l.toFixed(2)).join(' / ')} at the end` +
      ` (${os.cpus().length} cores: a load above that means the bench shared the CPUs with other work)`,
  ];
}

/** Render the whole report. */
export function renderReport(info: RunInfo, sections: readonly Section[]): string {
  const all = sections.flatMap((s) => s.rows);
  const met = all.filter((r) => r.verdict === 'met').length;
  const missed = all.filter((r) => r.verdict === 'missed');
  const lines: string[] = [
    '# Benchmarks',
    '',
    `Written by \`${info.command}\` (bench/run.ts) on ${info.date.toISOString().slice(0, 10)};` +
      ` the run took ${Math.round(info.durationSeconds)} s. Do not edit by hand: rerun the bench.`,
    '',
    'All figures come from one run on one machine, measured in one process unless a row says',
    'otherwise. Throughput figures are the median of several interleaved rounds after a warm-up;',
    'ratios compare subjects measured side by side in the same run, so they travel between',
    'machines better than absolute numbers do. These are not tests: nothing fails on a slow',
    'machine.',
    '',
    '## Machine',
    '',
    ...machine(info),
    '',
    '## Summary',
    '',
    `${met} of ${met + missed.length} targets met.` +
      (missed.length > 0 ? ` Missed: ${missed.map((r) => r.what).join('; ')}.` : ''),
    '',
  ];
  for (const section of sections) {
    lines.push(`## ${section.title}`, '', section.method, '');
    lines.push('| Measurement | Value | Peer / floor | Ratio | Target | Result |');
    lines.push('|---|---:|---:|---:|---|---|');
    for (const row of section.rows) {
      lines.push(
        `| ${cell(row.what)} | ${cell(row.value)} | ${cell(row.versus)} | ${cell(row.ratio)} | ${cell(row.target)} | ${VERDICT_LABEL[row.verdict]} |`,
      );
    }
    if (section.notes.length > 0) {
      lines.push('');
      for (const note of section.notes) lines.push(`- ${note}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
