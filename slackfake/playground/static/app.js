/* The playground page: a small Slack client for the fake Slack.
 *
 * Everything shown is built with createElement / textContent: nothing from a message, a view or a
 * person's name is ever parsed as HTML. Block Kit elements it cannot draw get a visible placeholder.
 */
"use strict";

const S = {
  me: localStorage.getItem("playground.me") || "",
  data: null,
  version: -1,
  current: localStorage.getItem("playground.channel") || "",
  thread: null,
  poll: null,
  modalKey: "",
  dismissed: new Set(),
  slashIndex: 0,
};

// ---- tiny DOM helpers ------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const $ = (id) => document.getElementById(id);

function unescapeSlack(text) {
  return String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function person(id) {
  return (S.data && S.data.people.find((p) => p.id === id)) || null;
}

function displayName(id) {
  if (S.data && id === S.data.bot.id) return S.data.bot.app_name;
  const p = person(id);
  return p ? p.real_name : id;
}

function conversation(id) {
  return (S.data && S.data.conversations.find((c) => c.id === id)) || null;
}

function conversationName(c) {
  if (!c) return "";
  return c.is_im ? S.data.bot.app_name : "#" + c.name;
}

function toast(text, kind) {
  const box = $("toast");
  box.textContent = text;
  box.className = "toast" + (kind ? " toast-" + kind : "");
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 6000);
}

const EMOJI = {
  wave: "👋", tada: "🎉", white_check_mark: "✅", x: "❌", warning: "⚠️", bulb: "💡", rocket: "🚀",
  eyes: "👀", thumbsup: "👍", "+1": "👍", heavy_check_mark: "✔️", question: "❓", trophy: "🏆",
  star: "⭐", fire: "🔥", books: "📚", memo: "📝", chart_with_upwards_trend: "📈", robot_face: "🤖",
  gear: "⚙️", mag: "🔍", calendar: "📅", clock9: "🕘", hourglass: "⌛", brain: "🧠", sparkles: "✨",
  point_right: "👉", link: "🔗", lock: "🔒", package: "📦", test_tube: "🧪", ok_hand: "👌",
  first_place_medal: "🥇", second_place_medal: "🥈", third_place_medal: "🥉", medal: "🏅",
  large_green_circle: "🟢", red_circle: "🔴", thinking_face: "🤔", raised_hands: "🙌", muscle: "💪",
};

// ---- mrkdwn ---------------------------------------------------------------------------------------

const INLINE = /(`[^`\n]+`)|(<[^<>\n]+>)|(\*[^*\n]+\*)|(_[^_\n]+_)|(~[^~\n]+~)|(:[a-z0-9_+-]+:)/g;

function mention(kind, id, label) {
  if (kind === "@") return el("span", { class: "mention", text: "@" + displayName(id) });
  if (kind === "#") {
    const c = conversation(id);
    return el("span", { class: "mention", text: "#" + (label || (c && c.name) || id) });
  }
  return el("span", { class: "mention mention-special", text: "@" + (label || id.split("^")[0]) });
}

function inlineMrkdwn(text) {
  const out = [];
  let last = 0;
  text.replace(INLINE, (match, code, angle, bold, italic, strike, emoji, offset) => {
    if (offset > last) out.push(unescapeSlack(text.slice(last, offset)));
    last = offset + match.length;
    if (code) out.push(el("code", { text: unescapeSlack(code.slice(1, -1)) }));
    else if (angle) out.push(angleToken(angle.slice(1, -1)));
    else if (bold) out.push(el("b", {}, inlineMrkdwn(bold.slice(1, -1))));
    else if (italic) out.push(el("i", {}, inlineMrkdwn(italic.slice(1, -1))));
    else if (strike) out.push(el("s", {}, inlineMrkdwn(strike.slice(1, -1))));
    else if (emoji) out.push(EMOJI[emoji.slice(1, -1)] || emoji);
    return match;
  });
  if (last < text.length) out.push(unescapeSlack(text.slice(last)));
  return out;
}

function angleToken(inner) {
  const [target, label] = [inner.split("|")[0], inner.split("|").slice(1).join("|")];
  if (target.startsWith("@")) return mention("@", target.slice(1), label);
  if (target.startsWith("#")) return mention("#", target.slice(1), label);
  if (target.startsWith("!")) {
    const special = target.slice(1);
    if (special.startsWith("date")) return document.createTextNode(slackDate(special, label));
    return mention("!", special.startsWith("subteam") ? label || special : special, label);
  }
  return link(unescapeSlack(target), unescapeSlack(label || target));
}

// <!date^1795422600^{date_short_pretty} at {time}|fallback>, shown in the time zone of the person the page
// acts as, as Slack shows it in each reader's own zone (not the browser's).
function slackDate(special, fallback) {
  const [, seconds, format] = special.split("^");
  const when = new Date(Number(seconds) * 1000);
  if (!format || Number.isNaN(when.getTime())) return unescapeSlack(fallback || special);
  const me = person(S.me);
  const zone = me && me.tz ? { timeZone: me.tz } : {};
  const shown = (options) => {
    try { return new Intl.DateTimeFormat(undefined, { ...options, ...zone }).format(when); }
    catch (e) { return new Intl.DateTimeFormat(undefined, options).format(when); }
  };
  const day = (d) => dayIn(d, zone);
  const time = shown({ hour: "numeric", minute: "2-digit" });
  const date = shown({ year: "numeric", month: "long", day: "numeric" });
  const short = shown({ month: "short", day: "numeric" });
  const today = day(new Date()) === day(when);
  const parts = {
    time, date, date_short: short, date_long: shown({ weekday: "long", year: "numeric", month: "long", day: "numeric" }),
    date_pretty: today ? "today" : date, date_short_pretty: today ? "today" : short, date_long_pretty: today ? "today" : date,
  };
  return unescapeSlack(format).replace(/\{(\w+)\}/g, (match, name) => parts[name] || match);
}

function dayLabel(when, zone) {
  const options = { weekday: "short", month: "short", day: "numeric", year: "numeric" };
  try { return new Intl.DateTimeFormat(undefined, { ...options, ...zone }).format(when); }
  catch (e) { return when.toDateString(); }
}

// The calendar day of `when` in `zone` ({timeZone} or {}), as "YYYY-MM-DD".
function dayIn(when, zone) {
  try { return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", ...zone }).format(when); }
  catch (e) { return new Intl.DateTimeFormat("en-CA").format(when); }
}

function link(url, label) {
  const safe = /^(https?:|mailto:)/i.test(url) ? url : null;
  if (!safe) return el("span", { class: "link-unsafe", text: label });
  return el("a", { href: safe, target: "_blank", rel: "noopener noreferrer", text: label });
}

function mrkdwn(text, plain) {
  const box = el("div", { class: "mrkdwn" });
  if (plain) {
    box.textContent = text;
    return box;
  }
  const parts = String(text).split("```");
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      box.append(el("pre", { class: "pre", text: unescapeSlack(part.replace(/^\n/, "")) }));
      return;
    }
    const lines = part.split("\n");
    let list = null;
    let quote = null;
    lines.forEach((line, n) => {
      const bullet = /^\s*(?:[•◦▪-])\s+(.*)$/.exec(line);
      const quoted = /^(?:&gt;|>)\s?(.*)$/.exec(line);
      if (bullet) {
        if (!list) { list = el("ul"); box.append(list); }
        list.append(el("li", {}, inlineMrkdwn(bullet[1])));
        quote = null;
        return;
      }
      list = null;
      if (quoted) {
        if (!quote) { quote = el("blockquote"); box.append(quote); } else quote.append(el("br"));
        quote.append(...inlineMrkdwn(quoted[1]));
        return;
      }
      quote = null;
      if (line === "" && (n === 0 || n === lines.length - 1) && lines.length > 1) return;
      box.append(el("span", { class: "line" }, inlineMrkdwn(line)));
    });
  });
  return box;
}

