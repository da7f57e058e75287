/**
 * Worker thread of `wavegate health test`: runs a contiguous slice of the health_test.yaml
 * files and posts the cases back (the main thread keeps the original order).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isUserError } from '../errors.js';
import { dirSource } from './resolve.js';
import { runTestFiles, type HealthTestCase, type TestPlan } from './testrunner.js';

interface Job {
  plans: TestPlan[];
  openLibs: boolean;
  /** URL of the module whose `renderKind` renders template-based kind folders (given by the caller). */
  rendererModule?: string;
}

type RenderKind = (kindDir: string) => { script: string; openLibs: boolean } | undefined;

async function run(): Promise<void> {
  const job = workerData as Job;
  let renderKind: RenderKind | undefined;
  if (job.rendererModule !== undefined) {
    try {
      const lib = (await import(job.rendererModule)) as { renderKind?: unknown };
      if (typeof lib.renderKind === 'function') renderKind = lib.renderKind as RenderKind;
    } catch {
      renderKind = undefined;
    }
  }
  try {
    const out: HealthTestCase[][] = job.plans.map((plan) => runTestFiles(plan, dirSource(plan.root, { renderKind }), job.openLibs));
    parentPort!.postMessage({ cases: out });
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).message, user: isUserError(e), exitCode: isUserError(e) ? e.exitCode : 3 });
  }
}

void run();
