/* global document, FileReader, window */
// Block Kit as DOM: every block and element the product emits, with interactive elements wired to
// the page's callbacks. Anything this renderer does not know is shown as a visible "unsupported" box,
// never dropped, so a new block type in the app is noticed here at once.
import { escapeHtml, plainTextOf, renderTextObject } from './mrkdwn.js';

/**
 * ctx = {
 *   names: { userName(id), channelName(id) },
 *   users: [{ id, realName, isBot }], channels: [{ id, name }],
 *   errors: { [blockId]: message },          // inline errors under input blocks
 *   draft: { [blockId]: value },             // what the person typed before a re-render
 *   inputs: Map<blockId, { element, read(): Promise<value> }>, // filled while rendering a modal
 *   act(block, element, { press } | { value }) -> Promise,
 *   suggest(block, element, query) -> Promise<options>,
 * }
 */

function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'html') node.innerHTML = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of [].concat(children)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

export function unsupported(kind, what, json) {
  return el('div', { class: 'unsupported', 'data-unsupported': what }, [
    el('strong', { text: `Unsupported ${kind}: ${what}` }),
    el('pre', { text: JSON.stringify(json, null, 2).slice(0, 1200) }),
  ]);
}

const text = (object, ctx) => renderTextObject(object, ctx.names);
const plain = (object, ctx) => plainTextOf(object, ctx.names);

function optionNode(option, ctx, selected) {
  return el('option', { value: option.value, selected }, plain(option.text, ctx));
}

function confirmFirst(element, ctx) {
  const confirm = element.confirm;
  if (!confirm) return true;
  const lines = [plain(confirm.title, ctx), plain(confirm.text, ctx)].filter(Boolean).join('\n\n');
  return window.confirm(lines);
}

// ---------------------------------------------------------------- elements

