import { format } from 'node:util';

/**
 * In code-server the extension host's console reaches the browser console mixed with the workbench's own log
 * lines, and unformatted ('%s' left in). The suite therefore formats its output itself and marks every line
 * with a prefix, so the harness can relay the suite's output and nothing else. (Patching `console` does not
 * work there: the extension host's console methods ignore assignment.)
 */
export const RELAY_PREFIX = 'control-lens-e2e| ';
/** Printed after RELAY_PREFIX to ask the harness for a screenshot; see screenshot.ts. */
export const SCREENSHOT_REQUEST = 'screenshot ';

const relayed = () => process.env.CONTROL_LENS_E2E === '1';

/** Prints a line of test output, marked for the code-server harness when it runs the suite. */
export function report(...args: unknown[]): void {
  const text = format(...args);
  console.log(relayed() ? RELAY_PREFIX + text : text);
}

/** Sends mocha's reporter output through report(). */
export function relayMochaOutput(mocha: { reporters: { Base: { consoleLog: (...args: unknown[]) => void } } }): void {
  if (relayed()) mocha.reporters.Base.consoleLog = report;
}
