/**
 * `sim --tls-cert FILE --tls-key FILE`: the PEM pair the simulator serves
 * HTTPS with. Checked before listening, so a bad path or a pair that does not
 * belong together is one line and exit 2, not a stack trace at listen time.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { UsageError } from '../core/errors.js';

function readPem(flag: string, file: string, marker: RegExp): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`sim: ${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!marker.test(text))
    throw new UsageError(`sim: ${flag}: ${file} holds no PEM ${flag === '--tls-cert' ? 'certificate' : 'private key'}`);
  return text;
}

/** The {key, cert} PEM texts, or null when neither flag is given. Throws UsageError. */
export function readTlsPair(
  certFile: string | undefined,
  keyFile: string | undefined,
): { key: string; cert: string } | null {
  if (certFile === undefined && keyFile === undefined) return null;
  if (certFile === undefined || keyFile === undefined)
    throw new UsageError('sim: --tls-cert and --tls-key go together (a PEM certificate and its private key)');
  const cert = readPem('--tls-cert', certFile, /-----BEGIN CERTIFICATE-----/);
  const key = readPem('--tls-key', keyFile, /-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  try {
    // The check listen would do later: parses both and verifies the key matches the certificate.
    createSecureContext({ key, cert });
  } catch (err) {
    const why =
      String((err as Error).message)
        .split('\n', 1)[0]
        ?.replace(/^error:[0-9A-F]+:[^:]*::?/, '') ?? '';
    throw new UsageError(`sim: --tls-cert ${certFile} and --tls-key ${keyFile} are not a usable pair (${why})`);
  }
  return { key, cert };
}