function textObject(obj) {
  if (!obj) return el("span");
  if (obj.type === "plain_text") {
    const text = obj.emoji === false ? obj.text : String(obj.text).replace(/:([a-z0-9_+-]+):/g, (m, n) => EMOJI[n] || m);
    return el("span", { class: "plain", text });
  }
  return mrkdwn(obj.text || "", false);
}

function plain(obj) {
  return obj ? String(obj.text || "") : "";
}

// ---- rich_text ------------------------------------------------------------------------------------

function richElements(elements) {
  return (elements || []).map((e) => {
    let node;
    if (e.type === "text") {
      node = document.createTextNode(e.text || "");
      const s = e.style || {};
      if (s.code) node = el("code", {}, node);
      if (s.bold) node = el("b", {}, node);
      if (s.italic) node = el("i", {}, node);
      if (s.strike) node = el("s", {}, node);
      return node;
    }
    if (e.type === "link") return link(e.url || "", e.text || e.url || "");
    if (e.type === "user") return mention("@", e.user_id);
    if (e.type === "channel") return mention("#", e.channel_id);
    if (e.type === "usergroup") return mention("!", e.usergroup_id);
    if (e.type === "broadcast") return mention("!", e.range || "here");
    if (e.type === "emoji") return document.createTextNode(e.unicode ? String.fromCodePoint(...e.unicode.split("-").map((h) => parseInt(h, 16))) : EMOJI[e.name] || ":" + e.name + ":");
    if (e.type === "date") return document.createTextNode(e.fallback || "");
    return unsupported("rich text element " + e.type);
  });
}

function richText(block) {
  const box = el("div", { class: "rich-text" });
  for (const part of block.elements || []) {
    if (part.type === "rich_text_section") box.append(el("div", { class: "rt-section" }, richElements(part.elements)));
    else if (part.type === "rich_text_preformatted") box.append(el("pre", { class: "pre" }, richElements(part.elements)));
    else if (part.type === "rich_text_quote") box.append(el("blockquote", {}, richElements(part.elements)));
    else if (part.type === "rich_text_list") {
      const list = el(part.style === "ordered" ? "ol" : "ul", { class: "indent-" + (part.indent || 0) });
      for (const item of part.elements || []) list.append(el("li", {}, richElements(item.elements)));
      box.append(list);
    } else box.append(unsupported(part.type));
  }
  return box;
}

// ---- Block Kit ------------------------------------------------------------------------------------

