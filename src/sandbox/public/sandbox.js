/* global document, window, EventSource, localStorage */
// The sandbox page: a small Slack-like client over the fake Slack workspace. Every click, typeahead
// and submission goes to /sandbox/api/*, which sends it to the app as a signed Slack request; the
// page then shows what the app did (it refreshes whenever the server says something changed).
import { el, renderBlocks } from './block-kit.js';
import { attachMentionPicker } from './mention-picker.js';
import { escapeHtml, renderMrkdwn } from './mrkdwn.js';

const api = '/sandbox/api';
const state = {
  me: localStorage.getItem('custodian-sandbox:user') ?? undefined,
  /** `home`, `messages` (the app's DM) or a channel name. */
  place: localStorage.getItem('custodian-sandbox:place') ?? 'home',
  snapshot: undefined,
  drafts: {},
  clientErrors: {},
  /** What is on screen; `undefined` forces the next render to redraw (an empty modal key means no modal). */
  keys: { main: undefined, modal: undefined },
  modalInputs: new Map(),
  busy: 0,
  homeOpenedFor: undefined,
};

// ---------------------------------------------------------------- server calls

async function call(route, body) {
  state.busy += 1;
  showBusy();
  try {
    const response = await fetch(`${api}/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
    if (!answer.ok) {
      // A form the Slack client refuses shows its problems under the fields, as Slack does; no toast.
      const inline = answer.kind === 'client' && answer.errors && Object.keys(answer.errors).length > 0;
      if (!inline) toast(answer.error ?? 'Something went wrong', answer.kind);
      return answer;
    }
    return answer;
  } catch (error) {
    toast(`The sandbox server did not answer: ${error.message ?? error}`, 'error');
    return { ok: false, error: String(error) };
  } finally {
    state.busy -= 1;
    showBusy();
    scheduleLoad();
  }
}

let loading = false;
let loadAgain = false;
async function load() {
  if (loading) {
    loadAgain = true;
    return;
  }
  loading = true;
  try {
    const asked = state.me;
    const user = asked ? `?user=${encodeURIComponent(asked)}` : '';
    const response = await fetch(`${api}/state${user}`);
    if (state.me !== asked) {
      // The person changed while this was loading: this answer is someone else's.
      loadAgain = true;
      return;
    }
    if (response.status === 503) {
      setTimeout(scheduleLoad, 500);
      return;
    }
    if (response.status === 404 && state.me) {
      state.me = undefined;
      loadAgain = true;
      return;
    }
    state.snapshot = await response.json();
    state.me = state.snapshot.me;
    render();
  } finally {
    loading = false;
    if (loadAgain) {
      loadAgain = false;
      void load();
    }
  }
}

let loadTimer;
function scheduleLoad() {
  if (loadTimer !== undefined) return;
  loadTimer = setTimeout(() => {
    loadTimer = undefined;
    void load();
  }, 20);
}

// ---------------------------------------------------------------- page frame

const frame = {};

function buildFrame() {
  const root = document.getElementById('app');
  root.className = 'sandbox';
  root.replaceChildren();
  frame.who = el('select', {
    id: 'who',
    'aria-label': 'Who you are',
    onchange: () => switchPerson(frame.who.value),
  });
  frame.clock = el('span', { id: 'clock-now', class: 'clock-now' });
  frame.busy = el('span', { id: 'busy', class: 'busy' });
  frame.meCard = el('div', { id: 'me-card', class: 'me-card' });
  frame.nav = el('div', { id: 'nav', class: 'nav' });
  frame.title = el('div', { id: 'pane-title', class: 'pane-title' });
  frame.body = el('div', { id: 'pane-body', class: 'pane-body' });
  frame.composerInput = el('input', {
    id: 'composer-input',
    type: 'text',
    autocomplete: 'off',
    placeholder: 'Type /asset help',
  });
  frame.composer = el('form', { id: 'composer', class: 'composer', onsubmit: sendComposer }, [
    frame.composerInput,
    el('button', { type: 'submit', class: 'btn primary', text: 'Send' }),
  ]);
  frame.mentions = attachMentionPicker(frame.composerInput, () => state.snapshot?.users ?? []);
  frame.modalRoot = el('div', { id: 'modal-root' });
  frame.toasts = el('div', { id: 'toasts', class: 'toasts', 'aria-live': 'polite' });
  root.append(
    el('header', { class: 'topbar' }, [
      el('div', { class: 'brand' }, [
        el('strong', { text: 'Custodian' }),
        el('span', { class: 'tag', text: 'sandbox' }),
      ]),
      el('label', { class: 'who' }, ['You are ', frame.who]),
      el('div', { class: 'clock' }, [
        el('span', { class: 'clock-label', text: "App's date" }),
        frame.clock,
        el('button', {
          type: 'button',
          id: 'advance-1',
          class: 'btn',
          text: '+1 day',
          onclick: () => advance(1),
        }),
        el('button', {
          type: 'button',
          id: 'advance-30',
          class: 'btn',
          text: '+30 days',
          onclick: () => advance(30),
        }),
      ]),
      frame.busy,
      el('button', {
        type: 'button',
        id: 'reset',
        class: 'btn danger',
        text: 'Reset demo',
        onclick: resetDemo,
      }),
    ]),
    el('div', { class: 'workspace' }, [
      el('nav', { class: 'sidebar' }, [frame.meCard, frame.nav]),
      el('main', { class: 'pane' }, [frame.title, frame.body, frame.composer]),
    ]),
    frame.modalRoot,
    frame.toasts,
  );
}

function showBusy() {
  document.body.dataset.busy = String(state.busy);
  if (frame.busy) frame.busy.textContent = state.busy > 0 ? 'Sending to the app…' : '';
}

function toast(message, kind = 'error') {
  const prefix = kind === 'client' ? 'Slack would not send this: ' : '';
  const node = el('div', { class: `toast ${kind}`, role: 'alert', 'data-kind': kind }, [
    el('span', { text: prefix + message }),
    el('button', { type: 'button', class: 'toast-close', text: '×', onclick: () => node.remove() }),
  ]);
  frame.toasts.append(node);
  setTimeout(() => node.remove(), 10_000);
}

// ---------------------------------------------------------------- helpers over the snapshot

function names() {
  const snapshot = state.snapshot;
  const users = new Map(snapshot.users.map((u) => [u.id, u.realName]));
  const channels = new Map(snapshot.conversations.map((c) => [c.id, c.name]));
  return { userName: (id) => users.get(id), channelName: (id) => channels.get(id) };
}

function conversationFor(place) {
  const conversations = state.snapshot.conversations;
  if (place === 'messages') return conversations.find((c) => c.kind === 'app');
  return conversations.find((c) => c.kind !== 'app' && c.name === place);
}

function formatDate(iso, withTime = true) {
  const options = {
    timeZone: state.snapshot.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  };
  if (withTime) Object.assign(options, { hour: '2-digit', minute: '2-digit' });
  return new Intl.DateTimeFormat('en-GB', options).format(new Date(iso));
}

function formatTs(ts) {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: state.snapshot.timeZone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(Number(ts.split('.')[0]) * 1000));
}

function blockContext(surface, extra = {}) {
  const snapshot = state.snapshot;
  return {
    names: names(),
    users: snapshot.users,
    channels: snapshot.conversations.filter((c) => c.kind !== 'app'),
    errors: {},
    draft: {},
    inputs: undefined,
    act: (block, element, how) =>
      call('action', {
        user: state.me,
        where: surface,
        actionId: element.action_id,
        blockId: block.block_id,
        press: how.press === true,
        ...(how.press ? {} : { value: how.value ?? null }),
      }),
    suggest: async (block, element, query) => {
      const answer = await call('suggest', {
        user: state.me,
        where: surface,
        actionId: element.action_id,
        blockId: block.block_id,
        query,
      });
      if (!answer.ok) throw new Error(answer.error);
      return answer.options;
    },
    ...extra,
  };
}

// ---------------------------------------------------------------- rendering

function render() {
  const snapshot = state.snapshot;
  document.body.dataset.seq = String(snapshot.seq);
  document.body.dataset.user = snapshot.me;
  renderPeople();
  renderClock();
  if (state.place !== 'home' && !conversationFor(state.place)) state.place = 'home';
  renderNav();
  renderMain();
  renderModal();
}

function renderPeople() {
  const snapshot = state.snapshot;
  const key = JSON.stringify([snapshot.people, snapshot.me]);
  if (frame.who.dataset.key !== key) {
    frame.who.dataset.key = key;
    frame.who.replaceChildren(
      ...snapshot.people.map((p) =>
        el('option', { value: p.id, selected: p.id === snapshot.me }, `${p.realName} — ${p.persona}`),
      ),
    );
  }
  const me = snapshot.people.find((p) => p.id === snapshot.me);
  if (!me) return;
  frame.meCard.replaceChildren(
    el('div', { class: 'me-name', text: me.realName }),
    el('div', { class: 'me-line', text: me.title }),
    el('div', {
      class: 'me-line',
      text: [me.department, me.managerName ? `reports to ${me.managerName}` : ''].filter(Boolean).join(' · '),
    }),
    el(
      'div',
      { class: 'roles' },
      me.roles.map((r) => el('span', { class: `role role-${r}`, text: r })),
    ),
  );
}

function renderClock() {
  const snapshot = state.snapshot;
  frame.clock.textContent = formatDate(snapshot.now);
  frame.clock.dataset.now = snapshot.now;
  frame.clock.title = `${snapshot.timeZone}; moved forward ${snapshot.clockOffsetDays} day(s)`;
  frame.clock.classList.toggle('moved', snapshot.clockOffsetDays > 0);
}

function navItem(place, label, kind) {
  const active = state.place === place;
  return el('button', {
    type: 'button',
    class: `nav-item ${active ? 'active' : ''}`,
    'data-place': place,
    'data-kind': kind,
    onclick: () => go(place),
    html: label,
  });
}

function renderNav() {
  const snapshot = state.snapshot;
  const channels = snapshot.conversations.filter((c) => c.kind !== 'app');
  frame.nav.replaceChildren(
    el('div', { class: 'nav-section', text: 'Custodian app' }),
    navItem('home', 'Home', 'home'),
    navItem('messages', `Messages${countOf('messages')}`, 'app'),
    el('div', { class: 'nav-section', text: 'Channels' }),
    ...channels.map((c) =>
      navItem(
        c.name,
        `# ${escapeHtml(c.name)}${c.kind === 'private' ? ' <span class="private">private</span>' : ''}${countOf(c.name)}`,
        c.kind,
      ),
    ),
  );
}

