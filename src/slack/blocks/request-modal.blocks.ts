/** Pure: the "Request an asset" modal, its catalog typeahead options and how a catalog choice travels in an option value. */
import type { ModalView, PlainTextOption } from '@slack/types';
import { requestKinds, requestLimits, type CatalogChoice, type RequestKind } from '../../domain/index.js';
import { catalogChoiceFingerprint } from '../../services/catalog-choice.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { clip } from './format.js';

/** Slack's limit on an option's text, and what we keep option values under. */
const optionTextMax = 75;
const optionValueMax = 75;
/** How much of a long model name travels in a hashed value, to find it again in the catalog. */
const hashedQueryMax = 40;

export interface CatalogLine {
  category: string;
  model: string | undefined;
  available: number;
  total: number;
}

export const requestKindLabels: Record<RequestKind, string> = {
  permanent: 'Permanent: mine to keep',
  loan: 'Loan: I will give it back',
};

function kindOption(kind: RequestKind): PlainTextOption {
  return { text: { type: 'plain_text', text: requestKindLabels[kind] }, value: kind };
}

export function buildRequestModal(): ModalView {
  return {
    type: 'modal',
    callback_id: CallbackIds.requestModal,
    title: { type: 'plain_text', text: 'Request an asset' },
    submit: { type: 'plain_text', text: 'Send to IT' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: BlockIds.requestItem,
        label: { type: 'plain_text', text: 'What do you need?' },
        hint: { type: 'plain_text', text: 'A whole category ("any Laptop") or one model; type to search.' },
        element: {
          type: 'external_select',
          action_id: ActionIds.requestCatalogItem,
          min_query_length: 0,
          placeholder: { type: 'plain_text', text: 'Laptop, monitor, phone…' },
        },
      },
      {
        type: 'input',
        block_id: BlockIds.requestKind,
        label: { type: 'plain_text', text: 'For how long?' },
        element: {
          type: 'radio_buttons',
          action_id: ActionIds.requestKind,
          options: requestKinds.map(kindOption),
          initial_option: kindOption('permanent'),
        },
      },
      {
        type: 'input',
        block_id: BlockIds.requestReason,
        label: { type: 'plain_text', text: 'Why do you need it?' },
        element: {
          type: 'plain_text_input',
          action_id: ActionIds.requestReason,
          multiline: true,
          max_length: requestLimits.reasonMax,
          placeholder: { type: 'plain_text', text: 'e.g. my laptop is 6 years old and freezes daily' },
        },
      },
      {
        type: 'input',
        block_id: BlockIds.requestNeededBy,
        optional: true,
        label: { type: 'plain_text', text: 'Needed by' },
        element: { type: 'datepicker', action_id: ActionIds.requestNeededBy },
      },
      {
        type: 'input',
        block_id: BlockIds.requestReturnBy,
        optional: true,
        label: { type: 'plain_text', text: 'Return by (loans only)' },
        hint: { type: 'plain_text', text: 'Required for a loan; leave empty for a permanent request.' },
        element: { type: 'datepicker', action_id: ActionIds.requestReturnBy },
      },
    ],
  };
}

/** "MacBook Pro 14 (Laptop) — 3 in stock", "Any Laptop — 5 in stock", within Slack's 75 characters. */
export function catalogOptionText(line: CatalogLine): string {
  const stock = line.available === 0 ? 'none in stock' : `${line.available} in stock`;
  const suffix = ` — ${stock}`;
  const room = optionTextMax - suffix.length;
  const name = line.model ? `${line.model} (${line.category})` : `Any ${line.category}`;
  return `${clip(name, room)}${suffix}`;
}

/**
 * The option value for a choice: `["Laptop"]` or `["Laptop","MacBook Pro 14"]` as JSON when that fits in
 * 75 characters; otherwise `{"h":hash,"q":start of the model}` to look it up in the catalog again.
 */
export function catalogOptionValue(choice: CatalogChoice): string {
  const direct = JSON.stringify(
    choice.model === undefined ? [choice.category] : [choice.category, choice.model],
  );
  if (direct.length <= optionValueMax) return direct;
  const query = (choice.model ?? choice.category).slice(0, hashedQueryMax);
  let hashed = JSON.stringify({ h: catalogChoiceFingerprint(choice), q: query });
  // Characters JSON escapes (quotes, backslashes) can make the query longer than it looks.
  for (let cut = query.length - 1; hashed.length > optionValueMax && cut > 0; cut--) {
    hashed = JSON.stringify({ h: catalogChoiceFingerprint(choice), q: query.slice(0, cut) });
  }
  return hashed;
}

export function catalogOptions(lines: CatalogLine[]): PlainTextOption[] {
  return lines.map((line) => ({
    text: { type: 'plain_text', text: catalogOptionText(line) },
    value: catalogOptionValue({ category: line.category, model: line.model }),
  }));
}