function unsupported(kind) {
  return el("div", { class: "unsupported", text: "[unsupported: " + kind + "]" });
}

/* ctx: {surface: "message"|"modal"|"home", channel, ts, view, errors} */
function renderBlocks(blocks, ctx) {
  const box = el("div", { class: "blocks" });
  for (const block of blocks || []) box.append(renderBlock(block, ctx));
  return box;
}

function renderBlock(block, ctx) {
  const wrap = (node) => { node.dataset.blockId = block.block_id || ""; node.dataset.blockType = block.type; return node; };
  switch (block.type) {
    case "header":
      return wrap(el("div", { class: "b-header", text: plain(block.text) }));
    case "divider":
      return wrap(el("hr", { class: "b-divider" }));
    case "section": {
      const body = el("div", { class: "b-section-body" });
      if (block.text) body.append(textObject(block.text));
      if (block.fields) body.append(el("div", { class: "b-fields" }, block.fields.map((f) => el("div", { class: "b-field" }, textObject(f)))));
      const node = el("div", { class: "b-section" }, body);
      if (block.accessory) node.append(el("div", { class: "b-accessory" }, renderElement(block.accessory, block, ctx)));
      return wrap(node);
    }
    case "context":
      return wrap(el("div", { class: "b-context" }, (block.elements || []).map((e) =>
        e.type === "image" ? el("img", { class: "b-context-image", src: safeImage(e.image_url), alt: e.alt_text || "" }) : textObject(e))));
    case "actions":
      return wrap(el("div", { class: "b-actions" }, (block.elements || []).map((e) => renderElement(e, block, ctx))));
    case "image":
      return wrap(el("figure", { class: "b-image" },
        block.title ? el("figcaption", { text: plain(block.title) }) : null,
        el("img", { src: safeImage(block.image_url), alt: block.alt_text || "" })));
    case "rich_text":
      return wrap(richText(block));
    case "input":
      return wrap(renderInput(block, ctx));
    case "markdown":
      return wrap(mrkdwn(block.text || "", false));
    default:
      return wrap(unsupported("block " + block.type));
  }
}

function safeImage(url) {
  return /^(https?:|data:image\/)/i.test(String(url || "")) ? url : "";
}

function options(element) {
  const list = [...(element.options || [])];
  for (const group of element.option_groups || []) list.push(...(group.options || []));
  return list;
}

/* Fires the element: in a message a block_actions on it; in a modal or Home a view block_actions. */
function fire(element, block, ctx, value) {
  const base = { user: S.me, action_id: element.action_id, value };
  if (ctx.surface === "message") {
    return post("action", { ...base, channel: ctx.channel, ts: ctx.ts });
  }
  return post("view_action", { ...base, view_id: ctx.view.id });
}

function stateValue(view, blockId, actionId) {
  const entry = (((view || {}).state || {}).values || {})[blockId];
  return entry ? entry[actionId] : undefined;
}