function countOf(place) {
  const conversation = conversationFor(place);
  const count = conversation ? (state.snapshot.messages[conversation.id] ?? []).length : 0;
  return count > 0 ? ` <span class="count">${count}</span>` : '';
}

function renderMain() {
  const snapshot = state.snapshot;
  if (state.place === 'home') {
    const home = snapshot.home;
    const key = JSON.stringify(['home', snapshot.me, home?.id, home?.hash, home?.blocks]);
    frame.composer.hidden = true;
    if (key === state.keys.main) return;
    state.keys.main = key;
    frame.title.replaceChildren(el('span', { text: 'Custodian — Home' }));
    frame.body.replaceChildren(
      home
        ? el('div', { class: 'home', id: 'home', 'data-view-id': home.id }, [
            renderBlocks(home.blocks, blockContext({ view: home.id })),
          ])
        : el('div', {
            class: 'empty',
            text: 'Opening the Home tab… (the app publishes it when you open it)',
          }),
    );
    if (state.homeOpenedFor !== snapshot.me) {
      state.homeOpenedFor = snapshot.me;
      void call('home', { user: snapshot.me });
    }
    return;
  }
  const conversation = conversationFor(state.place);
  const messages = snapshot.messages[conversation.id] ?? [];
  const key = JSON.stringify(['conversation', snapshot.me, conversation.id, messages, snapshot.users.length]);
  frame.composer.hidden = false;
  frame.composerInput.placeholder =
    conversation.kind === 'app'
      ? 'Message Custodian — try /asset help'
      : `Message #${conversation.name} — try /asset help`;
  if (key === state.keys.main) return;
  const wasNearBottom = frame.body.scrollHeight - frame.body.scrollTop - frame.body.clientHeight < 80;
  const sameConversation = frame.body.dataset.conversation === conversation.id;
  state.keys.main = key;
  frame.title.replaceChildren(
    el('span', {
      text: conversation.kind === 'app' ? 'Custodian — Messages' : `# ${conversation.name}`,
    }),
  );
  frame.body.dataset.conversation = conversation.id;
  frame.body.replaceChildren(
    messages.length === 0
      ? el('div', { class: 'empty', text: 'No messages yet. Type /asset help below.' })
      : el(
          'div',
          { class: 'messages' },
          messages.map((m) => renderMessage(conversation, m)),
        ),
  );
  if (wasNearBottom || !sameConversation) frame.body.scrollTop = frame.body.scrollHeight;
}

