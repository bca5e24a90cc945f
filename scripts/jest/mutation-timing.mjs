// Sums up a mutation run's MUTATION_TIMING file (see recordTiming in mutation-sequencer.js): per
// mutant run, the time from one jest run's files being sorted to the next's, and per test file the
// time it took to load (construct to run_start) and to run its tests; then the mean, median and 90th
// percentile per mutant. Usage: node scripts/jest/mutation-timing.mjs <file> [--runs]
import { readFileSync } from 'node:fs';

const [path, flag] = process.argv.slice(2);
if (!path) throw new Error('usage: node scripts/jest/mutation-timing.mjs <timing file> [--runs]');
const steps = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line)).filter((step) => step.mutant !== undefined);
const runs = [];
for (const step of steps) {
  if (step.step === 'sort') runs.push({ mutant: step.mutant, at: step.at, files: [] });
  else if (step.step === 'construct') runs.at(-1)?.files.push({ file: step.file, construct: step.at });
  else {
    const file = runs.at(-1)?.files.at(-1);
    if (file) file[step.step] = step.at;
  }
}
const spans = runs.slice(1).map((run, i) => run.at - runs[i].at);
if (flag === '--runs') {
  runs.slice(0, -1).forEach((run, i) => {
    const files = run.files.map((f) => `${f.file.split('/').pop()} load ${f.run_start - f.construct} ms, tests ${f.run_finish - f.run_start} ms`);
    console.log(`mutant ${run.mutant}: ${spans[i]} ms | ${files.join(' | ')}`);
  });
}
const sorted = [...spans].sort((a, b) => a - b);
const at = (q) => (sorted[Math.floor(q * (sorted.length - 1))] / 1000).toFixed(1);
const mean = sorted.reduce((sum, ms) => sum + ms, 0) / Math.max(sorted.length, 1) / 1000;
console.log(`${runs.length} mutant runs; per mutant: mean ${mean.toFixed(1)} s, median ${at(0.5)} s, 90th percentile ${at(0.9)} s, max ${at(1)} s`);