function renderElement(element, block, ctx, inInput) {
  const key = (block.block_id || "") + "." + (element.action_id || "");
  const dispatch = !inInput || block.dispatch_action;
  const attrs = { dataset: { actionId: element.action_id || "", key, elementType: element.type } };
  switch (element.type) {
    case "button": {
      const cls = "btn" + (element.style ? " btn-" + element.style : "");
      if (element.url) {
        const a = link(element.url, plain(element.text));
        a.className = cls;
        return a;
      }
      return el("button", { ...attrs, type: "button", class: cls, text: plain(element.text),
        "aria-label": element.accessibility_label || null,
        onclick: () => confirmThen(element.confirm, () => fire(element, block, ctx, element.value)) });
    }
    case "static_select":
    case "external_select":
    case "users_select":
    case "conversations_select":
    case "channels_select": {
      const select = el("select", { ...attrs, class: "select" });
      select.append(el("option", { value: "", text: plain(element.placeholder) || "Select an item" }));
      let choices = [];
      if (element.type === "users_select") choices = S.data.people.filter((p) => !p.is_bot).map((p) => [p.id, p.real_name]);
      else if (element.type.endsWith("s_select") && element.type !== "users_select") choices = offeredConversations(element).map((c) => [c.id, conversationName(c)]);
      else choices = options(element).map((o) => [o.value, plain(o.text)]);
      if (element.type === "static_select" && element.option_groups) {
        select.length = 1;
        for (const group of element.option_groups) {
          const g = el("optgroup", { label: plain(group.label) });
          for (const o of group.options || []) g.append(el("option", { value: o.value, text: plain(o.text) }));
          select.append(g);
        }
      } else for (const [value, label] of choices) select.append(el("option", { value, text: label }));
      const current = stateValue(ctx.view, block.block_id, element.action_id);
      const initial = (current && (current.selected_option ? current.selected_option.value : current.selected_user || current.selected_conversation || current.selected_channel))
        || (element.initial_option && element.initial_option.value) || element.initial_user || element.initial_conversation || element.initial_channel || "";
      select.value = initial;
      if (dispatch) select.addEventListener("change", () => {
        if (!select.value) return;
        confirmThen(element.confirm, () => fire(element, block, ctx, select.value), () => { select.value = initial; });
      });
      return select;
    }
    case "multi_static_select":
    case "multi_users_select":
    case "multi_conversations_select":
    case "multi_channels_select": {
      const select = el("select", { ...attrs, class: "select select-multi", multiple: true });
      const choices = element.type === "multi_users_select" ? S.data.people.filter((p) => !p.is_bot).map((p) => [p.id, p.real_name])
        : element.type === "multi_static_select" ? options(element).map((o) => [o.value, plain(o.text)])
        : offeredConversations(element).map((c) => [c.id, conversationName(c)]);
      const initial = new Set(element.initial_users || element.initial_conversations || element.initial_channels || (element.initial_options || []).map((o) => o.value));
      for (const [value, label] of choices) select.append(el("option", { value, text: label, selected: initial.has(value) }));
      if (dispatch) select.addEventListener("change", () => fire(element, block, ctx, [...select.selectedOptions].map((o) => o.value)));
      return select;
    }
    case "overflow": {
      const menu = el("div", { class: "overflow-menu", hidden: true });
      for (const o of element.options || []) {
        menu.append(el("button", { type: "button", class: "overflow-item", text: plain(o.text),
          onclick: () => { menu.hidden = true; confirmThen(element.confirm, () => fire(element, block, ctx, o.value)); } }));
      }
      return el("div", { class: "overflow" },
        el("button", { ...attrs, type: "button", class: "btn btn-overflow", "aria-label": "More options", text: "⋯",
          onclick: () => { menu.hidden = !menu.hidden; } }), menu);
    }
    case "datepicker":
    case "timepicker": {
      const input = el("input", { ...attrs, class: "picker", type: element.type === "datepicker" ? "date" : "time",
        value: element.initial_date || element.initial_time || "" });
      if (dispatch) input.addEventListener("change", () => fire(element, block, ctx, input.value));
      return input;
    }
    case "checkboxes":
    case "radio_buttons": {
      const group = el("div", { ...attrs, class: "choices" });
      const name = "r" + Math.random().toString(36).slice(2);
      const initial = new Set([...(element.initial_options || []), ...(element.initial_option ? [element.initial_option] : [])].map((o) => o.value));
      for (const o of element.options || []) {
        const input = el("input", { type: element.type === "checkboxes" ? "checkbox" : "radio", name, value: o.value, checked: initial.has(o.value) });
        input.addEventListener("change", () => {
          if (!dispatch) return;
          const chosen = [...group.querySelectorAll("input:checked")].map((i) => i.value);
          fire(element, block, ctx, element.type === "checkboxes" ? chosen : chosen[0]);
        });
        group.append(el("label", { class: "choice" }, input, el("span", {}, textObject(o.text), o.description ? el("div", { class: "choice-desc" }, textObject(o.description)) : null)));
      }
      return group;
    }
    case "plain_text_input":
    case "number_input":
    case "email_text_input":
    case "url_text_input": {
      const type = { number_input: "number", email_text_input: "email", url_text_input: "url" }[element.type] || "text";
      const current = stateValue(ctx.view, block.block_id, element.action_id);
      const value = (current && current.value) || element.initial_value || "";
      const input = element.multiline
        ? el("textarea", { ...attrs, class: "text-input", rows: 4 })
        : el("input", { ...attrs, class: "text-input", type });
      input.value = value;
      if (element.placeholder) input.placeholder = plain(element.placeholder);
      if (element.max_length) input.maxLength = element.max_length;
      return input;
    }
    case "image":
      return el("img", { class: "b-accessory-image", src: safeImage(element.image_url), alt: element.alt_text || "" });
    default:
      return unsupported("element " + element.type);
  }
}

// The conversations a conversations_select or channels_select offers, honouring its filter as Slack does:
// `include` (public, private, im, mpim) and `exclude_bot_users` (no DM with an app).
function offeredConversations(element) {
  const all = S.data.conversations;
  if (element.type.includes("channels_select")) return all.filter((c) => !c.is_im && !c.is_private);
  const filter = element.filter || {};
  const kind = (c) => (c.is_im ? "im" : c.is_private ? "private" : "public");
  return all.filter((c) => (!filter.include || filter.include.includes(kind(c)))
    && !(filter.exclude_bot_users && c.is_im));  // every DM here is with the app
}

// A Block Kit confirm object as a dialog: `go` runs only once the person confirms, `cancel` when they don't.
function confirmThen(confirm, go, cancel) {
  if (!confirm) { go(); return; }
  const root = $("confirm-root");
  const done = (confirmed) => { root.replaceChildren(); (confirmed ? go : cancel || (() => {}))(); };
  const yes = el("button", { type: "button", class: "btn " + (confirm.style === "danger" ? "btn-danger-solid" : "btn-primary") + " confirm-yes",
    text: plain(confirm.confirm) || "Confirm", onclick: () => done(true) });
  const dialog = el("div", { class: "modal confirm", role: "alertdialog", "aria-modal": "true", "aria-label": plain(confirm.title) || "Are you sure?" },
    el("header", { class: "modal-header" }, el("div", { class: "modal-title", text: plain(confirm.title) || "Are you sure?" })),
    el("div", { class: "modal-body" }, textObject(confirm.text)),
    el("footer", { class: "modal-footer" },
      el("button", { type: "button", class: "btn confirm-no", text: plain(confirm.deny) || "Cancel", onclick: () => done(false) }),
      yes));
  root.replaceChildren(el("div", { class: "overlay overlay-confirm", onclick: (event) => { if (event.target === event.currentTarget) done(false); } }, dialog));
  yes.focus();
}

