// The processes a throughput or latency benchmark runs in, so that what it measures is what the
// budget means: in AWS the function runs in its own process (one per concurrent instance) and
// DynamoDB, SQS and SNS are services elsewhere. Here the emulators run in one child process, each
// function instance in another, and the benchmark (the load generator) in this one; on a machine
// of two cores they no longer queue behind each other on one event loop.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { describe as describeStack } from '../../scripts/dev-stack/index';

export type StackDescription = ReturnType<typeof describeStack>;

export type FunctionRole =
  | { kind: 'http'; functionId: string }
  | { kind: 'sqs'; functionId: string; batchSize: number }
  | { kind: 'sqs-io'; batchSize: number };

/** `start` polls the queue it names; `pause` stops polling. */
export type ToFunction = { type: 'start'; queueUrl: string; queueArn: string } | { type: 'pause' } | { type: 'exit' };
export type FromFunction = { type: 'ready'; url?: string } | { type: 'progress'; done: number; failed: number; calls: Record<string, number> } | { type: 'paused' };

const TSX = ['--import', 'tsx'];

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** The emulators (dynalite, fauxqs, the Stripe simulator) and every resource, in a child process. */
export async function startStackProcess(dataDir: string): Promise<{ stack: StackDescription; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...TSX, join(import.meta.dirname, 'stack-process.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stack = await new Promise<StackDescription>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the local stack exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as StackDescription));
  });
  return {
    stack,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

export interface FunctionProcess {
  pid: number;
  /** The API's URL for an http role. */
  url: string | undefined;
  send(message: ToFunction): void;
  /** `calls`: the AWS calls the process made since its last report, by operation. */
  onProgress(listener: (done: number, failed: number, calls: Record<string, number>) => void): void;
  /** Stops the poller (an sqs role) and resolves once it no longer receives. */
  pause(): Promise<void>;
  /** Exits cleanly (so a CPU profile is written). */
  stop(): Promise<void>;
}

export interface FunctionProcessOptions {
  role: FunctionRole;
  /** The stack's environment, as the function gets it in AWS, plus the benchmark's log settings. */
  env: Record<string, string>;
  /** Writes a V8 CPU profile of this process into the folder when it exits. */
  cpuProfileDir?: string | undefined;
  /** Where the function's output (its log lines and EMF records) goes, appended. */
  logFile: string;
}

export async function startFunctionProcess(options: FunctionProcessOptions): Promise<FunctionProcess> {
  const execArgv = [...TSX];
  if (options.cpuProfileDir) {
    mkdirSync(options.cpuProfileDir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  }
  // Log lines are formatted and written as in Lambda, to a file rather than between the results.
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, 'a');
  const child = fork(join(import.meta.dirname, 'function-process.ts'), [JSON.stringify(options.role)], {
    execArgv,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const ready = await new Promise<Extract<FromFunction, { type: 'ready' }>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`a function process exited with ${code} before it was ready (its output: ${options.logFile})`)));
    child.on('message', (message: FromFunction) => {
      if (message.type === 'ready') resolve(message);
    });
  });
  child.removeAllListeners('exit');
  const progress: ((done: number, failed: number, calls: Record<string, number>) => void)[] = [];
  let paused: (() => void) | undefined;
  child.on('message', (message: FromFunction) => {
    if (message.type === 'progress') for (const listener of progress) listener(message.done, message.failed, message.calls);
    if (message.type === 'paused') paused?.();
  });
  return {
    pid: child.pid!,
    url: ready.url,
    send: (message) => child.send(message),
    onProgress: (listener) => void progress.push(listener),
    pause: () =>
      new Promise<void>((resolve) => {
        paused = resolve;
        child.send({ type: 'pause' } satisfies ToFunction);
      }),
    stop: async () => {
      if (child.connected) child.send({ type: 'exit' } satisfies ToFunction);
      await exited(child);
    },
  };
}

/**
 * CPU time (user and system, every thread) a process has used so far, in ms, from Linux's /proc;
 * undefined elsewhere. Unlike a V8 profile's samples it does not count time spent waiting for a core.
 */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is the 3rd, utime the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Linux's USER_HZ, 100 on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU ms the processes used between two readings of cpuMs, per item; '?' where /proc is missing. */
export function cpuPer(before: (number | undefined)[], after: (number | undefined)[], items: number): string {
  if ([...before, ...after].some((v) => v === undefined)) return '?';
  const used = after.reduce<number>((s, v) => s + v!, 0) - before.reduce<number>((s, v) => s + v!, 0);
  return (used / items).toFixed(2);
}

/** What the numbers were measured on. */
export function machine(): string {
  return `${cpus().length} CPU(s), Node ${process.version}, load average ${loadAverage()} (1, 5, 15 min)`;
}

/** `uptime`'s load averages, printed beside each number: the machine is shared. */
export function loadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}
