// Finds a Chromium for browser tests, installing Debian's package when none is there. Quick when
// one is installed (a file check); never skipped: no browser means the test fails, saying why.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

function installed(): string | undefined {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  return CANDIDATES.find((path) => existsSync(path));
}

function aptInstall(): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]): void => {
    execFileSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
  };
  try {
    run(['install', '-y', '--no-install-recommends', 'chromium']);
  } catch {
    // Package lists may be missing or stale on a fresh machine.
    run(['update']);
    run(['install', '-y', '--no-install-recommends', 'chromium']);
  }
}

/** The path of a Chromium executable; installs Debian's `chromium` (as root, with apt-get) if needed. */
export function ensureChromium(): string {
  const found = installed();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!hasApt || !isRoot) {
    throw new Error(
      'No Chromium found for the browser test. Install one (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to a Chrome/Chromium executable.',
    );
  }
  try {
    aptInstall();
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').slice(-5).join('\n') ?? String(err);
    throw new Error(`Installing chromium with apt-get failed:\n${stderr}`);
  }
  const after = installed();
  if (!after) throw new Error('apt-get installed chromium, but no executable was found at /usr/bin/chromium');
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
