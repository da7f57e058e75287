/**
 * The marker every environment folder a render writes holds: `render --out` replaces only
 * folders that have it (so an --out pointing at a folder of other files never loses them),
 * and the catalog's manifest walk skips folders that have it (render output is not catalog input).
 */
export { RENDER_MARKER } from '../catalog/files.js';
