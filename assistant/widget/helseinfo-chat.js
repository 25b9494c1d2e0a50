/* Helseassistent, the chat widget of helseinfo. Its attributes (data-server is required: without
 * it, no chat, only the national numbers and the library) and rules: README.md, "The chat widget". */
(() => {
"use strict";
const script = document.currentScript;
if (!script || window.__helseinfoChat) return;
window.__helseinfoChat = true;

const TEXT = {
  nb: {
    open: "Spør helseassistenten", title: "Helseassistent", close: "Lukk assistenten", restart: "Ny samtale",
    danger: "Fare for liv?", call: "Ring", label: "Skriv spørsmålet ditt", send: "Send",
    you: "Du skrev:", bot: "Assistenten:", typing: "Assistenten skriver …", choices: "Velg et svar",
    hello: "Hei! Jeg kan hjelpe deg å finne ut om du bør ringe 113, legevakten eller fastlegen, finne helsetjenester og mestringstilbud der du bor, og svare fra helsebiblioteket. Jeg gir råd, ikke diagnoser.",
    privacy: "Ikke skriv fødselsnummer, navn eller telefonnummer. Assistenten lagrer samtalen i 90 dager uten slike numre og e-post, og «Ny samtale» sletter den straks. Denne fanen husker samtalen, uten de samme opplysningene, til du lukker den.",
    down: "Assistenten svarer ikke akkurat nå. Trenger du hjelp, ring:",
    off: "Assistenten er ikke tilgjengelig her. Trenger du hjelp, ring:",
    deleted: "Samtalen er slettet.",
    undeleted: "Assistenten kunne ikke slette samtalen nå. Den er slettet her, og assistenten sletter den etter 90 dager.",
    removed: "[fjernet]",
    nums: { 113: "ved fare for liv", 116117: "legevakten", 116123: "Mental Helses hjelpetelefon" },
    library: "Les i helsebiblioteket",
    reasons: "Dette passet med det du skrev:", readArticle: "Les mer: ", legevakt: "Legevakt: ",
    open_now: "Åpen nå", closed_now: "Stengt nå", unverified: "opplysningene er ikke kontrollert ennå",
    signup: "Påmelding: ", portalLogin: "krever innlogging med BankID", more: "Se også: ",
    levels: { emergency: "Ring 113 nå", urgent: "Kontakt legevakten i dag", gp: "Kontakt fastlegen", self_care: "Du kan som regel klare deg selv" },
  },
  nn: {
    you: "Du skreiv:", typing: "Assistenten skriv …", choices: "Vel eit svar",
    hello: "Hei! Eg kan hjelpe deg å finne ut om du bør ringje 113, legevakta eller fastlegen, finne helsetenester og meistringstilbod der du bur, og svare frå helsebiblioteket. Eg gir råd, ikkje diagnosar.",
    privacy: "Ikkje skriv fødselsnummer, namn eller telefonnummer. Assistenten lagrar samtalen i 90 dagar utan slike nummer og e-post, og «Ny samtale» slettar han straks. Denne fana hugsar samtalen, utan dei same opplysningane, til du lukkar ho.",
    down: "Assistenten svarar ikkje akkurat no. Treng du hjelp, ring:",
    off: "Assistenten er ikkje tilgjengeleg her. Treng du hjelp, ring:",
    deleted: "Samtalen er sletta.",
    undeleted: "Assistenten kunne ikkje slette samtalen no. Han er sletta her, og assistenten slettar han etter 90 dagar.",
    removed: "[fjerna]",
    nums: { 113: "ved fare for liv", 116117: "legevakta", 116123: "Mental Helse sin hjelpetelefon" },
    reasons: "Dette passa med det du skreiv:", readArticle: "Les meir: ",
    open_now: "Ope no", closed_now: "Stengt no", unverified: "opplysningane er ikkje kontrollerte enno",
    portalLogin: "krev innlogging med BankID", more: "Sjå også: ",
    levels: { emergency: "Ring 113 no", urgent: "Kontakt legevakta i dag", gp: "Kontakt fastlegen", self_care: "Du kan som regel klare deg sjølv" },
  },
  en: {
    open: "Ask the health assistant", title: "Health assistant", close: "Close the assistant", restart: "New conversation",
    danger: "Life in danger?", call: "Call", label: "Type your question", send: "Send",
    you: "You wrote:", bot: "Assistant:", typing: "The assistant is typing …", choices: "Choose an answer",
    hello: "Hello! I can help you decide whether to call 113, the out-of-hours service (legevakt) or your GP, find health services and coping courses where you live, and answer from the health library (in Norwegian). I give advice, not diagnoses.",
    privacy: "Do not type your national identity number, name or phone number. The assistant keeps the conversation for 90 days without such numbers and e-mail addresses, and “New conversation” deletes it at once. This tab keeps the conversation, without the same details, until you close it.",
    down: "The assistant is not answering right now. If you need help, call:",
    off: "The assistant is not available here. If you need help, call:",
    deleted: "The conversation has been deleted.",
    undeleted: "The assistant could not delete the conversation just now. It is deleted here, and the assistant deletes it after 90 days.",
    removed: "[removed]",
    nums: { 113: "if life is in danger", 116117: "out-of-hours service (legevakt)", 116123: "Mental Helse helpline" },
    library: "Read the health library",
    reasons: "This matched what you wrote:", readArticle: "Read more (in Norwegian): ", legevakt: "Out-of-hours service: ",
    open_now: "Open now", closed_now: "Closed now", unverified: "not yet verified",
    signup: "Sign up: ", portalLogin: "requires BankID login", more: "See also: ",
    levels: { emergency: "Call 113 now", urgent: "Contact the out-of-hours service today", gp: "Contact your GP", self_care: "You can usually manage yourself" },
  },
};

TEXT.nn = { ...TEXT.nb, ...TEXT.nn }; // nn lists only what differs from nb

const CSS = `
:host{all:initial}
.root{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a}
*,*::before,*::after{box-sizing:border-box}
button,textarea{font:inherit}
a{color:#1d3b8f;text-decoration:underline}
:focus-visible{outline:3px solid #b3261e;outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.launcher{position:fixed;right:1rem;bottom:1rem;z-index:2147483000;display:flex;align-items:center;gap:.5rem;padding:.75rem 1.1rem;border:2px solid #fff;border-radius:2rem;background:#1d3b8f;color:#fff;font-weight:600;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.35)}
.launcher:hover{background:#142b6b}
.launcher svg{width:1.4em;height:1.4em;fill:currentColor;flex:none}
.launcher[aria-expanded="true"]{display:none}
.panel{position:fixed;right:1rem;bottom:1rem;z-index:2147483000;display:flex;flex-direction:column;width:min(26rem,calc(100vw - 2rem));height:min(40rem,calc(100vh - 2rem));background:#fff;border:1px solid #5c5c5c;border-radius:.5rem;box-shadow:0 4px 24px rgba(0,0,0,.35);overflow:hidden}
.panel[hidden]{display:none}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;padding:.5rem .75rem;background:#1d3b8f;color:#fff}
h2{flex:1 1 auto;min-width:0;margin:0;font-size:1.05rem}
header button{white-space:nowrap;padding:.3rem .6rem;border:1px solid #fff;border-radius:.25rem;background:transparent;color:#fff;cursor:pointer}
header button:hover{background:#142b6b}
header :focus-visible{outline-color:#fff}
.danger{margin:0;padding:.4rem .75rem;background:#fdecea;color:#1a1a1a;border-bottom:1px solid #d7a8a4}
.danger a{color:#8c1d18;font-weight:700}
.log{flex:1;overflow-y:auto;padding:.75rem;display:flex;flex-direction:column;gap:.6rem;overscroll-behavior:contain}
.msg{max-width:92%;padding:.5rem .75rem;border-radius:.6rem;white-space:pre-line;overflow-wrap:anywhere}
.bot{align-self:flex-start;background:#f1f3f8;border:1px solid #c9cfdd}
.user{align-self:flex-end;background:#1d3b8f;color:#fff}
.note{align-self:stretch;max-width:none;background:#fff8e1;border:1px solid #c9a227}
.card{align-self:stretch;max-width:none;white-space:normal;background:#fff;border:2px solid #5c5c5c}
.card p,.card ul{margin:.25rem 0}
.card ul{padding-left:1.2rem}
.level{font-weight:700}
.emergency{border-color:#b3261e;background:#fdecea}
.urgent{border-color:#8a5a00;background:#fff4e0}
.gp{border-color:#1d3b8f}
.self_care{border-color:#2e6b30}
.call{display:inline-block;margin:.25rem .5rem .25rem 0;padding:.4rem .8rem;border-radius:.3rem;background:#b3261e;color:#fff;font-weight:700;text-decoration:none}
.call:hover{background:#8c1d18}
.choices{display:flex;flex-wrap:wrap;gap:.4rem;align-self:flex-start}
.choices button{padding:.45rem 1rem;border:2px solid #1d3b8f;border-radius:1.2rem;background:#fff;color:#1d3b8f;font-weight:600;cursor:pointer}
.choices button:hover{background:#e8ecf7}
.choices button:disabled{border-color:#767676;color:#595959;cursor:default;background:#f4f4f4}
.status{min-height:1.5em;margin:0 .75rem;color:#3d3d3d;font-style:italic}
form{display:flex;gap:.5rem;align-items:flex-end;padding:.5rem .75rem;border-top:1px solid #c9cfdd}
.field{flex:1;display:flex;flex-direction:column}
label{font-size:.9rem;font-weight:600}
textarea{width:100%;min-height:2.75rem;max-height:8rem;padding:.4rem;resize:vertical;border:1px solid #5c5c5c;border-radius:.3rem;color:#1a1a1a;background:#fff}
form button{padding:.55rem 1rem;border:0;border-radius:.3rem;background:#1d3b8f;color:#fff;font-weight:600;cursor:pointer}
form button:hover{background:#142b6b}
.privacy{margin:0;padding:0 .75rem .5rem;font-size:.8rem;color:#3d3d3d}
@media (max-width:30rem),(max-height:30rem){.panel{right:0;bottom:0;width:100vw;height:100vh;border-radius:0} .launcher{right:.5rem;bottom:.5rem;padding:.7rem} .launcher .label{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap} .privacy{font-size:.75rem}
}
@media (forced-colors:active){.launcher,.call,form button{border:2px solid ButtonText}}
@media (prefers-reduced-motion:no-preference){.log{scroll-behavior:smooth}}
`;

const data = script.dataset;
const lang = TEXT[data.lang] ? data.lang : (TEXT[document.documentElement.lang] ? document.documentElement.lang : "nb");
const T = TEXT[lang];
// Fail closed: no default address, so a visitor's own machine is never called.
const server = (() => {
  try {
    const url = data.server && data.server.trim() && new URL(data.server.trim(), location.href);
    return url && /^https?:$/.test(url.protocol) ? url.href.replace(/\/+$/, "") : null;
  } catch (e) { return null; }
})();
const site = new URL(data.site || "../", script.src || location.href);
const allowedOrigins = new Set([site.origin, location.origin]);
if (data.portal) allowedOrigins.add(new URL(data.portal, location.href).origin);
const timeoutMs = Number(data.timeout) > 0 ? Number(data.timeout) : 20000;
const MAX_TEXT = 2000; // content_model/contacts.py MAX_MESSAGE_CHARS
// The national numbers every fallback shows (content_model/contacts.py ALWAYS): dialled → printed.
const NUMBERS = { 113: "113", 116117: "116 117", 116123: "116 123" };
const STORE = "helseinfo-chat:" + server;

/* ---- redaction of what is kept in this tab: ID numbers, phone numbers, e-mail ---- */
// Fødselsnummer, D- and H-numbers: 11 digits, grouped by up to 3 spaces, dots, slashes or dashes.
const ID = /(^|\D)(\d(?:[\s./\-\u2010-\u2015\u2212]{0,3}\d){10})(?!\d)/g;
// Phone numbers: 8 digits grouped by spaces or dashes, optionally after +47, 0047 or 47.
const PHONE = /(^|[^\d+])((?:(?:\+|00)?47[^\S\n]{0,2})?\d(?:(?:[^\S\n]|[-\u2010-\u2015\u2212]){0,2}\d){7})(?!\d)/g;
const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const redact = (text) => text.replace(EMAIL, T.removed).replace(ID, "$1" + T.removed).replace(PHONE, "$1" + T.removed);

/* ---- state, in sessionStorage (a reload continues it); the sender id is the only credential ---- */
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const newSender = () => {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64; // version 4
  b[8] = (b[8] & 63) | 128; // variant 10xx
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return h.replace(/(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
};
const fresh = () => ({ sender: newSender(), open: false, items: [] });
const load = () => {
  try {
    const s = server && JSON.parse(sessionStorage.getItem(STORE));
    if (s && UUID4.test(s.sender) && Array.isArray(s.items)) {
      s.items.forEach((i) => { if (i.from === "user" && typeof i.text === "string") i.text = redact(i.text); });
      return s;
    }
  } catch (e) { /* start afresh */ }
  return null;
};
let state = load() || fresh();
const save = () => {
  try { if (server) sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* storage off */ }
};

/* ---- small DOM helpers: text only, never HTML ---- */
const el = (tag, attrs, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value == null) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
};
const safeUrl = (value) => {
  if (typeof value !== "string" || !value) return null;
  try {
    const url = new URL(value, location.href);
    return /^https?:$/.test(url.protocol) && allowedOrigins.has(url.origin) ? url.href : null;
  } catch (e) { return null; }
};
const link = (value, label) => {
  const href = safeUrl(value);
  return href ? el("a", { href, text: label }) : el("span", { text: label });
};
const digits = (value) => String(value || "").replace(/[^0-9+]/g, "");
const spaced = (number) => NUMBERS[number] || number;
const tel = (number, label, cls) => {
  const d = digits(number);
  return d.length >= 3 ? el("a", { href: "tel:" + d, class: cls || null, text: label || spaced(d) }) : null;
};
const list = (items) => el("ul", null, ...items.map((item) => el("li", null, ...[].concat(item))));
const numbers = (...keys) => list(keys.map((n) => tel(n, NUMBERS[n] + " – " + T.nums[n])));
// No assistant: the national numbers and the library.
const fallback = (text, role) => el("div", { class: "msg note", role },
  el("p", { text }), numbers("113", "116117", "116123"), el("p", null, link(site.href, T.library)));

/* ---- the typed payloads: the only place links come from ---- */
const renderCustom = (c) => {
  if (!c || typeof c !== "object") return null;
  const card = (cls, ...children) => el("div", { class: "msg card " + (cls || "") }, ...children);
  switch (c.type) {
    case "triage": {
      const level = T.levels[c.level] ? c.level : "gp";
      const parts = [el("p", { class: "level", text: T.levels[level] })];
      const call = tel(c.tel, T.call + " " + spaced(digits(c.tel)), "call");
      if (call) parts.push(el("p", null, call));
      if (c.crisis) parts.push(numbers("113", "116123", "116117"));
      const reasons = Array.isArray(c.reasons) ? c.reasons.filter((r) => r && typeof r.text === "string") : [];
      if (reasons.length) {
        const cardLang = (r) => (typeof r.article === "string" && r.article.startsWith("nn/") ? "nn" : "nb");
        parts.push(el("p", { text: T.reasons }),
          el("ul", null, ...reasons.map((r) => el("li", { lang: cardLang(r) !== lang ? cardLang(r) : null, text: r.text }))));
      }
      const d = c.destination;
      if (d && typeof d.text === "string") parts.push(el("p", null, d.text, " ", tel(d.tel)));
      if (c.legevakt && typeof c.legevakt.name === "string") {
        parts.push(el("p", null, T.legevakt, link(c.legevakt.url, c.legevakt.name), " ", tel(c.legevakt.phone)));
      }
      if (c.article && typeof c.article.title === "string") parts.push(el("p", null, T.readArticle, link(c.article.url, c.article.title)));
      return card(level, ...parts);
    }
    case "article": {
      if (typeof c.title !== "string") return null;
      const more = Array.isArray(c.more) ? c.more.filter((a) => a && typeof a.title === "string") : [];
      return card("", el("p", null, T.readArticle, link(c.url, c.title)),
        more.length ? el("p", null, T.more, ...more.flatMap((a, i) => [i ? ", " : "", link(a.url, a.title)])) : null);
    }
    case "services":
    case "groups": {
      const items = Array.isArray(c.items) ? c.items.filter((i) => i && typeof i.name === "string") : [];
      if (!items.length) return null;
      return card("", list(items.map((i) => {
        const bits = [link(i.url, i.name)];
        if (i.phone) bits.push(" ", tel(i.phone));
        if (i.open_now === true || i.open_now === false) bits.push(" – " + (i.open_now ? T.open_now : T.closed_now));
        if (i.signup && i.signup.url) bits.push(" – ", T.signup, link(i.signup.url, i.signup.text || i.signup.url));
        if (i.verified === false) bits.push(" (" + T.unverified + ")");
        return bits;
      })));
    }
    case "portal_link": {
      if (typeof c.title !== "string") return null;
      return card("", el("p", null, link(c.url, c.title), c.login_required ? " (" + T.portalLogin + ")" : ""));
    }
    default:
      return null; // triage_question and unknown types add no links
  }
};

/* ---- the widget ---- */
const host = el("div", { id: "helseinfo-chat" });
const shadow = host.attachShadow({ mode: "open" });
if ("adoptedStyleSheets" in shadow && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS); // constructed style sheets need no 'unsafe-inline' in the page's CSP
  shadow.adoptedStyleSheets = [sheet];
} else {
  shadow.append(el("style", { text: CSS }));
}

const icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
icon.setAttribute("viewBox", "0 0 24 24");
icon.setAttribute("aria-hidden", "true");
const bubble = document.createElementNS("http://www.w3.org/2000/svg", "path");
bubble.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9H7zm4 0v2h2V9h-2zm4 0v2h2V9h-2z");
icon.append(bubble);
// Small screens show only the icon; the text stays the name.
const launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "panel" },
  icon, el("span", { class: "label", text: T.open }));
