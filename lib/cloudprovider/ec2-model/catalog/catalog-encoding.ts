import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { Catalog } from './catalog-schema.ts';

/**
 * A catalog as embedded in the code: its JSON, Brotli-compressed, in base64. The JSON of a region
 * is about 400 kB, which as a JavaScript literal every function bundle would parse when it loads;
 * compressed it is about 20 kB, decoded only when a run first asks for the catalog.
 */
export function encodeCatalog(catalog: Catalog): string {
  const json = Buffer.from(JSON.stringify(catalog));
  return brotliCompressSync(json, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  }).toString('base64');
}

/** The generator validates a catalog before encoding it, so decoding does not check it again. */
export function decodeCatalog(encoded: string): Catalog {
  return JSON.parse(
    brotliDecompressSync(Buffer.from(encoded, 'base64')).toString('utf8'),
  ) as Catalog;
}