function renderInput(block, ctx) {
  const error = (ctx.errors || {})[block.block_id];
  const element = block.element || {};
  return el("div", { class: "b-input" + (error ? " has-error" : "") },
    el("label", { class: "b-input-label" }, plain(block.label), block.optional ? el("span", { class: "optional", text: " (optional)" }) : null),
    renderElement(element, block, ctx, true),
    block.hint ? el("div", { class: "b-input-hint", text: plain(block.hint) }) : null,
    error ? el("div", { class: "field-error", role: "alert", text: error }) : null);
}

function readInputs(root) {
  const values = {};
  for (const node of root.querySelectorAll("[data-key]")) {
    const key = node.dataset.key;
    const type = node.dataset.elementType;
    if (type === "button" || type === "overflow") continue;
    if (node.classList.contains("choices")) {
      const chosen = [...node.querySelectorAll("input:checked")].map((i) => i.value);
      values[key] = type === "checkboxes" ? chosen : chosen[0] || null;
    } else if (node.multiple) values[key] = [...node.selectedOptions].map((o) => o.value);
    else values[key] = node.value === "" ? null : node.value;
  }
  return values;
}

// ---- messages --------------------------------------------------------------------------------------

function initials(name) {
  return String(name).split(/[\s-]+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join("");
}

function avatar(userId) {
  const isBot = S.data && userId === S.data.bot.id;
  const name = displayName(userId);
  let hash = 0;
  for (const c of userId) hash = (hash * 31 + c.charCodeAt(0)) % 360;
  const node = el("div", { class: "avatar" + (isBot ? " avatar-bot" : ""), "aria-hidden": "true", text: isBot ? "⚙" : initials(name) });
  if (!isBot) node.classList.add("hue-" + (hash % 8));
  return node;
}

function time(ts) {
  const me = person(S.me);
  const options = { hour: "numeric", minute: "2-digit" };
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone: me ? me.tz : undefined }).format(new Date(parseFloat(ts) * 1000));
  } catch (e) {
    return new Date(parseFloat(ts) * 1000).toLocaleTimeString([], options);
  }
}

function renderMessage(m, channel, inThread) {
  const isBot = m.user === S.data.bot.id || m.bot_id;
  const ctx = { surface: "message", channel: channel.id, ts: m.ts, view: { state: { values: {} } } };
  const head = el("div", { class: "msg-head" },
    el("span", { class: "msg-author", text: displayName(m.user) }),
    isBot ? el("span", { class: "app-badge", text: "APP" }) : null,
    el("span", { class: "msg-time", text: time(m.ts), title: m.ts }),
    m.edited ? el("span", { class: "msg-edited", text: "(edited)" }) : null);
  let body;
  if (m.subtype === "channel_join") body = el("div", { class: "msg-system" }, mrkdwn(m.text || "", false));
  else if (m.blocks && m.blocks.length) body = renderBlocks(m.blocks, ctx);
  else body = mrkdwn(m.text || "", false);
  const node = el("div", { class: "msg" + (m.is_ephemeral ? " msg-ephemeral" : ""), dataset: { ts: m.ts } },
    avatar(m.user), el("div", { class: "msg-main" }, head,
      m.subtype === "thread_broadcast" && !inThread ? el("div", { class: "broadcast-note", text: "replied to a thread" }) : null,
      body,
      (m.attachments || []).length ? el("div", { class: "attachments" }, m.attachments.map((a) => el("div", { class: "attachment" }, mrkdwn(a.text || a.fallback || "", false)))) : null,
      m.is_ephemeral ? el("div", { class: "ephemeral-note" }, el("span", { text: "Only visible to you" }),
        el("button", { type: "button", class: "link-button", text: "Dismiss", onclick: () => { S.dismissed.add(m.ts); render(); } })) : null,
      !inThread && m.reply_count ? el("button", { type: "button", class: "replies", onclick: () => openThread(m.ts),
        text: m.reply_count + (m.reply_count === 1 ? " reply" : " replies") }) : null));
  if (!m.is_ephemeral) node.append(messageMenu(m, channel, inThread));
  return node;
}

function messageMenu(m, channel, inThread) {
  const shortcuts = S.data.app.shortcuts.filter((s) => s.type === "message");
  const list = el("div", { class: "menu", hidden: true, role: "menu" });
  const close = () => { list.hidden = true; };
  if (!inThread) list.append(el("button", { type: "button", class: "menu-item", role: "menuitem", text: "Reply in thread", onclick: () => { close(); openThread(m.ts); } }));
  if (shortcuts.length) list.append(el("div", { class: "menu-title", text: S.data.bot.app_name }));
  for (const s of shortcuts) {
    list.append(el("button", { type: "button", class: "menu-item", role: "menuitem", dataset: { callbackId: s.callback_id }, text: s.name,
      onclick: async () => { close(); await post("shortcut", { user: S.me, channel: channel.id, ts: m.ts, callback_id: s.callback_id }); } }));
  }
  return el("div", { class: "msg-actions" },
    el("button", { type: "button", class: "icon-button more", "aria-label": "More actions", text: "⋯",
      onclick: (event) => { event.stopPropagation(); document.querySelectorAll(".menu").forEach((x) => { if (x !== list) x.hidden = true; }); list.hidden = !list.hidden; } }),
    list);
}

