/**
 * The marker every environment folder a render writes holds: `render --out` replaces only
 * folders that have it (so an --out pointing at a folder of other files never loses them),
 * and the catalog's manifest walk skips folders that have it (render output is not catalog input).
 */
export { RENDER_MARKER } from '../catalog/files.js';
/**
 * The folder of OUT that holds what is only tested, never applied: `OUT/.tests/<env>/` (the
 * health checks' copies, health_test.yaml and testdata). Its name starts with a dot because
 * the catalog loader never takes a folder whose name starts with a dot as an environment
 * (src/catalog/load.ts listEnvironments), so no environment's `OUT/<env>` can be it; and a
 * `kubectl apply -R -f OUT/<env>` or an Argo CD directory source on `OUT/<env>` never sees
 * the test objects.
 */
export const TESTS_DIR = '.tests';
