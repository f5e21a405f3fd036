/** Moved to core/errors.ts (issue 19); this re-export keeps branches in flight compiling. Import core/errors. */
export * from '../core/errors.js';