const closeButton = el("button", { type: "button", class: "close", "aria-label": T.close, text: "✕" });
const restartButton = el("button", { type: "button", class: "restart", text: T.restart });
const log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": T.title, tabindex: "0" });
const status = el("p", { class: "status", role: "status" });
const input = el("textarea", { id: "input", rows: "2", maxlength: String(MAX_TEXT), autocomplete: "off", "aria-describedby": "privacy" });
const form = el("form", null,
  el("div", { class: "field" }, el("label", { for: "input", text: T.label }), input),
  el("button", { type: "submit", text: T.send }));
const panel = el("div", { id: "panel", class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "title", hidden: true },
  el("header", null, el("h2", { id: "title", text: T.title }), server ? restartButton : null, closeButton),
  el("p", { class: "danger" }, T.danger + " ", tel("113", T.call + " 113")),
  log, ...(server ? [status, form, el("p", { id: "privacy", class: "privacy", text: T.privacy })] : []));
shadow.append(el("aside", { class: "root", lang, "aria-label": T.title }, launcher, panel));

const scrollDown = () => { log.scrollTop = log.scrollHeight; };

/* One stored item → its nodes. Items: {from, text, buttons, custom, answered}. */
const renderItem = (item) => {
  if (item.from === "down") return [fallback(T.down, "alert")];
  if (item.from === "undeleted") return [el("div", { class: "msg note" }, el("p", { text: T.undeleted }))];
  const nodes = [];
  if (typeof item.text === "string" && item.text) {
    nodes.push(el("div", { class: "msg " + (item.from === "user" ? "user" : "bot"), lang: item.lang && item.lang !== lang ? item.lang : null },
      el("span", { class: "sr", text: item.from === "user" ? T.you + " " : T.bot + " " }), item.text));
  }
  const buttons = Array.isArray(item.buttons) ? item.buttons.filter((b) => b && typeof b.title === "string" && typeof b.payload === "string") : [];
  if (buttons.length) {
    nodes.push(el("div", { class: "choices", role: "group", "aria-label": T.choices },
      ...buttons.map((b) => {
        const button = el("button", { type: "button", disabled: item.answered ? true : null, text: b.title });
        button.addEventListener("click", () => send(b.payload, b.title));
        return button;
      })));
  }
  const card = renderCustom(item.custom);
  if (card) nodes.push(card);
  return nodes;
};