function renderMessage(conversation, message) {
  const ctx = blockContext({ message: { channel: conversation.id, ts: message.ts } });
  const body =
    message.blocks && message.blocks.length > 0
      ? renderBlocks(message.blocks, ctx)
      : el('div', { class: 'message-text', html: renderMrkdwn(message.text, ctx.names) });
  return el(
    'div',
    {
      class: `message ${message.ephemeral ? 'ephemeral' : ''} ${message.fromApp ? 'from-app' : ''}`,
      'data-ts': message.ts,
      'data-ephemeral': message.ephemeral ? 'true' : 'false',
    },
    [
      el('div', { class: 'avatar', text: message.fromApp ? 'C' : (message.author[0] ?? '?') }),
      el('div', { class: 'message-main' }, [
        el('div', { class: 'message-meta' }, [
          el('strong', { text: message.fromApp ? 'Custodian' : message.author }),
          message.fromApp ? el('span', { class: 'app-badge', text: 'APP' }) : null,
          el('span', { class: 'time', text: formatTs(message.ts) }),
          message.edited ? el('span', { class: 'edited', text: '(edited)' }) : null,
          message.ephemeral ? el('span', { class: 'only-you', text: 'Only visible to you' }) : null,
          message.threadTs && message.threadTs !== message.ts
            ? el('span', { class: 'in-thread', text: 'replied in a thread' })
            : null,
        ]),
        body,
      ]),
    ],
  );
}