function button(block, element, ctx) {
  const classes = [
    'btn',
    element.style === 'primary' ? 'primary' : '',
    element.style === 'danger' ? 'danger' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return el('button', {
    type: 'button',
    class: classes,
    'data-action-id': element.action_id,
    'data-value': element.value,
    html: text(element.text, ctx),
    onclick: (event) => {
      const node = event.currentTarget;
      if (!confirmFirst(element, ctx)) return;
      if (element.url) window.open(element.url, '_blank', 'noopener');
      node.disabled = true;
      void ctx.act(block, element, { press: true }).finally(() => {
        node.disabled = false;
      });
    },
  });
}

/** Inputs report their value on submission; outside an input block a change is an action. */
function reportChange(block, element, ctx, value) {
  if (block.type === 'input' && block.dispatch_action !== true) return;
  if (!confirmFirst(element, ctx)) return;
  void ctx.act(block, element, { value });
}

function staticSelect(block, element, ctx, multiple) {
  const draft = ctx.draft[block.block_id];
  const initial = multiple
    ? (draft ?? (element.initial_options ?? []).map((o) => o.value))
    : (draft ?? element.initial_option?.value ?? '');
  const isSelected = (value) => (multiple ? initial.includes(value) : initial === value);
  const select = el('select', { 'data-action-id': element.action_id, multiple });
  if (!multiple) select.append(el('option', { value: '' }, plain(element.placeholder, ctx) || 'Choose…'));
  for (const option of element.options ?? [])
    select.append(optionNode(option, ctx, isSelected(option.value)));
  for (const group of element.option_groups ?? []) {
    const node = el('optgroup', { label: plain(group.label, ctx) });
    for (const option of group.options ?? []) node.append(optionNode(option, ctx, isSelected(option.value)));
    select.append(node);
  }
  const read = () =>
    multiple ? [...select.selectedOptions].map((o) => o.value) : select.value === '' ? null : select.value;
  select.addEventListener('change', () => reportChange(block, element, ctx, read()));
  return { node: select, read };
}

function userSelect(block, element, ctx, multiple) {
  const draft = ctx.draft[block.block_id];
  const initial = multiple ? (draft ?? element.initial_users ?? []) : (draft ?? element.initial_user ?? '');
  const select = el('select', { 'data-action-id': element.action_id, multiple });
  if (!multiple)
    select.append(el('option', { value: '' }, plain(element.placeholder, ctx) || 'Choose a person…'));
  for (const user of ctx.users.filter((u) => !u.isBot)) {
    const selected = multiple ? initial.includes(user.id) : initial === user.id;
    select.append(el('option', { value: user.id, selected }, user.realName));
  }
  const read = () =>
    multiple ? [...select.selectedOptions].map((o) => o.value) : select.value === '' ? null : select.value;
  select.addEventListener('change', () => reportChange(block, element, ctx, read()));
  return { node: select, read };
}

function conversationSelect(block, element, ctx, multiple) {
  const initialKey = element.type.includes('channel') ? 'initial_channel' : 'initial_conversation';
  const draft = ctx.draft[block.block_id];
  const initial = multiple
    ? (draft ?? element[`${initialKey}s`] ?? [])
    : (draft ?? element[initialKey] ?? '');
  const select = el('select', { 'data-action-id': element.action_id, multiple });
  if (!multiple)
    select.append(el('option', { value: '' }, plain(element.placeholder, ctx) || 'Choose a channel…'));
  for (const channel of ctx.channels) {
    const selected = multiple ? initial.includes(channel.id) : initial === channel.id;
    select.append(el('option', { value: channel.id, selected }, `#${channel.name}`));
  }
  const read = () =>
    multiple ? [...select.selectedOptions].map((o) => o.value) : select.value === '' ? null : select.value;
  select.addEventListener('change', () => reportChange(block, element, ctx, read()));
  return { node: select, read };
}

/** A typeahead that asks the app for options (block_suggestion), as Slack's external_select does. */
function externalSelect(block, element, ctx, multiple) {
  const minLength = typeof element.min_query_length === 'number' ? element.min_query_length : 3;
  const draft = ctx.draft[block.block_id];
  let chosen = multiple
    ? (draft ?? (element.initial_options ?? []).map((o) => ({ text: plain(o.text, ctx), value: o.value })))
    : (draft ??
      (element.initial_option
        ? { text: plain(element.initial_option.text, ctx), value: element.initial_option.value }
        : null));
  const input = el('input', {
    type: 'text',
    class: 'typeahead-input',
    autocomplete: 'off',
    placeholder: plain(element.placeholder, ctx) || 'Type to search…',
    'data-action-id': element.action_id,
  });
  const list = el('ul', { class: 'typeahead-options', role: 'listbox', hidden: true });
  const chips = el('div', { class: 'chips' });
  const status = el('div', { class: 'typeahead-status' });
  const wrapper = el('div', { class: 'typeahead', 'data-action-id': element.action_id }, [
    chips,
    input,
    list,
    status,
  ]);
  let timer;
  let asked = 0;

  const showChosen = () => {
    chips.replaceChildren();
    if (multiple) {
      for (const option of chosen) {
        chips.append(
          el('span', { class: 'chip' }, [
            option.text,
            el('button', {
              type: 'button',
              class: 'chip-remove',
              text: '×',
              onclick: () => {
                chosen = chosen.filter((o) => o.value !== option.value);
                showChosen();
              },
            }),
          ]),
        );
      }
    } else if (chosen && document.activeElement !== input) {
      input.value = chosen.text;
    }
    wrapper.dataset.selected = multiple ? chosen.map((o) => o.value).join(',') : (chosen?.value ?? '');
  };
  const pick = (option) => {
    // A search still waiting to run (or to answer) must not reopen the list over the choice.
    clearTimeout(timer);
    asked += 1;
    const picked = { text: plain(option.text, ctx), value: option.value };
    if (multiple) {
      if (!chosen.some((o) => o.value === picked.value)) chosen = [...chosen, picked];
      input.value = '';
    } else {
      chosen = picked;
      input.value = picked.text;
    }
    list.hidden = true;
    showChosen();
    reportChange(block, element, ctx, multiple ? chosen : chosen);
  };
  const ask = async () => {
    // A modal that closed (or re-rendered) no longer asks for options.
    if (!input.isConnected) return;
    const query = input.value;
    if (query.length < minLength) {
      list.hidden = true;
      status.textContent = minLength > 0 ? `Type at least ${minLength} characters` : '';
      return;
    }
    const mine = ++asked;
    status.textContent = 'Searching…';
    let options = [];
    try {
      options = await ctx.suggest(block, element, query);
    } catch (error) {
      status.textContent = String(error.message ?? error);
      return;
    }
    if (mine !== asked) return;
    status.textContent = options.length === 0 ? 'No results' : '';
    list.replaceChildren(
      ...options.map((option) =>
        el(
          'li',
          {
            role: 'option',
            class: 'typeahead-option',
            'data-value': option.value,
            onmousedown: (event) => {
              event.preventDefault();
              pick(option);
            },
          },
          [
            el('span', { class: 'option-text', text: plain(option.text, ctx) }),
            option.description
              ? el('span', { class: 'option-description', text: plain(option.description, ctx) })
              : null,
          ],
        ),
      ),
    );
    list.hidden = options.length === 0;
  };
  input.addEventListener('input', () => {
    if (!multiple) chosen = null;
    clearTimeout(timer);
    timer = setTimeout(ask, 200);
  });
  input.addEventListener('focus', () => {
    if (minLength === 0 && (multiple || !chosen)) void ask();
  });
  input.addEventListener('blur', () => {
    setTimeout(() => {
      list.hidden = true;
      if (!multiple && chosen) input.value = chosen.text;
    }, 150);
  });
  showChosen();
  return { node: wrapper, read: () => (multiple ? chosen : chosen) };
}

function textInput(block, element, ctx) {
  const draft = ctx.draft[block.block_id];
  const initial = draft ?? element.initial_value ?? '';
  const type =
    element.type === 'email_text_input' ? 'email' : element.type === 'url_text_input' ? 'url' : 'text';
  const attributes = {
    'data-action-id': element.action_id,
    placeholder: plain(element.placeholder, ctx),
    maxlength: element.max_length,
    minlength: element.min_length,
  };
  const node = element.multiline
    ? el('textarea', { ...attributes, rows: 4 })
    : el('input', {
        ...attributes,
        type,
        inputmode:
          element.type === 'number_input' ? (element.is_decimal_allowed ? 'decimal' : 'numeric') : undefined,
      });
  node.value = typeof initial === 'string' ? initial : String(initial);
  const read = () => (node.value === '' ? null : node.value);
  if (block.type !== 'input' || block.dispatch_action === true) {
    const onEachCharacter = (element.dispatch_action_config?.trigger_actions_on ?? []).includes(
      'on_character_entered',
    );
    node.addEventListener(
      onEachCharacter ? 'input' : 'change',
      () => void ctx.act(block, element, { value: read() }),
    );
  }
  return { node, read };
}

function richTextInput(block, element, ctx) {
  const node = el('textarea', {
    rows: 4,
    'data-action-id': element.action_id,
    placeholder: plain(element.placeholder, ctx),
  });
  node.value = ctx.draft[block.block_id] ?? '';
  return { node, read: () => node.value };
}

function picker(block, element, ctx) {
  const kinds = { datepicker: 'date', timepicker: 'time', datetimepicker: 'datetime-local' };
  const node = el('input', { type: kinds[element.type], 'data-action-id': element.action_id });
  const draft = ctx.draft[block.block_id];
  if (element.type === 'datetimepicker') {
    const initial = draft ?? element.initial_date_time;
    if (typeof initial === 'number') node.value = new Date(initial * 1000).toISOString().slice(0, 16);
  } else {
    node.value = draft ?? element.initial_date ?? element.initial_time ?? '';
  }
  const read = () => {
    if (node.value === '') return null;
    if (element.type === 'datetimepicker') return Math.floor(new Date(`${node.value}:00Z`).getTime() / 1000);
    return node.value;
  };
  node.addEventListener('change', () => reportChange(block, element, ctx, read()));
  return { node, read };
}

function choiceList(block, element, ctx) {
  const isRadio = element.type === 'radio_buttons';
  const draft = ctx.draft[block.block_id];
  const initial = isRadio
    ? (draft ?? element.initial_option?.value ?? null)
    : (draft ?? (element.initial_options ?? []).map((o) => o.value));
  const name = `${block.block_id}:${element.action_id}:${Math.random().toString(36).slice(2)}`;
  const boxes = [];
  const read = () => {
    const checked = boxes.filter((b) => b.checked).map((b) => b.value);
    return isRadio ? (checked[0] ?? null) : checked;
  };
  const node = el(
    'div',
    { class: 'choices', 'data-action-id': element.action_id },
    (element.options ?? []).map((option) => {
      const box = el('input', {
        type: isRadio ? 'radio' : 'checkbox',
        name,
        value: option.value,
        checked: isRadio ? initial === option.value : initial.includes(option.value),
        onchange: () => reportChange(block, element, ctx, read()),
      });
      boxes.push(box);
      return el('label', { class: 'choice' }, [
        box,
        el('span', {}, [
          el('span', { html: text(option.text, ctx) }),
          option.description
            ? el('span', { class: 'choice-description', html: text(option.description, ctx) })
            : null,
        ]),
      ]);
    }),
  );
  return { node, read };
}

function overflow(block, element, ctx) {
  const menu = el('div', { class: 'overflow-menu', hidden: true });
  for (const option of element.options ?? []) {
    menu.append(
      el('button', {
        type: 'button',
        class: 'overflow-option',
        'data-value': option.value,
        text: plain(option.text, ctx),
        onclick: () => {
          menu.hidden = true;
          if (option.url) window.open(option.url, '_blank', 'noopener');
          if (confirmFirst(element, ctx)) void ctx.act(block, element, { value: option.value });
        },
      }),
    );
  }
  const toggle = el('button', {
    type: 'button',
    class: 'btn overflow-toggle',
    title: 'More actions',
    'data-action-id': element.action_id,
    text: '⋯',
    onclick: () => {
      menu.hidden = !menu.hidden;
    },
  });
  return { node: el('span', { class: 'overflow' }, [toggle, menu]), read: () => null };
}

function fileInput(block, element, ctx) {
  const accept = (element.filetypes ?? []).map((t) => `.${t}`).join(',') || undefined;
  const node = el('input', {
    type: 'file',
    multiple: (element.max_files ?? 10) > 1,
    accept,
    'data-action-id': element.action_id,
  });
  const read = () =>
    Promise.all(
      [...node.files].map(
        (file) =>
          new Promise((resolve, reject) => {
            const reader = new FileReader();
            reader.onload = () => {
              const data = String(reader.result);
              resolve({
                name: file.name,
                mimetype: file.type,
                contentBase64: data.slice(data.indexOf(',') + 1),
              });
            };
            reader.onerror = () => reject(reader.error);
            reader.readAsDataURL(file);
          }),
      ),
    );
  void ctx;
  return { node, read };
}

function imageElement(element) {
  return el('img', {
    class: 'image-element',
    src: element.image_url,
    alt: element.alt_text,
    title: element.alt_text,
  });
}

/** Any interactive element, as a DOM node plus how to read its value. */
export function renderElement(block, element, ctx) {
  switch (element.type) {
    case 'button':
      return { node: button(block, element, ctx), read: () => null };
    case 'static_select':
      return staticSelect(block, element, ctx, false);
    case 'multi_static_select':
      return staticSelect(block, element, ctx, true);
    case 'external_select':
      return externalSelect(block, element, ctx, false);
    case 'multi_external_select':
      return externalSelect(block, element, ctx, true);
    case 'users_select':
      return userSelect(block, element, ctx, false);
    case 'multi_users_select':
      return userSelect(block, element, ctx, true);
    case 'conversations_select':
    case 'channels_select':
      return conversationSelect(block, element, ctx, false);
    case 'multi_conversations_select':
    case 'multi_channels_select':
      return conversationSelect(block, element, ctx, true);
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return textInput(block, element, ctx);
    case 'rich_text_input':
      return richTextInput(block, element, ctx);
    case 'datepicker':
    case 'timepicker':
    case 'datetimepicker':
      return picker(block, element, ctx);
    case 'checkboxes':
    case 'radio_buttons':
      return choiceList(block, element, ctx);
    case 'overflow':
      return overflow(block, element, ctx);
    case 'file_input':
      return fileInput(block, element, ctx);
    case 'image':
      return { node: imageElement(element), read: () => null };
    default:
      return { node: unsupported('element', element.type ?? '(no type)', element), read: () => null };
  }
}

// ---------------------------------------------------------------- rich text

function richTextElements(elements, ctx) {
  return (elements ?? []).map((item) => {
    switch (item.type) {
      case 'text': {
        let node = document.createTextNode(item.text ?? '');
        const style = item.style ?? {};
        if (style.code) node = el('code', {}, [node]);
        if (style.bold) node = el('strong', {}, [node]);
        if (style.italic) node = el('em', {}, [node]);
        if (style.strike) node = el('del', {}, [node]);
        return node;
      }
      case 'link':
        return /^(https?:|mailto:)/i.test(item.url ?? '')
          ? el('a', {
              href: item.url,
              target: '_blank',
              rel: 'noopener noreferrer',
              text: item.text || item.url,
            })
          : document.createTextNode(item.text || item.url || '');
      case 'user':
        return el('span', { class: 'mention', text: `@${ctx.names.userName(item.user_id) || item.user_id}` });
      case 'channel':
        return el('span', {
          class: 'mention channel',
          text: `#${ctx.names.channelName(item.channel_id) || item.channel_id}`,
        });
      case 'usergroup':
        return el('span', { class: 'mention special', text: `@${item.usergroup_id}` });
      case 'broadcast':
        return el('span', { class: 'mention special', text: `@${item.range}` });
      case 'emoji':
        return el('span', {
          class: 'emoji',
          html: renderTextObject({ type: 'plain_text', text: `:${item.name}:` }, ctx.names),
        });
      case 'date':
        return el('span', {
          class: 'date',
          text: item.fallback ?? new Date(item.timestamp * 1000).toUTCString(),
        });
      default:
        return unsupported('rich text element', item.type, item);
    }
  });
}

function richTextPart(part, ctx) {
  switch (part.type) {
    case 'rich_text_section':
      return el('div', { class: 'rt-section' }, richTextElements(part.elements, ctx));
    case 'rich_text_preformatted':
      return el('pre', {}, richTextElements(part.elements, ctx));
    case 'rich_text_quote':
      return el('blockquote', {}, richTextElements(part.elements, ctx));
    case 'rich_text_list': {
      const list = el(part.style === 'ordered' ? 'ol' : 'ul', {
        class: `rt-list indent-${part.indent ?? 0}`,
      });
      for (const item of part.elements ?? []) list.append(el('li', {}, richTextElements(item.elements, ctx)));
      return list;
    }
    default:
      return unsupported('rich text part', part.type, part);
  }
}

// ---------------------------------------------------------------- blocks

function blockNode(block, children, extraClass = '') {
  return el(
    'div',
    { class: `block block-${block.type} ${extraClass}`.trim(), 'data-block-id': block.block_id },
    children,
  );
}

function sectionBlock(block, ctx) {
  const main = el('div', { class: 'section-main' });
  if (block.text) main.append(el('div', { class: 'section-text', html: text(block.text, ctx) }));
  if (block.fields) {
    main.append(
      el(
        'div',
        { class: 'section-fields' },
        block.fields.map((f) => el('div', { class: 'field', html: text(f, ctx) })),
      ),
    );
  }
  const children = [main];
  if (block.accessory)
    children.push(
      el('div', { class: 'section-accessory' }, [renderElement(block, block.accessory, ctx).node]),
    );
  return blockNode(block, children);
}

function inputBlock(block, ctx) {
  const element = block.element ?? {};
  const rendered = renderElement(block, element, ctx);
  if (ctx.inputs) ctx.inputs.set(block.block_id, { element, read: rendered.read });
  const error = ctx.errors?.[block.block_id];
  return blockNode(
    block,
    [
      el('label', { class: 'input-label' }, [
        el('span', { html: text(block.label, ctx) }),
        block.optional ? el('span', { class: 'optional', text: ' (optional)' }) : null,
      ]),
      rendered.node,
      block.hint ? el('div', { class: 'hint', html: text(block.hint, ctx) }) : null,
      error ? el('div', { class: 'input-error', role: 'alert', text: error }) : null,
    ],
    error ? 'has-error' : '',
  );
}

export function renderBlock(block, ctx) {
  switch (block.type) {
    case 'section':
      return sectionBlock(block, ctx);
    case 'header':
      return blockNode(block, [el('h3', { html: text(block.text, ctx) })]);
    case 'divider':
      return blockNode(block, [el('hr')]);
    case 'context':
      return blockNode(
        block,
        (block.elements ?? []).map((item) =>
          item.type === 'image'
            ? imageElement(item)
            : item.type === 'mrkdwn' || item.type === 'plain_text'
              ? el('span', { class: 'context-text', html: text(item, ctx) })
              : unsupported('context element', item.type, item),
        ),
      );
    case 'actions':
      return blockNode(
        block,
        (block.elements ?? []).map((element) => renderElement(block, element, ctx).node),
      );
    case 'input':
      return inputBlock(block, ctx);
    case 'image':
      return blockNode(block, [
        block.title ? el('div', { class: 'image-title', html: text(block.title, ctx) }) : null,
        el('img', {
          src: block.image_url ?? block.slack_file?.url,
          alt: block.alt_text,
          title: block.alt_text,
        }),
        el('div', { class: 'image-alt', text: block.alt_text }),
      ]);
    case 'rich_text':
      return blockNode(
        block,
        (block.elements ?? []).map((part) => richTextPart(part, ctx)),
      );
    case 'markdown':
      // Standard markdown: close enough to mrkdwn once **bold** is folded into *bold*.
      return blockNode(block, [
        el('div', {
          html: renderTextObject(
            { type: 'mrkdwn', text: String(block.text ?? '').replace(/\*\*(.+?)\*\*/g, '*$1*') },
            ctx.names,
          ),
        }),
      ]);
    default:
      return unsupported('block', block.type ?? '(no type)', block);
  }
}

export function renderBlocks(blocks, ctx) {
  return el(
    'div',
    { class: 'blocks' },
    (blocks ?? []).map((block) => renderBlock(block, ctx)),
  );
}

export { el, escapeHtml };
