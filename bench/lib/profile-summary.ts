// Where a function process spent its CPU: reads the V8 profiles `--cpu-prof` wrote and prints the
// self time by package (or our own folder) and the heaviest functions, and, per top-level
// category, the time including callees ("total") of our own frames.
// Usage: tsx bench/lib/profile-summary.ts [<folder or .cpuprofile>...] [--top 25]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../scripts/lib/resources';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
const paths = args.filter((a, i) => !a.startsWith('--') && i !== topIndex + 1);
const files = (paths.length > 0 ? paths : [join(repoRoot, '.data', 'profiles')]).flatMap((p) =>
  statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(p, f)) : [p],
);

/** node_modules/<package>, or our own top folders (services/…/src/adapters, shared/src/http, …). */
function area(url: string): string {
  if (!url) return '(native or idle)';
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (path.startsWith('node:')) return 'node (built-in)';
  const inRepo = relative(repoRoot, path);
  if (inRepo.startsWith('..')) return path;
  return inRepo.split('/').slice(0, inRepo.startsWith('services/') ? 4 : 3).join('/');
}

const print = (title: string, totals: Map<string, number>, sum: number) => {
  console.log(title);
  for (const [key, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${((us / sum) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
  }
};

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const wall = profile.endTime - profile.startTime;
  const idle = [...self].filter(([id]) => ['(idle)', '(program)', '(garbage collector)'].includes(byId.get(id)!.callFrame.functionName));
  const busy = [...self].reduce((s, [, us]) => s + us, 0) - idle.filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((s, [, us]) => s + us, 0);
  console.log(`\n${relative(repoRoot, file)}: ${(wall / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(2)} s on CPU (${((busy / wall) * 100).toFixed(0)}%)`);
  for (const [id, us] of idle) console.log(`  ${byId.get(id)!.callFrame.functionName}: ${(us / 1000).toFixed(0)} ms`);

  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusiveOwn = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    byArea.set(area(frame.url), (byArea.get(area(frame.url)) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${frame.url ? `${area(frame.url)}:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    // Charged once to every distinct area on its stack: what each area costs with what it calls.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const a = area(byId.get(at)!.callFrame.url);
      if (seen.has(a) || a.startsWith('(')) continue;
      seen.add(a);
      inclusiveOwn.set(a, (inclusiveOwn.get(a) ?? 0) + us);
    }
  }
  print('self time by area:', byArea, busy);
  print('self time by function:', byFunction, busy);
  print('time by area including what it calls:', inclusiveOwn, busy);
}
