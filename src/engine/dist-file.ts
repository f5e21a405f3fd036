/**
 * Worker threads need compiled JavaScript (tsx/vitest cannot load a `.ts`
 * worker). From a compiled module the sibling `.js` is used; from a `.ts`
 * source (tests) the same file under dist/ is used, so run `npm run build` first.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export function distFile(fromUrl: string, relFromDist: string): URL {
  const here = fileURLToPath(fromUrl);
  const marker = `${path.sep}src${path.sep}`;
  const at = here.lastIndexOf(marker);
  if (here.endsWith('.ts') && at !== -1) {
    return new URL(`file://${path.join(here.slice(0, at), 'dist', relFromDist)}`);
  }
  const distRoot = here.slice(0, here.lastIndexOf(`${path.sep}dist${path.sep}`) + 6);
  return new URL(`file://${path.join(distRoot, relFromDist)}`);
}