function visible(messages) {
  return messages.filter((m) => !(m.is_ephemeral && S.dismissed.has(m.ts)));
}

function renderMessages(channel) {
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren();
  const top = visible(channel.messages).filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === "thread_broadcast");
  if (!top.length) box.append(el("div", { class: "empty", text: "No messages yet. Say hello!" }));
  let day = "";
  const me = person(S.me);
  const zone = me && me.tz ? { timeZone: me.tz } : {};
  for (const m of top) {
    const when = new Date(parseFloat(m.ts) * 1000);
    const d = dayIn(when, zone);  // the day in the acting person's time zone, as their messages' times
    if (d !== day) { day = d; box.append(el("div", { class: "day" }, el("span", { text: dayLabel(when, zone) }))); }
    box.append(renderMessage(m, channel, false));
  }
  if (atBottom || S.scrollToBottom) { box.scrollTop = box.scrollHeight; S.scrollToBottom = false; }
}

function openThread(ts) {
  S.thread = ts;
  render();
  $("thread-input").focus();
}

function renderThread(channel) {
  const pane = $("thread");
  if (!S.thread || !channel) { pane.hidden = true; return; }
  const parent = channel.messages.find((m) => m.ts === S.thread);
  if (!parent) { pane.hidden = true; return; }
  pane.hidden = false;
  $("thread-sub").textContent = conversationName(channel);
  const box = $("thread-messages");
  box.replaceChildren(renderMessage(parent, channel, true));
  const replies = visible(channel.messages).filter((m) => m.thread_ts === S.thread && m.ts !== S.thread);
  box.append(el("div", { class: "reply-count", text: replies.length + (replies.length === 1 ? " reply" : " replies") }));
  for (const m of replies) box.append(renderMessage(m, channel, true));
  box.scrollTop = box.scrollHeight;
}

// ---- sidebar, header, home -------------------------------------------------------------------------

function renderSidebar() {
  const d = S.data;
  $("team-name").textContent = d.team;
  const conn = $("connection");
  conn.textContent = d.connected ? d.bot.app_name + " connected" : d.bot.app_name + " not connected";
  conn.className = "connection " + (d.connected ? "on" : "off");
  const select = $("person");
  if (select.options.length !== d.people.filter((p) => !p.is_bot).length) {
    select.replaceChildren(...d.people.filter((p) => !p.is_bot).map((p) =>
      el("option", { value: p.id, text: p.real_name + (p.is_admin ? " (admin)" : "") + " · " + p.tz_label })));
  }
  select.value = S.me;
  const nav = $("nav");
  nav.replaceChildren();
  const item = (id, label, icon, extra) => el("button", { type: "button", class: "nav-item" + (S.current === id ? " active" : ""),
    dataset: { target: id }, onclick: () => select_(id) }, el("span", { class: "nav-icon", text: icon }), el("span", { text: label }), extra || null);
  nav.append(el("div", { class: "nav-title", text: "Channels" }));
  for (const c of d.conversations.filter((x) => !x.is_im)) nav.append(item(c.id, c.name, c.is_private ? "🔒" : "#"));
  nav.append(el("div", { class: "nav-title", text: "Direct messages" }));
  for (const c of d.conversations.filter((x) => x.is_im)) nav.append(item(c.id, d.bot.app_name, "●", el("span", { class: "app-badge", text: "APP" })));
  nav.append(el("div", { class: "nav-title", text: "Apps" }));
  nav.append(item("home", d.bot.app_name + " — Home", "⌂"));
}

function select_(id) {
  S.current = id;
  S.thread = null;
  S.scrollToBottom = true;
  localStorage.setItem("playground.channel", id);
  document.body.classList.remove("sidebar-open");
  if (id === "home") post("home", { user: S.me, tab: "home" });
  render();
  if (id !== "home") $("message-input").focus();
}

// The *Start here* checklist: open until the person closes it (on a phone, closed until they open it).
function renderGuide() {
  const steps = S.data.guide || [];
  const box = $("guide");
  box.hidden = !steps.length;
  if (!steps.length) return;
  if (!box.dataset.ready) {
    box.dataset.ready = "1";
    const saved = localStorage.getItem("playground.guide");
    box.open = saved ? saved === "open" : window.innerWidth > 480;
    box.addEventListener("toggle", () => localStorage.setItem("playground.guide", box.open ? "open" : "closed"));
  }
  const done = steps.filter((step) => step.done).length;
  $("guide-summary").textContent = done === steps.length
    ? "Start here · all " + steps.length + " done ✓ (Reset starts over)"
    : "Start here · " + done + " of " + steps.length + " done";
  $("guide-steps").replaceChildren(...steps.map((step) => el("li", { class: "guide-step" + (step.done ? " done" : "") },
    el("span", { class: "guide-mark", "aria-hidden": "true", text: step.done ? "✓" : "○" }),
    el("span", { class: "guide-title", text: step.title }),
    el("span", { class: "visually-hidden", text: step.done ? " (done)" : " (to do)" }),
    el("span", { class: "guide-hint", text: step.hint }))));
}