const add = (item) => {
  state.items.push(item);
  save();
  log.append(...renderItem(item));
  scrollDown();
};

const renderAll = () => {
  if (!server) return log.replaceChildren(fallback(T.off));
  log.replaceChildren(el("div", { class: "msg bot", text: T.hello }));
  state.items.forEach((item) => log.append(...renderItem(item)));
  scrollDown();
};

/* One POST to the REST channel: its JSON, or null on any failure. */
const post = async (body) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(server + "/webhooks/rest/webhook", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      signal: controller.signal, credentials: "omit", referrerPolicy: "no-referrer",
    });
    return response.ok ? await response.json() : null;
  } catch (e) {
    return null;
  } finally {
    clearTimeout(timer);
  }
};

let busy = false;
let pending = Promise.resolve(); // the message on its way: "Ny samtale" deletes after it has arrived
const metadata = () => ({
  language: lang,
  logged_in: data.loggedIn === "true",
  ...(/^\d{4}$/.test(data.municipality || "") ? { municipality: data.municipality } : {}),
});

async function send(message, shown) {
  if (busy || !message.trim()) return;
  busy = true;
  const active = shadow.activeElement;
  const wasHere = Boolean(active && (active === input || active.closest(".choices")));
  // Earlier answer buttons are spent once anything new is said.
  state.items.forEach((item) => { if (item.buttons) item.answered = true; });
  log.querySelectorAll(".choices button").forEach((b) => { b.disabled = true; });
  // Sent as typed (the assistant redacts before it stores); kept here redacted.
  add({ from: "user", text: redact(shown || message) });
  status.textContent = T.typing;
  const sender = state.sender;
  const request = post({ sender, message: message.slice(0, MAX_TEXT), metadata: metadata() });
  pending = request;
  const replies = await request;
  if (state.sender !== sender) return; // "Ny samtale" was chosen while waiting: drop the old answer
  status.textContent = "";
  busy = false;
  if (!Array.isArray(replies) || !replies.length) return add({ from: "down" });
  // The reply's language, from its typed payload (WCAG 3.1.2: English in a Norwegian widget gets lang="en").
  const typed = replies.find((r) => r && r.custom && TEXT[r.custom.language]);
  const replyLang = typed ? typed.custom.language : null;
  for (const reply of replies) {
    if (!reply || typeof reply !== "object") continue;
    add({
      from: "bot",
      lang: replyLang,
      text: typeof reply.text === "string" ? reply.text : null,
      buttons: Array.isArray(reply.buttons) ? reply.buttons : null,
      custom: reply.custom && typeof reply.custom === "object" ? reply.custom : null,
    });
  }
  // Keyboard focus follows the conversation: the new answer buttons, else the text field.
  if (wasHere) {
    const groups = log.querySelectorAll(".choices");
    const choice = groups.length ? groups[groups.length - 1].querySelector("button:not([disabled])") : null;
    (choice || input).focus();
  }
}

