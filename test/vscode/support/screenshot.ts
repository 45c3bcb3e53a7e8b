// Screenshots are taken by the harness, which owns the browser: the suite asks through the relayed console and
// waits until the PNG exists (the extension host and the harness share the machine's file system).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { report, SCREENSHOT_REQUEST } from './relay';
import { sleep, waitFor } from './workbench';

export function screenshotsDir(): string | undefined {
  return process.env.CONTROL_LENS_E2E_SCREENSHOTS || undefined;
}

export async function screenshot(name: string, settleMs = 1500): Promise<string> {
  const dir = screenshotsDir();
  if (!dir) throw new Error('screenshot() needs CONTROL_LENS_E2E_SCREENSHOTS (run the harness with --screenshots DIR)');
  const file = path.join(dir, `${name}.png`);
  fs.rmSync(file, { force: true });
  // Let the workbench finish painting (hover fade-in, panel layout) before the picture is taken.
  await sleep(settleMs);
  report(`${SCREENSHOT_REQUEST}${name}`);
  await waitFor(`screenshot ${file}`, () => fs.existsSync(file), { timeoutMs: 20_000 });
  return file;
}
