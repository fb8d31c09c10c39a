/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, expect } from '@jest/globals';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { freePort } from '../../../tools/support/ports.js';
import { ServiceProcess, waitUntilReady } from '../../../tools/support/processes.js';
import { type Harness, type SandboxKeys, useHarness } from '../../support/harness.js';
import { writeCameraPicture } from './fake-camera.js';

/** Screens each test passes through, for people to look at (git-ignored). */
export const SCREENS_DIR = join(process.cwd(), 'test-output', 'screens');

/** Debian's chromium (what .ci/run installs), or CHROMIUM_PATH; a browser is never downloaded. */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('the browser tests need Chromium: apt-get install -y chromium (or set CHROMIUM_PATH)');
  }
}

export interface ConsoleRun {
  /** The harness: its in-process worker runs the jobs; its api serves the test's own calls. */
  h: Harness;
  /** Where the built api, with the console, listens. */
  url: string;
  browser: Browser;
  /** A fresh browser profile (its own session storage) at the console's origin. */
  newPage(options?: { width?: number; height?: number; locale?: string }): Promise<Page>;
  /** The console opened on a sandbox, as the link `npm start` prints does. */
  openSandbox(page: Page, sandbox: SandboxKeys, path?: string): Promise<void>;
  shot(page: Page, name: string): Promise<void>;
  /**
   * With `camera`: shows a PNG to the browser's fake camera, which every
   * page's camera then films. Pages opened before are closed.
   */
  showToCamera(picture: Buffer): Promise<void>;
  /** axe-core on the page as it is: no serious or critical violation. */
  expectAccessible(page: Page, screen: string): Promise<void>;
}

/** What the specs of one test file share: the built api at `url`, Chromium, and the pages the current test opened. */
interface Stage {
  url: string;
  camera: boolean;
  cameraFile: string;
  browser?: Browser;
  contexts: BrowserContext[];
  /** What the pages of the current test were refused by the Content-Security-Policy: a test fails with any. */
  cspViolations: string[];
  launch(): Promise<void>;
}

/** The stage of the test file being run: module state lives as long as the file (Jest loads modules anew for each). */
let shared: Stage | undefined;

/**
 * The built api as its own process (the console is served by @fastify/static,
 * which Jest's module loader cannot load) on the test worker's database and
 * queues, beside the harness whose worker runs the jobs; and a real Chromium.
 * Every spec a test file gathers (see test/browser/operator-rooms.test.ts)
 * gets the same ones, as it gets the same harness. The pages a test opens
 * are closed after it, so none keeps polling the api through the tests that
 * follow.
 */
export function useConsole(suite: string, options: { camera?: boolean } = {}): ConsoleRun {
  const h = useHarness();
  const dir = join(SCREENS_DIR, suite);
  const camera = options.camera === true;
  shared ??= openStage(join(dir, 'camera.y4m'), camera);
  const stage = shared;
  if (stage.camera !== camera) throw new Error('the specs of one test file share its browser: gather specs that want the same camera');
  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
  });

  const run = {
    h,
    get url() {
      return stage.url;
    },
    get browser() {
      return stage.browser as Browser;
    },
  } as ConsoleRun;
  run.newPage = async ({ width = 1280, height = 900, locale = 'en-GB' } = {}) => {
    const context = await (stage.browser as Browser).newContext({ viewport: { width, height }, locale, baseURL: stage.url });
    stage.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) stage.cspViolations.push(message.text());
    });
    // A wait polls every 100 ms, not every animation frame (Playwright's default), which keeps Chromium painting all along.
    const waitForFunction = page.waitForFunction.bind(page) as (...args: unknown[]) => ReturnType<Page['waitForFunction']>;
    page.waitForFunction = ((fn: unknown, arg?: unknown, options?: object) =>
      waitForFunction(fn, arg, { polling: 100, ...options })) as Page['waitForFunction'];
    return page;
  };
  run.openSandbox = async (page, sandbox, path = '/console/') => {
    await page.goto(`${path}#sk=${sandbox.secretKey}&pk=${sandbox.publishableKey}`);
    await page.getByTestId('profile').waitFor();
  };
  run.showToCamera = async (picture) => {
    writeCameraPicture(stage.cameraFile, picture);
    // Chromium's capture service may keep filming the file as it first read it: a new browser reads this one.
    await stage.browser?.close();
    stage.contexts.length = 0;
    await stage.launch();
  };
  run.shot = async (page, name) => {
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  };
  run.expectAccessible = async (page, screen) => {
    // Evaluated through the DevTools protocol: the console's CSP forbids inline scripts, rightly.
    await page.evaluate(axeSource());
    // The function runs in the page, where axe is a global.
    const violations = await page.evaluate(async () => {
      const page = globalThis as unknown as {
        axe: { run: (context: unknown) => Promise<{ violations: AxeViolation[] }> };
        document: unknown;
      };
      const result = await page.axe.run(page.document);
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
    });
    expect({ screen, violations }).toEqual({ screen, violations: [] });
  };
  return run;
}

/** Starts the api and Chromium before the file's tests, closes each test's pages after it, and stops both after the last. */
function openStage(cameraFile: string, camera: boolean): Stage {
  let api: ServiceProcess | undefined;
  const stage: Stage = {
    url: '',
    camera,
    cameraFile,
    contexts: [],
    cspViolations: [],
    async launch() {
      const fakeCamera = camera
        ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${cameraFile}`]
        : [];
      stage.browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', ...fakeCamera] });
    },
  };
  beforeAll(async () => {
    const port = await freePort();
    stage.url = `http://127.0.0.1:${port}`;
    api = ServiceProcess.start('api', process.cwd(), 'apps/api/src/main.js', {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: stage.url,
      LOG_LEVEL: 'warn',
    });
    await waitUntilReady(stage.url, [api]);
    if (camera) {
      mkdirSync(dirname(cameraFile), { recursive: true });
      writeCameraPicture(cameraFile, PNG.sync.write(new PNG({ width: 8, height: 8, fill: true })));
    }
    await stage.launch();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(stage.contexts.splice(0).map((context) => context.close()));
    expect(stage.cspViolations.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await stage.browser?.close();
    await api?.stop();
  });
  return stage;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

let axe: string | undefined;
function axeSource(): string {
  axe ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axe;
}