/* "Ny samtale": a new conversation at once, here; the old one deleted on the server. */
const restart = async () => {
  const old = state.sender;
  const said = state.items.some((item) => item.from === "user");
  const before = pending;
  state = { ...fresh(), open: true };
  busy = false;
  status.textContent = "";
  save();
  renderAll();
  input.focus();
  if (!said) return; // nothing was sent: nothing to delete
  await before; // a message still on its way is deleted with the rest
  const answer = await post({ sender: old, delete: true });
  if (answer && answer.deleted === true) { if (!busy) status.textContent = T.deleted; } else add({ from: "undeleted" });
};

const setOpen = (open, focus) => {
  state.open = open;
  save();
  panel.hidden = !open;
  launcher.setAttribute("aria-expanded", String(open));
  if (open) { scrollDown(); if (focus) (server ? input : log.querySelector("a")).focus(); } else if (focus) launcher.focus();
};

launcher.addEventListener("click", () => setOpen(true, true));
closeButton.addEventListener("click", () => setOpen(false, true));
panel.addEventListener("keydown", (event) => { if (event.key === "Escape") setOpen(false, true); });
restartButton.addEventListener("click", restart);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value;
  if (busy || !text.trim()) return;
  input.value = "";
  send(text);
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); form.requestSubmit(); }
});

const start = () => {
  document.body.append(host);
  renderAll();
  setOpen(Boolean(state.open), false);
};
if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
