/** Pure: the "add an asset" modal and what IT reads once it is registered. */
import type { InputBlock, ModalView } from '@slack/types';
import { assetFieldLimits, type AssetField } from '../../domain/index.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import type { ShownAsset } from './asset.blocks.js';
import { escapeMrkdwn } from './format.js';

/** The block id of each field, so domain field errors land under the right input. */
export const addAssetBlockIds: Record<AssetField, string> = {
  tag: BlockIds.assetTag,
  serial: BlockIds.assetSerial,
  name: BlockIds.assetName,
  category: BlockIds.assetCategory,
  model: BlockIds.assetModel,
  location: BlockIds.assetLocation,
};

const fields: Array<{ field: AssetField; label: string; placeholder: string; optional: boolean }> = [
  { field: 'tag', label: 'Asset tag', placeholder: 'LAP-0042', optional: false },
  { field: 'serial', label: 'Serial number', placeholder: 'C02XK1JHJGH5', optional: true },
  { field: 'name', label: 'Name', placeholder: 'MacBook Pro 14 (2024)', optional: false },
  { field: 'category', label: 'Category', placeholder: 'Laptop', optional: false },
  { field: 'model', label: 'Model', placeholder: 'MacBook Pro 14', optional: true },
  { field: 'location', label: 'Location', placeholder: 'Berlin office, shelf B', optional: true },
];

export function buildAddAssetModal(): ModalView {
  const inputs: InputBlock[] = fields.map(({ field, label, placeholder, optional }) => ({
    type: 'input',
    block_id: addAssetBlockIds[field],
    optional,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'plain_text_input',
      action_id: ActionIds.addAssetField,
      max_length: assetFieldLimits[field],
      placeholder: { type: 'plain_text', text: placeholder },
    },
  }));
  return {
    type: 'modal',
    callback_id: CallbackIds.addAssetModal,
    title: { type: 'plain_text', text: 'Add an asset' },
    submit: { type: 'plain_text', text: 'Add' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: inputs,
  };
}

export function assetAddedText(asset: ShownAsset): string {
  const model = asset.model ? ` · ${escapeMrkdwn(asset.model)}` : '';
  return `:heavy_plus_sign: Added *${escapeMrkdwn(asset.tag)}* · ${escapeMrkdwn(asset.name)} (${escapeMrkdwn(asset.category)}${model}). It is in stock.`;
}
