// One cold start, in a fresh process that has loaded what the Lambda runtime loads before the
// handler: import a bundle (mode "init"), or import it and invoke its handler once (mode "invoke")
// with the event in argv[4]. Exits at once after, as a frozen Lambda environment would stop
// counting. Its last line on stderr is the CPU time the process used, which other work on a shared
// machine inflates far less than the wall time.
import { writeSync } from 'node:fs';
// What Lambda's Node.js runtime (aws-lambda-nodejs-runtime-interface-client) has required before it
// imports the handler: node:http for the Runtime API client, node:net for response streaming,
// node:util, node:fs, node:path and node:assert for its logging, loader and invoke context. A
// function that first touches them (a stdout stream, an HTTP agent) does not pay for loading
// them on Lambda, so neither it nor its floor pays for it here (docs/adr/0011).
import 'node:http';
import 'node:net';
import 'node:util';
import 'node:path';
import 'node:assert';

const [, , bundle, mode, eventJson] = process.argv;
const module = await import(bundle);
if (mode === 'invoke') {
  const context = {
    functionName: 'bench', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
    memoryLimitInMB: '512', awsRequestId: 'bench', logGroupName: '/aws/lambda/bench', logStreamName: 'bench',
    getRemainingTimeInMillis: () => 10_000, callbackWaitsForEmptyEventLoop: false, done() {}, fail() {}, succeed() {},
  };
  const result = await module.handler(JSON.parse(eventJson), context);
  // An HTTP function's 5xx, or a worker that failed its message, is a broken benchmark, not a number.
  if (!result || result.statusCode >= 500 || result.batchItemFailures?.length > 0) {
    process.stderr.write(`handler answered ${JSON.stringify(result).slice(-600)}\n`);
    process.exit(1);
  }
}
const cpu = process.cpuUsage();
writeSync(2, `cpu-ms ${(cpu.user + cpu.system) / 1000}\n`);
process.exit(0);