function renderHome() {
  const box = $("home");
  const view = S.data.home;
  const key = view ? view.id + view.hash : "none";
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren();
  if (!view) {
    box.append(el("div", { class: "home-empty" },
      el("div", { class: "home-empty-icon", text: "⌂" }),
      el("div", { class: "home-empty-title", text: "Nothing on " + S.data.bot.app_name + "'s Home tab yet" }),
      el("div", { class: "home-empty-text", text: "The playground told the app you opened its Home (app_home_opened). What it publishes with views.publish appears here." })));
    return;
  }
  box.append(el("div", { class: "home-view", dataset: { viewId: view.id } }, renderBlocks(view.blocks, { surface: "home", view })));
}

function render() {
  const d = S.data;
  if (!d) return;
  if (!S.me || !person(S.me)) S.me = d.me;
  renderSidebar();
  renderGuide();
  const home = S.current === "home";
  let channel = home ? null : conversation(S.current);
  if (!home && !channel) { channel = d.conversations.find((c) => c.name === "general") || d.conversations[0]; S.current = channel.id; }
  $("channel-title").textContent = home ? d.bot.app_name : conversationName(channel);
  $("channel-purpose").textContent = home ? "App Home" : channel.is_im ? "Direct message with the app" : channel.purpose || "";
  $("tabs").hidden = !home;
  if (home) {
    $("tabs").replaceChildren(el("span", { class: "tab active", text: "Home" }),
      el("button", { type: "button", class: "tab", text: "Messages", onclick: () => {
        const dm = d.conversations.find((c) => c.is_im);
        if (dm) { post("home", { user: S.me, tab: "messages" }); select_(dm.id); }
      } }));
  }
  $("messages").hidden = home;
  $("composer").hidden = home;
  $("home").hidden = !home;
  if (home) renderHome(); else renderMessages(channel);
  renderThread(home ? null : channel);
  $("message-input").placeholder = home ? "" : "Message " + conversationName(channel);
  $("quiz-now").disabled = home || channel.is_im;
  $("quiz-reveal").disabled = home || channel.is_im;
  $("controls-note").textContent = home || channel.is_im ? "Open a channel, such as #new-hires, to post or reveal its question." : "";
  renderModal();
}

// ---- modals ----------------------------------------------------------------------------------------

function renderModal() {
  const root = $("modal-root");
  const stack = S.data.modals || [];
  const view = stack[stack.length - 1];
  const key = view ? view.id + view.hash + JSON.stringify(view.errors || {}) + stack.length : "";
  if (key === S.modalKey) return;
  S.modalKey = key;
  root.replaceChildren();
  if (!view) return;
  const ctx = { surface: "modal", view, errors: view.errors };
  const form = el("form", { class: "modal", role: "dialog", "aria-modal": "true", "aria-label": plain(view.title), dataset: { viewId: view.id } });
  form.append(
    el("header", { class: "modal-header" },
      stack.length > 1 ? el("button", { type: "button", class: "icon-button", "aria-label": "Back", text: "←", onclick: () => post("close", { user: S.me }) }) : null,
      el("div", { class: "modal-title", text: plain(view.title) }),
      el("button", { type: "button", class: "icon-button modal-x", "aria-label": "Close", text: "✕", onclick: () => post("close", { user: S.me }) })),
    el("div", { class: "modal-body" }, renderBlocks(view.blocks, ctx)),
    el("footer", { class: "modal-footer" },
      el("button", { type: "button", class: "btn", text: plain(view.close) || "Cancel", onclick: () => post("close", { user: S.me }) }),
      view.submit ? el("button", { type: "submit", class: "btn btn-primary modal-submit", text: plain(view.submit) }) : null));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reply = await post("submit", { user: S.me, view_id: view.id, values: readInputs(form) });
    if (reply && reply.outcome && reply.outcome.startsWith("invalid")) toast("We had some trouble connecting. Try again? (" + reply.outcome + ")", "error");
  });
  root.append(el("div", { class: "overlay" }, form));
  const first = form.querySelector("input, textarea, select");
  if (first) first.focus();
}

// ---- talking to the server -------------------------------------------------------------------------