function collectDrafts(viewId) {
  const draft = state.drafts[viewId] ?? {};
  for (const [blockId, input] of state.modalInputs) {
    if (input.element.type === 'file_input') continue;
    draft[blockId] = input.read();
  }
  state.drafts[viewId] = draft;
}

function renderModal() {
  const modals = state.snapshot.modals;
  const view = modals[modals.length - 1];
  const errors = view ? { ...view.errors, ...(state.clientErrors[view.id] ?? {}) } : {};
  const key = view ? JSON.stringify([state.snapshot.me, view.id, view.hash, errors, modals.length]) : '';
  if (key === state.keys.modal) return;
  const previous = frame.modalRoot.dataset.viewId;
  if (previous) collectDrafts(previous);
  state.keys.modal = key;
  state.modalInputs = new Map();
  frame.modalRoot.replaceChildren();
  frame.modalRoot.dataset.viewId = view?.id ?? '';
  if (!view) return;
  const ctx = blockContext(
    { view: view.id },
    { errors, draft: state.drafts[view.id] ?? {}, inputs: state.modalInputs },
  );
  const submit = view.submit
    ? el('button', { type: 'submit', class: 'btn primary', id: 'modal-submit', text: view.submit })
    : null;
  const form = el(
    'form',
    {
      class: 'modal',
      id: 'modal',
      'data-view-id': view.id,
      'data-callback-id': view.callbackId,
      novalidate: true,
    },
    [
      el('div', { class: 'modal-header' }, [
        el('h2', { class: 'modal-title', text: view.title ?? '' }),
        modals.length > 1 ? el('span', { class: 'stack', text: `${modals.length} open` }) : null,
        el('button', {
          type: 'button',
          class: 'modal-x',
          title: 'Close',
          text: '×',
          onclick: () => closeModal(view),
        }),
      ]),
      el('div', { class: 'modal-body' }, [renderBlocks(view.blocks, ctx)]),
      el('div', { class: 'modal-footer' }, [
        el('button', {
          type: 'button',
          class: 'btn',
          id: 'modal-close',
          text: view.close ?? 'Cancel',
          onclick: () => closeModal(view),
        }),
        submit,
      ]),
    ],
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitModal(view, form);
  });
  frame.modalRoot.append(el('div', { class: 'overlay' }, [form]));
}

