// One benchmark process: one contender, one workload (so the JIT sees one allocator only).
// Usage: node --expose-gc dist/worker.js '<JobRequest JSON>' <output file>
// With MEMS_BENCH_PROFILE=PREFIX, the timed trials of each point (only they) are CPU-profiled
// to PREFIX-<n>.cpuprofile; summarise with dist/profile-summary.js.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { setSteadyStateHooks } from './measure.js';
import { type JobRequest, runJob } from './run-job.js';

const [requestJson, outFile] = process.argv.slice(2);
if (!requestJson || !outFile) {
  process.stderr.write("usage: node --expose-gc worker.js '<request JSON>' <output file>\n");
  process.exit(2);
}

const profilePrefix = process.env.MEMS_BENCH_PROFILE;
if (profilePrefix) {
  const session = new Session();
  session.connect();
  let n = 0;
  // The in-thread inspector session answers synchronously, so start/stop bracket the trials exactly.
  setSteadyStateHooks({
    start: () => {
      session.post('Profiler.enable');
      session.post('Profiler.setSamplingInterval', { interval: 100 });
      session.post('Profiler.start');
    },
    stop: () => {
      session.post('Profiler.stop', (error, result) => {
        if (error) throw error;
        const file = `${profilePrefix}-${++n}.cpuprofile`;
        writeFileSync(file, JSON.stringify(result.profile));
        process.stderr.write(`  profile: ${file}\n`);
      });
    },
  });
}

const request = JSON.parse(requestJson) as JobRequest;
const output = await runJob(request, (line) => process.stderr.write(`${line}\n`));
writeFileSync(outFile, JSON.stringify(output));
