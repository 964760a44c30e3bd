// The composer's mention picker, as in Slack: typing `@` lists the workspace's people (full name and
// handle, filtered as you type); up/down/enter/tab or a click inserts `@handle`. The sandbox server
// then escapes it the way Slack's client does (`<@U…|handle>` in a slash command, `<@U…>` in a message).
import { el } from './block-kit.js';

const maxShown = 8;
/** `@` at the start or after a space or opening punctuation, then the query up to the caret (one space allowed, for "Sara Or"). */
const queryBeforeCaret = /(^|[\s([{"'“‘,;])@([^\s@]*(?: [^\s@]*)?)$/u;

function matches(user, query) {
  if (query === '') return true;
  const q = query.toLowerCase();
  const names = [user.name, user.realName, ...user.realName.split(/\s+/)].map((n) => n.toLowerCase());
  return names.some((n) => n.startsWith(q));
}

/**
 * Wires the picker to a text input. `users()` gives the snapshot's users ({ id, name, realName, isBot }).
 * Returns `{ close }`.
 */
export function attachMentionPicker(input, users) {
  const list = el('ul', { id: 'mention-picker', class: 'mention-picker', role: 'listbox', hidden: true });
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', 'mention-picker');
  input.setAttribute('aria-expanded', 'false');
  input.insertAdjacentElement('afterend', list);
  let shown = [];
  let active = 0;
  let start = -1;

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    shown = [];
    start = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };

  const highlight = () => {
    [...list.children].forEach((node, index) => {
      node.classList.toggle('active', index === active);
      node.setAttribute('aria-selected', index === active ? 'true' : 'false');
    });
    input.setAttribute('aria-activedescendant', `mention-option-${active}`);
    list.children[active]?.scrollIntoView({ block: 'nearest' });
  };

  const pick = (user) => {
    const caret = input.selectionStart ?? input.value.length;
    const before = input.value.slice(0, start);
    const after = input.value.slice(caret).replace(/^\S*/, '');
    const inserted = `@${user.name}${after.startsWith(' ') ? '' : ' '}`;
    input.value = before + inserted + after;
    const at = before.length + inserted.length + (after.startsWith(' ') ? 1 : 0);
    input.setSelectionRange(at, at);
    close();
    input.focus();
  };

  const update = () => {
    const caret = input.selectionStart ?? input.value.length;
    const found = queryBeforeCaret.exec(input.value.slice(0, caret));
    if (!found) return close();
    const query = found[2] ?? '';
    shown = users()
      .filter((u) => matches(u, query))
      // People first, then apps; each by full name.
      .sort((a, b) => Number(a.isBot) - Number(b.isBot) || a.realName.localeCompare(b.realName))
      .slice(0, maxShown);
    if (shown.length === 0) return close();
    start = caret - query.length - 1;
    active = Math.min(active, shown.length - 1);
    list.replaceChildren(
      ...shown.map((user, index) =>
        el(
          'li',
          {
            id: `mention-option-${index}`,
            class: 'mention-option',
            role: 'option',
            'data-user-id': user.id,
            'data-handle': user.name,
            // Keeps the focus (and the caret) in the composer.
            onmousedown: (event) => event.preventDefault(),
            onclick: () => pick(user),
          },
          [
            el('span', { class: 'mention-real-name', text: user.realName }),
            el('span', { class: 'mention-handle', text: `@${user.name}` }),
            user.isBot ? el('span', { class: 'app-badge', text: 'APP' }) : null,
          ],
        ),
      ),
    );
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight();
  };

  input.addEventListener('input', () => {
    active = 0;
    update();
  });
  input.addEventListener('click', update);
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (event) => {
    if (list.hidden || shown.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      active = (active + step + shown.length) % shown.length;
      highlight();
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      // Enter picks the person instead of sending the message.
      event.preventDefault();
      const user = shown[active];
      if (user) pick(user);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  return { close };
}
