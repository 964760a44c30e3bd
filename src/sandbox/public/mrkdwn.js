// Slack's mrkdwn and plain_text as HTML: *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes,
// <@U..> mentions, <#C..> channels, <url|text> links and :emoji: shortcodes. Input is escaped first,
// so app text can never inject markup into the page.

/** Shortcodes the product uses, and common ones people type; unknown ones stay as `:name:`. */
export const emoji = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  warning: '⚠️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  x: '❌',
  rotating_light: '🚨',
  inbox_tray: '📥',
  outbox_tray: '📤',
  wrench: '🔧',
  hammer_and_wrench: '🛠️',
  white_circle: '⚪',
  large_green_circle: '🟢',
  large_blue_circle: '🔵',
  large_yellow_circle: '🟡',
  large_orange_circle: '🟠',
  red_circle: '🔴',
  black_circle: '⚫',
  tada: '🎉',
  round_pushpin: '📍',
  pushpin: '📌',
  package: '📦',
  office: '🏢',
  no_entry_sign: '🚫',
  no_entry: '⛔',
  heavy_plus_sign: '➕',
  heavy_minus_sign: '➖',
  computer: '💻',
  desktop_computer: '🖥️',
  iphone: '📱',
  calling: '📲',
  keyboard: '⌨️',
  mouse: '🖱️',
  printer: '🖨️',
  headphones: '🎧',
  key: '🔑',
  lock: '🔒',
  unlock: '🔓',
  bust_in_silhouette: '👤',
  busts_in_silhouette: '👥',
  calendar: '📆',
  date: '📅',
  spiral_calendar_pad: '🗓️',
  clock: '🕐',
  alarm_clock: '⏰',
  bell: '🔔',
  mag: '🔍',
  memo: '📝',
  clipboard: '📋',
  page_facing_up: '📄',
  receipt: '🧾',
  scroll: '📜',
  books: '📚',
  label: '🏷️',
  bookmark: '🔖',
  link: '🔗',
  arrow_right: '➡️',
  arrow_left: '⬅️',
  arrow_up: '⬆️',
  arrow_down: '⬇️',
  arrows_counterclockwise: '🔄',
  repeat: '🔁',
  leftwards_arrow_with_hook: '↩️',
  information_source: 'ℹ️',
  question: '❓',
  exclamation: '❗',
  heavy_exclamation_mark: '❗',
  bangbang: '‼️',
  thumbsup: '👍',
  '+1': '👍',
  thumbsdown: '👎',
  '-1': '👎',
  wave: '👋',
  eyes: '👀',
  raised_hands: '🙌',
  clap: '👏',
  pray: '🙏',
  handshake: '🤝',
  smile: '😄',
  slightly_smiling_face: '🙂',
  sweat_smile: '😅',
  thinking_face: '🤔',
  fire: '🔥',
  sparkles: '✨',
  star: '⭐',
  zap: '⚡',
  gear: '⚙️',
  toolbox: '🧰',
  broom: '🧹',
  wastebasket: '🗑️',
  recycle: '♻️',
  moneybag: '💰',
  dollar: '💵',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  bar_chart: '📊',
  battery: '🔋',
  electric_plug: '🔌',
  satellite_antenna: '📡',
  floppy_disk: '💾',
  cd: '💿',
  email: '📧',
  envelope: '✉️',
  mailbox: '📫',
  truck: '🚚',
  airplane: '✈️',
  house: '🏠',
  hospital: '🏥',
  stop_sign: '🛑',
  construction: '🚧',
  checkered_flag: '🏁',
  new: '🆕',
  up: '🆙',
  ok: '🆗',
  sos: '🆘',
  lost: '❓',
  skull: '💀',
  ghost: '👻',
};

const escapeMap = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => escapeMap[c]);
}

/** Slack escapes &, < and > in message text; undo that before escaping for HTML. */
function decodeSlackEntities(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function replaceEmoji(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name) =>
    emoji[name] === undefined ? whole : `<span class="emoji" title=":${name}:">${emoji[name]}</span>`,
  );
}

function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : undefined;
}