// ---------------------------------------------------------------- what a person does

function go(place) {
  state.place = place;
  localStorage.setItem('custodian-sandbox:place', place);
  state.keys.main = undefined;
  if (place === 'home') state.homeOpenedFor = undefined;
  render();
}

function switchPerson(userId) {
  state.me = userId;
  localStorage.setItem('custodian-sandbox:user', userId);
  state.keys = { main: undefined, modal: undefined };
  state.homeOpenedFor = undefined;
  void load();
}

async function sendComposer(event) {
  event.preventDefault();
  const text = frame.composerInput.value.trim();
  if (text === '') return;
  const conversation = conversationFor(state.place);
  if (!conversation) return;
  frame.mentions.close();
  frame.composerInput.value = '';
  const answer = await call(text.startsWith('/') ? 'command' : 'message', {
    user: state.me,
    channel: conversation.id,
    text,
  });
  if (!answer.ok && answer.kind === 'client') frame.composerInput.value = text;
}

async function submitModal(view, form) {
  const values = {};
  for (const [blockId, input] of state.modalInputs) {
    const value = await input.read();
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    values[blockId] = value;
  }
  collectDrafts(view.id);
  const button = form.querySelector('#modal-submit');
  if (button) button.disabled = true;
  const answer = await call('submit', { user: state.me, viewId: view.id, values });
  if (button) button.disabled = false;
  state.clientErrors[view.id] = !answer.ok && answer.kind === 'client' ? (answer.errors ?? {}) : {};
  state.keys.modal = undefined;
  scheduleLoad();
}

async function closeModal(view) {
  collectDrafts(view.id);
  await call('close', { user: state.me, viewId: view.id });
  delete state.drafts[view.id];
}

async function advance(days) {
  await call('clock', { days });
  // Reopening the Home tab is how a person sees it with the new date (the app republishes it then).
  if (state.place === 'home') {
    state.homeOpenedFor = undefined;
    state.keys.main = undefined;
    render();
  }
}

async function resetDemo() {
  if (!window.confirm('Reset the sandbox? Every change is dropped and the demo data is seeded again.'))
    return;
  state.drafts = {};
  state.clientErrors = {};
  state.keys = { main: undefined, modal: undefined };
  state.homeOpenedFor = undefined;
  await call('reset', {});
}

// ---------------------------------------------------------------- start

buildFrame();
showBusy();
const events = new EventSource(`${api}/events`);
events.addEventListener('changed', scheduleLoad);
void load();
