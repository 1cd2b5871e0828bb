// Summarises a V8 CPU profile (node --cpu-prof; `npm run bench -- <name> --profile` writes the
// control plane's to bench/results/profiles/): self and inclusive time per function, optionally
// only in a time window and only under functions matching a pattern.
// Usage: node bench/profile-summary.mjs FILE.cpuprofile [--from S] [--to S] [--under REGEX] [--top N]
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  process.stderr.write('Usage: node bench/profile-summary.mjs FILE.cpuprofile [--from S] [--to S] [--under REGEX] [--top N]\n');
  process.exit(2);
}
const flag = (name, fallback) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : fallback;
};
const from = Number(flag('from', 0)) * 1e6;
const to = Number(flag('to', 1e9)) * 1e6;
const under = flag('under') ? new RegExp(flag('under')) : undefined;
const top = Number(flag('top', 40));

const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;

const samples = new Map();
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  if (t < profile.startTime + from || t > profile.startTime + to) continue;
  samples.set(profile.samples[i], (samples.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const self = new Map();
const inclusive = new Map();
let total = 0;
for (const [id, us] of samples) {
  const chain = [];
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) chain.push(byId.get(cur));
  const cut = under ? chain.findIndex((n) => under.test(name(n))) : chain.length - 1;
  if (cut < 0) continue;
  total += us;
  self.set(name(chain[0]), (self.get(name(chain[0])) ?? 0) + us);
  const seen = new Set();
  for (const n of chain.slice(0, cut + 1)) {
    if (seen.has(name(n))) continue;
    seen.add(name(n));
    inclusive.set(name(n), (inclusive.get(name(n)) ?? 0) + us);
  }
}
const print = (title, map) => {
  process.stdout.write(`--- ${title}\n`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${(us / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
};
process.stdout.write(`${(total / 1000).toFixed(0)} ms of samples${under ? ` under ${under}` : ''}\n`);
print('self', self);
print('inclusive', inclusive);