/** `<...>` tokens: mentions, channels, special mentions, dates and links. */
function renderAngle(inner, ctx) {
  const [target, label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = label || ctx.userName(id) || id;
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = label || ctx.channelName(id) || id;
    return `<span class="mention channel">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('!')) {
    if (target.startsWith('!date^')) {
      const [, seconds] = target.split('^');
      const fallback = label || new Date(Number(seconds) * 1000).toUTCString();
      return `<span class="date">${escapeHtml(fallback)}</span>`;
    }
    const name = label || target.slice(1).replace(/^subteam\^[A-Z0-9]+/, 'group');
    return `<span class="mention special">@${escapeHtml(name)}</span>`;
  }
  const url = safeUrl(decodeSlackEntities(target));
  const text = label ? decodeSlackEntities(label) : decodeSlackEntities(target);
  if (url === undefined) return escapeHtml(`<${inner}>`);
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(text)}</a>`;
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/** Bold, italic and strike only where Slack applies them: markers at word boundaries. */
function applyEmphasis(html) {
  return html
    .replace(/(^|[\s(>])\*(?!\s)([^*\n]+?)\*(?=$|[\s.,;:!?)<])/g, '$1<strong>$2</strong>')
    .replace(/(^|[\s(>])_(?!\s)([^_\n]+?)_(?=$|[\s.,;:!?)<])/g, '$1<em>$2</em>')
    .replace(/(^|[\s(>])~(?!\s)([^~\n]+?)~(?=$|[\s.,;:!?)<])/g, '$1<del>$2</del>');
}

/** One line-group of text outside code: tokens first, then emphasis and emoji on the plain parts. */
function renderInline(text, ctx) {
  let out = '';
  const pattern = /`([^`\n]+)`|<([^<>\n]+)>/g;
  let last = 0;
  let match;
  while ((match = pattern.exec(text)) !== null) {
    out += formatPlain(text.slice(last, match.index));
    if (match[1] !== undefined) out += `<code>${escapeHtml(decodeSlackEntities(match[1]))}</code>`;
    else out += `\uE000${renderAngle(match[2], ctx)}\uE001`;
    last = pattern.lastIndex;
  }
  out += formatPlain(text.slice(last));
  // Emphasis may wrap mentions and links, so it runs over the whole line with tokens protected.
  const protectedParts = [];
  const masked = out.replace(/\uE000([\s\S]*?)\uE001|<code>[\s\S]*?<\/code>/g, (whole, token) => {
    protectedParts.push(token ?? whole);
    return `\uE002${protectedParts.length - 1}\uE003`;
  });
  return replaceEmoji(applyEmphasis(masked)).replace(
    /\uE002(\d+)\uE003/g,
    (_, i) => protectedParts[Number(i)],
  );
}

function formatPlain(text) {
  return escapeHtml(decodeSlackEntities(text));
}

/** Renders mrkdwn text to HTML. `ctx` names users and channels: { userName(id), channelName(id) }. */
export function renderMrkdwn(text, ctx) {
  const source = String(text ?? '');
  const parts = source.split(/```/);
  let html = '';
  parts.forEach((part, index) => {
    const isCode = index % 2 === 1 && index < parts.length - 1;
    if (isCode) {
      html += `<pre>${escapeHtml(decodeSlackEntities(part.replace(/^\n/, '')))}</pre>`;
      return;
    }
    const text = index % 2 === 1 ? '```' + part : part;
    const lines = text.split('\n');
    let quote = [];
    const flushQuote = () => {
      if (quote.length > 0) html += `<blockquote>${quote.join('<br>')}</blockquote>`;
      quote = [];
    };
    lines.forEach((line, lineIndex) => {
      const quoted = /^(&gt;|>)\s?(.*)$/.exec(line);
      if (quoted) {
        quote.push(renderInline(quoted[2], ctx));
        return;
      }
      flushQuote();
      html += renderInline(line, ctx);
      if (lineIndex < lines.length - 1) html += '<br>';
    });
    flushQuote();
  });
  return html;
}

/** A Block Kit text object (plain_text or mrkdwn) as HTML. */
export function renderTextObject(textObject, ctx) {
  if (textObject === undefined || textObject === null) return '';
  if (typeof textObject === 'string') return renderMrkdwn(textObject, ctx);
  if (textObject.type === 'mrkdwn') return renderMrkdwn(textObject.text, ctx);
  const escaped = escapeHtml(textObject.text ?? '').replace(/\n/g, '<br>');
  return textObject.emoji === false ? escaped : replaceEmoji(escaped);
}

/** Plain text of a text object, for labels and options (no markup). */
export function plainTextOf(textObject, ctx) {
  if (textObject === undefined || textObject === null) return '';
  const text = typeof textObject === 'string' ? textObject : (textObject.text ?? '');
  const withNames = text
    .replace(/<@([A-Z0-9]+)(?:\|([^>]+))?>/g, (_, id, label) => `@${label || ctx.userName(id) || id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]+))?>/g, (_, id, label) => `#${label || ctx.channelName(id) || id}`)
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2');
  return decodeSlackEntities(withNames).replace(/:([a-z0-9_+-]+):/g, (whole, name) => emoji[name] ?? whole);
}
