/** Where the in-memory cluster gets UIDs and generateName suffixes. */
export interface IdSource {
  uid(): string;
  /** Five characters from the apiserver's alphabet, appended to `metadata.generateName`. */
  nameSuffix(): string;
}

/** The alphabet the apiserver draws generateName suffixes from (no vowels, no look-alikes). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;
/** Odd multiplier that spreads consecutive counters across the suffix space, so names differ early. */
const SPREAD = 2_654_435_761;

/** Deterministic ids, so simulator runs and tests are reproducible. */
export function sequentialIds(): IdSource {
  let uids = 0;
  let names = 0;
  return {
    uid: () => `00000000-0000-4000-8000-${(++uids).toString(16).padStart(12, '0')}`,
    nameSuffix: () => {
      let value = (++names * SPREAD) % SUFFIX_ALPHABET.length ** SUFFIX_LENGTH;
      let suffix = '';
      for (let index = 0; index < SUFFIX_LENGTH; index++) {
        suffix += SUFFIX_ALPHABET[value % SUFFIX_ALPHABET.length];
        value = Math.floor(value / SUFFIX_ALPHABET.length);
      }
      return suffix;
    },
  };
}
