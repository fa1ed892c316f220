// One benchmark process: one contender, one workload (so the JIT sees one allocator only).
// Usage: node --expose-gc dist/worker.js '<JobRequest JSON>' <output file>
import { writeFileSync } from 'node:fs';
import { type JobRequest, runJob } from './run-job.js';

const [requestJson, outFile] = process.argv.slice(2);
if (!requestJson || !outFile) {
  process.stderr.write("usage: node --expose-gc worker.js '<request JSON>' <output file>\n");
  process.exit(2);
}
const request = JSON.parse(requestJson) as JobRequest;
const output = await runJob(request, (line) => process.stderr.write(`${line}\n`));
writeFileSync(outFile, JSON.stringify(output));