async function post(name, body) {
  try {
    const response = await fetch("/playground/" + name, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const reply = await response.json();
    if (!reply.ok) toast(reply.error || "Something went wrong", "error");
    return reply;
  } catch (error) {
    toast("The playground is not reachable: " + error, "error");
    return null;
  }
}

async function poll() {
  let fresh = true;
  for (;;) {
    const controller = new AbortController();
    S.poll = controller;
    try {
      const response = await fetch("/playground/state?user=" + encodeURIComponent(S.me) + "&since=" + S.version, { signal: controller.signal });
      const data = await response.json();
      if (!S.me) S.me = data.me;
      if (fresh && data.modals.length) {  // a new page starts with no modal open, as Slack's client does
        fresh = false;
        await post("close", { user: S.me, all: true });
        continue;
      }
      fresh = false;
      S.data = data;
      S.version = data.version;
      render();
      document.body.dataset.version = String(data.version);
    } catch (error) {
      if (error.name !== "AbortError") await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function refresh() {
  S.version = -1;
  if (S.poll) S.poll.abort();
}

// ---- composing -------------------------------------------------------------------------------------

function withMentions(text) {
  const names = new Map();
  for (const p of S.data.people) { names.set(p.name.toLowerCase(), p.id); }
  names.set(S.data.bot.name.toLowerCase(), S.data.bot.id);
  names.set(S.data.bot.app_name.toLowerCase().replace(/\s+/g, "-"), S.data.bot.id);
  names.set("bot", S.data.bot.id);
  return text.replace(/(^|\s)@([\w.-]+)/g, (match, space, name) => {
    const id = names.get(name.toLowerCase());
    return id ? space + "<@" + id + ">" : match;
  }).replace(/&/g, "&amp;").replace(/<(?![@#!])/g, "&lt;").replace(/(^|[^@#!\w|"])>/g, "$1&gt;");
}

async function send(input, threadTs, broadcast) {
  const raw = input.value.trim();
  if (!raw) return;
  input.value = "";
  hideSlash();
  const isCommand = raw.startsWith("/") && !threadTs;
  const text = isCommand ? raw : withMentions(raw);
  S.scrollToBottom = true;
  await post("send", { user: S.me, channel: S.current, text, thread_ts: threadTs || null, broadcast: !!broadcast });
}

function slashMatches(text) {
  if (!text.startsWith("/") || text.includes(" ")) return [];
  return S.data.app.commands.filter((c) => c.command.startsWith(text.toLowerCase()));
}

function hideSlash() { $("slash-menu").hidden = true; }

function showSlash() {
  const input = $("message-input");
  const menu = $("slash-menu");
  const matches = slashMatches(input.value);
  if (!matches.length) { hideSlash(); return; }
  S.slashIndex = Math.min(S.slashIndex, matches.length - 1);
  menu.replaceChildren(el("div", { class: "slash-title", text: "Commands from " + S.data.bot.app_name }),
    ...matches.map((c, i) => el("button", { type: "button", class: "slash-item" + (i === S.slashIndex ? " active" : ""), role: "option", dataset: { command: c.command },
      onmousedown: (event) => { event.preventDefault(); pick(c); } },
      el("div", {}, el("span", { class: "slash-command", text: c.command }), " ", el("span", { class: "slash-usage", text: c.usage_hint })),
      el("div", { class: "slash-desc", text: c.description }))));
  menu.hidden = false;
}

function pick(command) {
  const input = $("message-input");
  input.value = command.command + " ";
  hideSlash();
  input.focus();
}

function setup() {
  const input = $("message-input");
  $("composer").addEventListener("submit", (event) => { event.preventDefault(); send(input); });
  input.addEventListener("input", () => { S.slashIndex = 0; showSlash(); });
  input.addEventListener("keydown", (event) => {
    const matches = slashMatches(input.value);
    if (!$("slash-menu").hidden && matches.length) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        S.slashIndex = (S.slashIndex + (event.key === "ArrowDown" ? 1 : -1) + matches.length) % matches.length;
        showSlash();
        return;
      }
      if (event.key === "Tab" || (event.key === "Enter" && input.value.trim() !== matches[S.slashIndex].command)) {
        event.preventDefault();
        pick(matches[S.slashIndex]);
        return;
      }
      if (event.key === "Escape") { hideSlash(); return; }
    }
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); send(input); }
  });
  const threadInput = $("thread-input");
  $("thread-composer").addEventListener("submit", (event) => { event.preventDefault(); send(threadInput, S.thread, $("thread-broadcast").checked); });
  threadInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); send(threadInput, S.thread, $("thread-broadcast").checked); }
  });
  $("thread-close").addEventListener("click", () => { S.thread = null; render(); });
  $("person").addEventListener("change", (event) => {
    S.me = event.target.value;
    localStorage.setItem("playground.me", S.me);
    S.modalKey = "";
    $("home").dataset.key = "";
    if (S.current === "home" || (conversation(S.current) || {}).is_im) S.current = "";
    refresh();
  });
  $("quiz-now").addEventListener("click", () => post("quiz", { channel: S.current, what: "now" }));
  $("quiz-reveal").addEventListener("click", () => post("quiz", { channel: S.current, what: "reveal" }));
  $("reset").addEventListener("click", async () => {
    if (!confirm("Reset the playground? Every message, answer and schedule is wiped.")) return;
    S.dismissed.clear();
    await post("reset", {});
    toast("The playground was reset.");
    refresh();
  });
  $("menu").addEventListener("click", () => document.body.classList.toggle("sidebar-open"));
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".msg-actions")) document.querySelectorAll(".menu").forEach((m) => { m.hidden = true; });
    if (!event.target.closest(".overflow")) document.querySelectorAll(".overflow-menu").forEach((m) => { m.hidden = true; });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && $("confirm-root").firstChild) { $("confirm-root").querySelector(".confirm-no").click(); return; }
    if (event.key === "Escape" && S.data && S.data.modals.length) post("close", { user: S.me });
  });
  poll();
}

document.addEventListener("DOMContentLoaded", setup);
