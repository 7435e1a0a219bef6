/**
 * The Node entry point: everything in `nativefile`, plus the Node-only backends (`OSFile`,
 * memory maps) as they land.
 * @module
 */
export * from './index.js';
