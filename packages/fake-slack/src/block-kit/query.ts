/** Pure lookups over recorded Block Kit blocks, so tests act on what the app really rendered. */
import type { JsonObject, JsonValue, SlackBlock } from '../types.js';
import { elementsOf } from './validate.js';

export interface FoundElement {
  block: SlackBlock;
  /** The interactive element (button, select, input element, ...). */
  element: JsonObject & { type: string; action_id: string };
}

/** Every interactive element in the blocks, in reading order. */
export function interactiveElements(blocks: readonly SlackBlock[]): FoundElement[] {
  const found: FoundElement[] = [];
  for (const block of blocks) {
    for (const { element } of elementsOf(block)) {
      found.push({ block, element: element as FoundElement['element'] });
    }
  }
  return found;
}

export function findElement(
  blocks: readonly SlackBlock[],
  actionId: string,
  blockId?: string,
): FoundElement | undefined {
  return interactiveElements(blocks).find(
    (f) => f.element.action_id === actionId && (blockId === undefined || f.block.block_id === blockId),
  );
}

export function findBlock(blocks: readonly SlackBlock[], blockId: string): SlackBlock | undefined {
  return blocks.find((b) => b.block_id === blockId);
}

export function actionIdsOf(blocks: readonly SlackBlock[]): string[] {
  return interactiveElements(blocks).map((f) => f.element.action_id);
}

/** All human-readable text in the blocks (text objects, fields, labels, options), joined by newlines. */
export function textOf(blocks: readonly SlackBlock[] | undefined): string {
  const parts: string[] = [];
  const walk = (value: JsonValue): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (typeof value.text === 'string') parts.push(value.text);
    for (const [key, child] of Object.entries(value)) {
      if (key !== 'text' || typeof child !== 'string') walk(child);
    }
  };
  walk((blocks ?? []) as unknown as JsonValue[]);
  return parts.join('\n');
}
