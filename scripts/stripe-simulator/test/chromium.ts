// Finds a Chromium for browser tests, installing Debian's package when none is there. Quick when
// one is installed (a file check); never skipped: no browser means the test fails, saying why.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { MissingToolError } from '../../testing/tools';

const run = promisify(execFile);

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Another process (a parallel test run, an unattended upgrade) may hold dpkg's lock for a while. */
const LOCK_WAIT_MS = 300_000;

function installed(): string | undefined {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new MissingToolError('chromium', `not found at ${fromEnv} (CHROMIUM_PATH)`, 'point CHROMIUM_PATH at a Chrome/Chromium executable');
    return fromEnv;
  }
  return CANDIDATES.find((path) => existsSync(path));
}

async function canSudo(): Promise<boolean> {
  try {
    await run('sudo', ['-n', 'true'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

function stderrOf(err: unknown): string {
  const stderr = (err as { stderr?: string | Buffer }).stderr;
  return stderr ? stderr.toString().trim() : String(err);
}

async function aptGet(asRoot: boolean, args: string[]): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [command, argv] = asRoot ? ['apt-get', args] : ['sudo', ['-n', '-E', 'apt-get', ...args]];
  await run(command, argv, { env, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
}

/** Installs `chromium`, waiting out a dpkg lock held by someone else (who may be installing it too). */
async function aptInstall(asRoot: boolean): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let updated = false;
  for (;;) {
    try {
      await aptGet(asRoot, ['install', '-y', '--no-install-recommends', 'chromium']);
      return;
    } catch (err) {
      const message = stderrOf(err);
      if (/Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock/i.test(message) && Date.now() < deadline) {
        // Retried rather than trusting a half-unpacked package: a no-op once it is installed.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        continue;
      }
      // Package lists may be missing or stale on a fresh machine: refresh them once.
      if (!updated && /Unable to locate package|has no installation candidate|Failed to fetch/i.test(message)) {
        updated = true;
        await aptGet(asRoot, ['update']);
        continue;
      }
      throw err;
    }
  }
}

/** The path of a Chromium executable; installs Debian's `chromium` (apt-get, as root or with sudo) if needed. */
export async function ensureChromium(): Promise<string> {
  const found = installed();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  // CI runners usually allow password-less sudo.
  if (!hasApt || !(isRoot || (await canSudo()))) {
    throw new MissingToolError(
      'chromium',
      'not found, and apt-get cannot be run as root here',
      'install one (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to a Chrome/Chromium executable',
    );
  }
  try {
    await aptInstall(isRoot);
  } catch (err) {
    throw new MissingToolError('chromium', 'not found, and installing it with apt-get failed', `see apt-get's output:\n${stderrOf(err).split('\n').slice(-5).join('\n')}`);
  }
  const after = installed();
  if (!after) throw new MissingToolError('chromium', 'not found at /usr/bin/chromium after apt-get installed it', 'set CHROMIUM_PATH to its executable');
  return after;
}

/** Flags for a quiet, headless, sandbox-free run in containers and CI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
