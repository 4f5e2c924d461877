/**
 * Sums a `node --cpu-prof` profile (from `BENCH_CPU_PROF=<dir> npm run bench`) into where the time
 * went: self time by package (or our own workspace), the heaviest functions by self time and by
 * total time (themselves and what they call), with the place they are defined.
 * Usage: `npm run bench:profile -- <file.cpuprofile> [--last <seconds>] [--rows <n>]`; `--last 13`
 * keeps the profile's last 13 s (with BENCH_ONLY, the load run and its warm-up) and drops start-up.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

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

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { last: { type: 'string' }, rows: { type: 'string', default: '40' } },
});
const file = positionals[0];
if (!file) {
  console.error('Usage: npm run bench:profile -- <file.cpuprofile> [--last <seconds>] [--rows <n>]');
  process.exit(2);
}
const rows = Number(values.rows);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const from = values.last ? profile.endTime - Number(values.last) * 1e6 : Number.NEGATIVE_INFINITY;

/** The package a script belongs to: `pg`, `@mikro-orm/core`, `goalpost:api`, `node:internal`, … */
function owner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.startsWith('node:internal') ? 'node:internal' : url;
  const inModules = url.split('/node_modules/').at(-1);
  if (inModules && inModules !== url) {
    const parts = inModules.split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const workspace = url.match(/\/(apps|packages)\/([^/]+)\//);
  return workspace ? `goalpost:${workspace[2]}` : url;
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map<number, number>();
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (at >= from) selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

const byOwner = new Map<string, number>();
const byFunction = new Map<string, number>();
function label({ callFrame: { functionName, url, lineNumber } }: ProfileNode): string {
  const where = url
    ? `${url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(apps|packages)\//, '$1/')}:${lineNumber + 1}`
    : '';
  return `${functionName || '(anonymous)'}  ${where}`;
}
for (const [id, micros] of selfMicros) {
  const node = byId.get(id)!;
  const who = owner(node.callFrame.url, node.callFrame.functionName);
  byOwner.set(who, (byOwner.get(who) ?? 0) + micros);
  byFunction.set(label(node), (byFunction.get(label(node)) ?? 0) + micros);
}

// Total time: a sample counts once for every distinct function on its stack (recursion once).
const inclusive = new Map<string, number>();
const onStack = new Map<string, number>();
const walk = (node: ProfileNode): void => {
  const key = label(node);
  onStack.set(key, (onStack.get(key) ?? 0) + 1);
  const micros = selfMicros.get(node.id) ?? 0;
  if (micros) for (const k of onStack.keys()) inclusive.set(k, (inclusive.get(k) ?? 0) + micros);
  for (const child of node.children ?? []) walk(byId.get(child)!);
  const left = onStack.get(key)! - 1;
  if (left) onStack.set(key, left);
  else onStack.delete(key);
};
walk(profile.nodes[0]!);
inclusive.delete(label(profile.nodes[0]!)); // the root: everything

function print(title: string, table: Map<string, number>): void {
  console.log(`\n${title}`);
  for (const [name, micros] of [...table].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(
      `${((100 * micros) / total).toFixed(1).padStart(6)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    );
  }
}

console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
print('Self time by package', byOwner);
print('Self time by function', byFunction);
print('Total time by function (itself and what it calls)', inclusive);
