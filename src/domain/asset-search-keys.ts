/**
 * Pure: the normalised words an asset is found by, and how typed text becomes the same words.
 * An asset stores every prefix (1..cap characters) of every word of its identity fields, so a
 * typed word matches by equality on one multikey index entry instead of a regex over every asset.
 * One-character prefixes are kept so a typeahead still matches while the next word is one letter long.
 */

/** Words are keyed by their prefixes up to this length; longer typed words are cut to it. */
export const searchKeyMaxLength = 20;
/** Bumped whenever the key computation changes, so stored keys are recomputed at start. */
export const searchKeysVersion = 2;

/** The fields an asset is found by. */
export interface SearchableAsset {
  tag: string;
  serial?: string | undefined;
  name: string;
  model?: string | undefined;
  manufacturer?: string | undefined;
  category: string;
  location?: string | undefined;
}

/** Lower-case, accents removed: "Müller" and "muller" are one word. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The words of a text: letter and digit runs ("LAP-0042" -> lap, 0042; "#2" -> 2). */
export function searchWords(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

function prefixesOf(word: string): string[] {
  const end = Math.min(word.length, searchKeyMaxLength);
  const keys: string[] = [];
  for (let length = 1; length <= end; length++) keys.push(word.slice(0, length));
  return keys;
}

/** Every key some texts are found by (every prefix of every word), sorted and without repeats. */
export function textSearchKeys(texts: ReadonlyArray<string | undefined>): string[] {
  const keys = new Set<string>();
  for (const field of texts) {
    if (!field) continue;
    for (const word of searchWords(field)) for (const key of prefixesOf(word)) keys.add(key);
  }
  return [...keys].sort();
}

/** Every key an asset is found by. Recomputed whenever one of its fields is written. */
export function assetSearchKeys(asset: SearchableAsset): string[] {
  return textSearchKeys([
    asset.tag,
    asset.serial,
    asset.name,
    asset.model,
    asset.manufacturer,
    asset.category,
    asset.location,
  ]);
}

/**
 * Keys of a catalog line (a category, or a model within it): what the request typeahead matches —
 * category, model, manufacturer and the names of the line's assets, not tags, serials or locations.
 */
export function catalogLineKeys(line: {
  category: string;
  model?: string | undefined;
  manufacturer?: string | undefined;
  name?: string | undefined;
}): string[] {
  return textSearchKeys([line.category, line.model, line.manufacturer, line.name]);
}

/**
 * The keys typed text must all match, longest first. A word that is the start of another typed
 * word adds nothing (every asset with "macbook" also has "mac"), so it is left out.
 */
export function searchTerms(text: string): string[] {
  const words = [...new Set(searchWords(text).map((word) => word.slice(0, searchKeyMaxLength)))];
  words.sort((a, b) => b.length - a.length || a.localeCompare(b));
  const terms: string[] = [];
  for (const word of words) if (!terms.some((kept) => kept.startsWith(word))) terms.push(word);
  return terms;
}

/** A value compared case- and accent-insensitively as a whole ("Docking  Station" = "docking station"). */
export function equalityKey(text: string): string {
  return foldText(text).trim().replace(/\s+/g, ' ');
}
