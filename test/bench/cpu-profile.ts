import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A V8 CPU profile (`.cpuprofile`, as node --cpu-prof and the inspector's Profiler write it). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

const REPO = fileURLToPath(new URL('../..', import.meta.url));

function where(url: string): { file: string; group: string } {
  if (!url) return { file: '', group: '' };
  if (url.startsWith('node:')) return { file: url, group: 'node internals' };
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + '/node_modules/'.length);
    const parts = rest.split('/');
    const pkg = rest.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    return { file: rest, group: pkg };
  }
  const file = relative(REPO, path);
  return { file, group: file.split('/').slice(0, 2).join('/') };
}

/**
 * Where the server's main thread spent its time: self time by function and by package or project folder, and
 * inclusive time (the function or anything it called synchronously) of the project's own functions.
 */
export function summarizeProfile(profile: CpuProfile, options: { top?: number; per?: { label: string; count: number } } = {}): string {
  const top = options.top ?? 20;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const { file } = where(url);
    return file ? `${functionName || '(anonymous)'}  ${file}:${lineNumber + 1}` : functionName;
  };

  const self = new Map<string, number>();
  const groups = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    // The probe's own work (stopping the profiler that records this) is no part of the server's.
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (byId.get(at)!.callFrame.url.endsWith('/test/bench/server-probe.ts')) return;
    }
    busy += ms;
    const name = label(id);
    self.set(name, (self.get(name) ?? 0) + ms);
    const group = where(node.callFrame.url).group || node.callFrame.functionName;
    groups.set(group, (groups.get(group) ?? 0) + ms);
    // Each project function on the stack once, however deep its recursion.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { url } = byId.get(at)!.callFrame;
      const { group: g } = where(url);
      if (!g.startsWith('engine/') && !g.startsWith('server/')) continue;
      const key = label(at);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  });

  const per = options.per;
  const fmt = (ms: number) => {
    const share = `${((ms / busy) * 100).toFixed(1).padStart(5)} %`;
    const unit = per && per.count > 0 ? `  ${(ms / per.count).toFixed(3).padStart(7)} ms/${per.label}` : '';
    return `${share}${unit}`;
  };
  const list = (title: string, map: Map<string, number>, n: number) =>
    [
      title,
      ...[...map]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([name, ms]) => `    ${fmt(ms)}  ${name}`),
    ].join('\n');
  return [
    `  main thread busy ${(busy / 1000).toFixed(1)} s of ${(total / 1000).toFixed(1)} s profiled (${((busy / total) * 100).toFixed(0)} %)` +
      (per && per.count > 0 ? `, ${(busy / per.count).toFixed(2)} ms per ${per.label}` : ''),
    list('  self time by package / project folder:', groups, 14),
    list('  self time by function:', self, top),
    list('  inclusive time of project functions (synchronous part):', inclusive, top),
  ].join('\n');
}
