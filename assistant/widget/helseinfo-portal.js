/* helseinfo's portal module: "Kurs og grupper for deg" and "Les mer om" for a person's own
 * condition codes, computed in the browser from the static content API (site/api/v1/).
 * The codes never leave the page: the module fetches three files at fixed addresses
 * (codes.json, groups.json, articles/<nb|nn>.json) and never builds an address from a code.
 * Use and options: docs/portal-module.md. */
(() => {
"use strict";
if (window.HelseinfoPortal) return;

const TEXT = {
  nb: {
    groups: "Kurs og grupper for deg", articles: "Les mer om",
    noGroups: "Vi fant ingen kurs eller grupper for deg i kommunen din ennå.",
    noArticles: "Vi fant ingen artikler i helsebiblioteket for dette ennå.",
    failed: "Forslagene kan ikke vises akkurat nå. Prøv igjen senere, eller se helsebiblioteket.",
    library: "Helsebiblioteket", loading: "Henter forslag …",
    formats: { physical: "Oppmøte", digital: "Digitalt", both: "Oppmøte og digitalt" },
    referral: { true: "Krever henvisning", false: "Du trenger ikke henvisning" },
    unverified: "Opplysningene er ikke kontrollert ennå.",
  },
  nn: {
    groups: "Kurs og grupper for deg", articles: "Les meir om",
    noGroups: "Vi fann ingen kurs eller grupper for deg i kommunen din enno.",
    noArticles: "Vi fann ingen artiklar i helsebiblioteket for dette enno.",
    failed: "Forslaga kan ikkje visast akkurat no. Prøv igjen seinare, eller sjå helsebiblioteket.",
    library: "Helsebiblioteket", loading: "Hentar forslag …",
    formats: { physical: "Oppmøte", digital: "Digitalt", both: "Oppmøte og digitalt" },
    referral: { true: "Krev tilvising", false: "Du treng ikkje tilvising" },
    unverified: "Opplysningane er ikkje kontrollerte enno.",
  },
};
/** Age groups the portal may pass, in whole years (both ends included). */
const AGE_GROUPS = { barn: [0, 12], ungdom: [13, 17], voksen: [18, 66], eldre: [67, 130] };
const ICPC2 = /^[A-Z]\d{2,3}$/;
const ICD10 = /^([A-Z]\d{2})\.?(\d{1,2})?$/;
const CSS = `:host{display:block}.w{color:#1a1a1a;background:#fff;font:inherit;line-height:1.5}
section{margin:0 0 1.5em}h2,h3{margin:0 0 .5em;line-height:1.3}ul{list-style:none;margin:0;padding:0}
li{margin:0 0 1em;padding:0 0 1em;border-bottom:1px solid #d0d5dd}li:last-child{border-bottom:0}
p{margin:.25em 0 0}a{color:#1d3b8f;text-decoration:underline;overflow-wrap:anywhere}
a:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;background:#ffdd00;color:#1a1a1a}
.meta{color:#444}`;

const cache = new Map();
function load(url) {  // one fetch per address and page; the HTTP cache and the ETag do the rest
  if (!cache.has(url)) {
    cache.set(url, fetch(url, { credentials: "omit", mode: "cors" }).then((r) => {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).catch((error) => { cache.delete(url); throw error; }));
  }
  return cache.get(url);
}

/** The index entries for the person's codes: exact, the ICD-10 category of a subcategory
 * (E11.9 → E11) and the subcategories of a category (J30 → J30.1). */
function entries(index, icpc2, icd10) {
  const found = [];
  for (const raw of icpc2) {
    const code = String(raw).trim().toUpperCase();
    if (ICPC2.test(code) && index.icpc2[code]) found.push(index.icpc2[code]);
  }
  for (const raw of icd10) {
    const m = ICD10.exec(String(raw).trim().toUpperCase());
    if (!m) continue;
    const code = m[2] ? m[1] + "." + m[2] : m[1];
    for (const [key, entry] of Object.entries(index.icd10)) {
      if (key === code || key === m[1] || key.startsWith(code + ".")) found.push(entry);
    }
  }
  return found;
}

function fitsAge(group, ageGroup) {
  const range = AGE_GROUPS[ageGroup];
  if (!range || !group.age) return true;
  const from = group.age.from_years ?? 0, to = group.age.to_years ?? 130;
  return from <= range[1] && to >= range[0];
}

/** What to show, without touching the page: `{groups, articles}` (both in display order). */
function match(data, options) {
  const found = entries(data.codes, options.icpc2 || [], options.icd10 || []);
  const groupIds = new Set(found.flatMap((e) => e.groups));
  const articleIds = new Set(found.flatMap((e) => e.articles));
  const municipality = String(options.municipality || "");
  const collator = new Intl.Collator("nb");
  const groups = data.groups.groups.filter((g) => groupIds.has(g.id)
    && (g.municipalities === "all" || g.municipalities.includes(municipality))
    && (!g.for.length || g.for.includes("person")) && fitsAge(g, options.ageGroup))
    .sort((a, b) => (a.municipalities === "all") - (b.municipalities === "all") || collator.compare(a.name, b.name));
  const articles = data.articles.articles.filter((a) => articleIds.has(a.id))
    .sort((a, b) => collator.compare(a.title, b.title));
  return { groups, articles };
}

function view(...children) {  // the style and a wrapper whose colours the host page cannot change
  return [el("style", null, CSS), el("div", { class: "w" }, ...children)];
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function section(id, title, level, items, empty) {
  const heading = el("h" + level, { id }, title);
  const body = items.length ? el("ul", null, ...items) : el("p", null, empty);
  return el("section", { "aria-labelledby": id }, heading, body);
}

function render(root, result, t, site, level, uid) {
  const groups = result.groups.map((g) => el("li", null,
    el("h" + (level + 1), null, el("a", { href: new URL(g.url, site).href }, g.name)),
    el("p", null, g.audience),
    el("p", { class: "meta" }, [t.formats[g.format], t.referral[g.referral]].filter(Boolean).join(" · ")),
    g.verified ? null : el("p", { class: "meta" }, t.unverified)));
  const articles = result.articles.map((a) => el("li", null,
    el("a", { href: new URL(a.url, site).href }, a.title), el("p", null, a.summary)));
  root.replaceChildren(...view(section(uid + "-groups", t.groups, level, groups, t.noGroups),
    section(uid + "-articles", t.articles, level, articles, t.noArticles)));
}

let count = 0;
/** Show the suggestions in `element`. Options: api (the API's address, ending in /api/v1/),
 * icpc2 and icd10 (the person's codes), municipality ("5006"), language ("nb" or "nn"),
 * ageGroup ("barn", "ungdom", "voksen", "eldre"), headingLevel (2). Resolves to the number
 * of groups and articles shown. */
async function show(element, options) {
  const language = options.language === "nn" ? "nn" : "nb";
  const t = TEXT[language];
  const api = new URL(options.api || "/api/v1/", document.baseURI);
  const site = new URL("../../", api);
  const level = Math.min(Math.max(Number(options.headingLevel) || 2, 1), 5);
  const root = element.shadowRoot || element.attachShadow({ mode: "open" });
  const uid = "helseinfo-portal-" + (++count);
  root.replaceChildren(...view(el("p", { role: "status" }, t.loading)));
  try {
    const [codes, groups, articles] = await Promise.all(
      [new URL("codes.json", api), new URL("groups.json", api), new URL("articles/" + language + ".json", api)].map((u) => load(u.href)));
    const result = match({ codes, groups, articles }, options);
    render(root, result, t, site, level, uid);
    return { groups: result.groups.length, articles: result.articles.length };
  } catch (error) {
    root.replaceChildren(...view(el("p", { role: "alert" }, t.failed + " ",
      el("a", { href: new URL(language + "/", site).href }, t.library))));
    return { groups: 0, articles: 0, error: true };
  }
}

window.HelseinfoPortal = Object.freeze({ show, match, AGE_GROUPS });
})();
