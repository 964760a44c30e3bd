/**
 * Pure validation of messages' blocks and views the way Slack's Web API does it, reporting
 * problems in Slack's words with a JSON pointer ("[ERROR] must be less than 25 characters
 * [json-pointer:/view/title/text]"). Also fills in the block_id / action_id Slack generates.
 */
import type { z } from 'zod';
import type { JsonObject, JsonValue, SlackBlock } from '../types.js';
import { anyView, messageBlocks } from './schemas.js';

export interface BlockKitProblem {
  message: string;
  pointer: string;
}

export const MAX_VIEW_JSON_BYTES = 250 * 1024;

export function formatProblems(problems: BlockKitProblem[]): string[] {
  return problems.map((p) => `[ERROR] ${p.message} [json-pointer:${p.pointer}]`);
}

type PathSegment = PropertyKey;

function pointerOf(path: readonly PathSegment[]): string {
  return path.map((segment) => '/' + String(segment)).join('');
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

const ARTICLE: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
};

/** Maps zod's issues onto the sentences Slack uses for the same mistakes. */
export function problemsFromZod(
  issues: readonly z.core.$ZodIssue[],
  root: unknown,
  prefix: PathSegment[],
): BlockKitProblem[] {
  const problems: BlockKitProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    const value = valueAt(root, issue.path);
    switch (issue.code) {
      case 'invalid_type':
        if (value === undefined) {
          problems.push({
            message: `missing required field: ${String(path[path.length - 1])}`,
            pointer: pointerOf(path.slice(0, -1)),
          });
        } else {
          problems.push({
            message: `must provide ${ARTICLE[issue.expected] ?? issue.expected}`,
            pointer: pointerOf(path),
          });
        }
        break;
      case 'too_big':
        problems.push({
          message:
            issue.origin === 'string'
              ? `must be less than ${Number(issue.maximum) + 1} characters`
              : issue.origin === 'array'
                ? `no more than ${Number(issue.maximum)} items allowed`
                : `must be at most ${Number(issue.maximum)}`,
          pointer: pointerOf(path),
        });
        break;
      case 'too_small':
        problems.push({
          message:
            issue.origin === 'string'
              ? `must be more than ${Number(issue.minimum) - 1} characters`
              : issue.origin === 'array'
                ? `must provide at least ${Number(issue.minimum)} items`
                : `must be at least ${Number(issue.minimum)}`,
          pointer: pointerOf(path),
        });
        break;
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          problems.push({ message: `invalid additional property: ${key}`, pointer: pointerOf(path) });
        }
        break;
      case 'invalid_union':
        if ('note' in issue && issue.note === 'No matching discriminator') {
          if (value === undefined) {
            problems.push({ message: 'missing required field: type', pointer: pointerOf(path.slice(0, -1)) });
          } else {
            problems.push({ message: `unsupported type: ${String(value)}`, pointer: pointerOf(path) });
          }
        } else {
          problems.push({ message: 'failed to match all allowed schemas', pointer: pointerOf(path) });
        }
        break;
      case 'invalid_value':
        problems.push({ message: 'must be a valid enum value', pointer: pointerOf(path) });
        break;
      default:
        problems.push({ message: issue.message, pointer: pointerOf(path) });
    }
  }
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Interactive elements of a block, with their JSON path relative to the block. */
export function elementsOf(
  block: Record<string, unknown>,
): { element: Record<string, unknown>; path: PathSegment[] }[] {
  const found: { element: Record<string, unknown>; path: PathSegment[] }[] = [];
  if (Array.isArray(block.elements) && block.type === 'actions') {
    block.elements.forEach((element, i) => {
      if (isObject(element)) found.push({ element, path: ['elements', i] });
    });
  }
  if (isObject(block.accessory) && block.accessory.type !== 'image') {
    found.push({ element: block.accessory, path: ['accessory'] });
  }
  if (isObject(block.element)) found.push({ element: block.element, path: ['element'] });
  return found;
}

/** Rules Slack enforces that a per-object schema cannot express. */
function crossFieldProblems(blocks: unknown[], prefix: PathSegment[]): BlockKitProblem[] {
  const problems: BlockKitProblem[] = [];
  const seenBlockIds = new Set<string>();
  blocks.forEach((raw, index) => {
    if (!isObject(raw)) return;
    const at = [...prefix, index];
    if (typeof raw.block_id === 'string') {
      if (seenBlockIds.has(raw.block_id)) {
        problems.push({
          message: `duplicate block_id: ${raw.block_id}`,
          pointer: pointerOf([...at, 'block_id']),
        });
      }
      seenBlockIds.add(raw.block_id);
    }
    if (raw.type === 'section' && raw.text === undefined && raw.fields === undefined) {
      problems.push({ message: 'must provide either `text` or `fields`', pointer: pointerOf(at) });
    }
    if (raw.type === 'image' && raw.image_url === undefined && raw.slack_file === undefined) {
      problems.push({ message: 'must provide either `image_url` or `slack_file`', pointer: pointerOf(at) });
    }
    const seenActionIds = new Set<string>();
    for (const { element, path } of elementsOf(raw)) {
      const elementAt = [...at, ...path];
      if (typeof element.action_id === 'string') {
        if (seenActionIds.has(element.action_id)) {
          problems.push({
            message: `duplicate action_id: ${element.action_id}`,
            pointer: pointerOf([...elementAt, 'action_id']),
          });
        }
        seenActionIds.add(element.action_id);
      }
      const isStaticMenu = element.type === 'static_select' || element.type === 'multi_static_select';
      if (isStaticMenu && (element.options === undefined) === (element.option_groups === undefined)) {
        problems.push({
          message: 'must provide exactly one of `options` or `option_groups`',
          pointer: pointerOf(elementAt),
        });
      }
    }
  });
  return problems;
}

