/** Pure: validation of a new asset's fields as a person typed them; each problem is tied to its field. */
import { normalizeTag, tagPattern } from './asset.js';

export interface NewAssetInput {
  tag: string;
  serial: string | undefined;
  name: string;
  category: string;
  model: string | undefined;
  location: string | undefined;
}

export type AssetField = keyof NewAssetInput;

export const assetFieldLimits: Record<AssetField, number> = {
  tag: 40,
  serial: 100,
  name: 150,
  category: 60,
  model: 100,
  location: 150,
};

export function validateNewAsset(input: NewAssetInput): Partial<Record<AssetField, string>> {
  const errors: Partial<Record<AssetField, string>> = {};
  if (!tagPattern.test(input.tag.trim())) {
    errors.tag =
      'Use 1–40 letters, digits, dots, dashes or underscores, starting with a letter or digit (e.g. LAP-0042).';
  }
  for (const field of ['name', 'category'] as const) {
    if (input[field].trim() === '') errors[field] = 'Required.';
  }
  for (const [field, max] of Object.entries(assetFieldLimits) as [AssetField, number][]) {
    const value = input[field];
    if (value !== undefined && value.length > max && !errors[field])
      errors[field] = `At most ${max} characters.`;
  }
  return errors;
}

/** Trims every field, drops empty optional ones and normalises the tag. */
export function cleanNewAsset(input: NewAssetInput): NewAssetInput {
  const optional = (v: string | undefined) => (v && v.trim() !== '' ? v.trim() : undefined);
  return {
    tag: normalizeTag(input.tag),
    serial: optional(input.serial),
    name: input.name.trim(),
    category: input.category.trim(),
    model: optional(input.model),
    location: optional(input.location),
  };
}