export type BlocksValidation =
  | { ok: true; blocks: SlackBlock[] }
  | { ok: false; error: 'invalid_blocks' | 'invalid_blocks_format'; problems: BlockKitProblem[] };

/** Slack fills in block_id and action_id when an app leaves them out; tests can rely on both. */
export function withGeneratedIds(
  blocks: readonly JsonValue[],
  ids: { blockId(): string; actionId(): string },
): SlackBlock[] {
  return blocks.map((original) => {
    const copy = structuredClone(original) as JsonObject;
    if (typeof copy.block_id !== 'string') copy.block_id = ids.blockId();
    for (const { element } of elementsOf(copy)) {
      if (typeof element.action_id !== 'string') element.action_id = ids.actionId();
    }
    return copy as SlackBlock;
  });
}

export function validateMessageBlocks(
  blocks: unknown,
  ids: { blockId(): string; actionId(): string },
): BlocksValidation {
  if (!Array.isArray(blocks)) {
    return {
      ok: false,
      error: 'invalid_blocks_format',
      problems: [{ message: 'must provide an array', pointer: '/blocks' }],
    };
  }
  const parsed = messageBlocks.safeParse(blocks);
  const problems = parsed.success
    ? crossFieldProblems(blocks, ['blocks'])
    : problemsFromZod(parsed.error.issues, blocks, ['blocks']);
  if (problems.length > 0) return { ok: false, error: 'invalid_blocks', problems };
  return { ok: true, blocks: withGeneratedIds(blocks as JsonValue[], ids) };
}

export interface ValidView {
  type: 'modal' | 'home';
  title: { type: 'plain_text'; text: string; emoji?: boolean } | null;
  submit: { type: 'plain_text'; text: string; emoji?: boolean } | null;
  close: { type: 'plain_text'; text: string; emoji?: boolean } | null;
  blocks: SlackBlock[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
}

export type ViewValidation =
  | { ok: true; view: ValidView }
  | { ok: false; error: 'invalid_arguments' | 'view_too_large'; problems: BlockKitProblem[] };

/**
 * Validates a view as `views.open|push|update|publish` (and response_action update/push) receive it.
 * `expectedType` enforces that modals are opened as modals and the App Home is published as home.
 */
export function validateView(
  view: unknown,
  ids: { blockId(): string; actionId(): string },
  expectedType?: 'modal' | 'home',
  typeMismatchMessage = 'must be a valid enum value',
): ViewValidation {
  if (!isObject(view)) {
    return {
      ok: false,
      error: 'invalid_arguments',
      problems: [{ message: 'must provide an object', pointer: '/view' }],
    };
  }
  if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_JSON_BYTES) {
    return { ok: false, error: 'view_too_large', problems: [] };
  }
  if (
    expectedType !== undefined &&
    view.type !== expectedType &&
    (view.type === 'modal' || view.type === 'home')
  ) {
    return {
      ok: false,
      error: 'invalid_arguments',
      problems: [{ message: typeMismatchMessage, pointer: '/view/type' }],
    };
  }
  const parsed = anyView.safeParse(view);
  if (!parsed.success) {
    return {
      ok: false,
      error: 'invalid_arguments',
      problems: problemsFromZod(parsed.error.issues, view, ['view']),
    };
  }
  const blocks = view.blocks as unknown[];
  const problems = crossFieldProblems(blocks, ['view', 'blocks']);
  const data = parsed.data;
  if (data.type === 'modal' && data.submit === undefined) {
    const firstInput = blocks.findIndex((b) => isObject(b) && b.type === 'input');
    if (firstInput >= 0) {
      problems.push({
        message: 'must define `submit` to use an `input` block in modals',
        pointer: `/view/blocks/${firstInput}/input`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, error: 'invalid_arguments', problems };
  return {
    ok: true,
    view: {
      type: data.type,
      title: data.type === 'modal' ? data.title : null,
      submit: data.type === 'modal' ? (data.submit ?? null) : null,
      close: data.type === 'modal' ? (data.close ?? null) : null,
      blocks: withGeneratedIds(blocks as JsonValue[], ids),
      private_metadata: data.private_metadata ?? '',
      callback_id: data.callback_id ?? '',
      external_id: data.external_id ?? '',
      clear_on_close: data.type === 'modal' ? (data.clear_on_close ?? false) : false,
      notify_on_close: data.type === 'modal' ? (data.notify_on_close ?? false) : false,
    },
  };
}
