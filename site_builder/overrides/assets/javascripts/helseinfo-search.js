/* The site's search box on the project's own index: Material's search field, answered by the
 * search service (GET /api/search, search_index/api.py) instead of lunr in the browser.
 *
 * - Typing sends the query after a short pause (DELAY ms); a newer query cancels the request
 *   before it (AbortController), and a late answer to an old query is never shown.
 * - The hits go into Material's own result list and use its classes, so its look, its
 *   arrow-key navigation and Enter (the first hit) work as before. Each hit says its kind
 *   (article, the service type, course or group), where it serves (municipality names) and,
 *   for services whose hours are known, "Åpen nå" or "Stengt nå"; a typo gets "Mente du …?"
 *   as a button. The count and the suggestion are read out by a polite live region.
 * - Material requests its lunr index (search/search_index.json, 1.5 MB) and starts its search
 *   worker (lunr) on every page load. This script runs before Material's and holds both back:
 *   while the service answers, the index is never requested and the worker never started
 *   (Material gets a stand-in that starts the real worker at its first message). When the service cannot be reached (no answer, an error 5xx,
 *   a static copy of the site, a file:// page), the request goes out and Material's own
 *   search takes over for the rest of the page's life, the current query included.
 *   Answers 400 (bad input) and 429 (too many searches) are shown as the service words them.
 * Text is set with textContent only, never as HTML. No framework.
 */
(function () {
  "use strict";

  var DELAY = 200;
  var TIMEOUT = 5000;
  var script = document.currentScript;
  var api = script ? script.getAttribute("data-api") : "";
  var labels = {};
  try {
    labels = JSON.parse(script.getAttribute("data-labels") || "{}");
  } catch (error) {
    labels = {};
  }
  var mode = api && window.fetch && window.AbortController && location.protocol !== "file:" ? "api" : "fallback";
  var held = [];

  /* Hold back Material's request for its lunr index while the service answers. */
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.hiSearchIndex = /(^|\/)search\/search_index\.json$/.test(String(url).split(/[?#]/)[0]);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.hiSearchIndex && mode === "api") {
      var request = this;
      var args = arguments;
      held.push(function () { send.apply(request, args); });
      return undefined;
    }
    return send.apply(this, arguments);
  };

  /* Start Material's search worker only when Material first talks to it (after a fallback). */
  var RealWorker = window.Worker;
  if (RealWorker && mode === "api") {
    window.Worker = function (url, options) {
      if (mode !== "api" || !/workers\/search\.[^/]*\.js/.test(String(url))) return new RealWorker(url, options);
      var listeners = [];
      var real = null;
      function begin() {
        if (!real) {
          real = new RealWorker(url, options);
          listeners.forEach(function (l) { real.addEventListener(l[0], l[1], l[2]); });
        }
        return real;
      }
      return {
        postMessage: function (message) { begin().postMessage(message); },
        addEventListener: function (type, listener, how) {
          listeners.push([type, listener, how]);
          if (real) real.addEventListener(type, listener, how);
        },
        removeEventListener: function (type, listener, how) {
          listeners = listeners.filter(function (l) { return l[0] !== type || l[1] !== listener; });
          if (real) real.removeEventListener(type, listener, how);
        },
        terminate: function () { if (real) real.terminate(); }
      };
    };
  }

  function start() {
    var input = document.querySelector("[data-md-component=search-query]");
    var result = document.querySelector("[data-md-component=search-result]");
    var config = document.getElementById("__config");
    if (!input || !result || !config) {
      fallBack();
      return;
    }
    var meta = result.querySelector(".md-search-result__meta");
    var list = result.querySelector(".md-search-result__list");
    var settings = JSON.parse(config.textContent);
    var texts = settings.translations || {};
    var base = new URL(String(settings.base || ".").replace(/\/?$/, "/"), location.href);
    var endpoint = new URL(api, location.href);
    var timer = null;
    var controller = null;
    var shown = "";
    var asked = 0;

    meta.setAttribute("aria-live", "polite");
    meta.setAttribute("aria-atomic", "true");

    function say(text) {
      meta.textContent = text;
    }

    function count(n) {
      if (n === 0) return texts["search.result.none"] || "Ingen treff";
      if (n === 1) return texts["search.result.one"] || "1 treff";
      return (texts["search.result.other"] || "# treff").replace("#", String(n));
    }

    function where(numbers) {
      var names = numbers.map(function (n) { return (labels.municipalities || {})[n] || n; });
      if (names.length > 3) {
        return names.slice(0, 3).join(", ") + " og " + (names.length - 3) + " til";
      }
      return names.join(", ");
    }

    function kind(hit) {
      if (hit.kind === "service") return (labels.types || {})[hit.service_type] || "Tjeneste";
      return (labels.kinds || {})[hit.kind] || hit.kind;
    }

    function element(tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (text) node.textContent = text;
      return node;
    }

    function render(body) {
      list.textContent = "";
      result.setAttribute("data-hi-query", body.q); // what is shown (the browser tests wait for it)
      body.hits.forEach(function (hit, i) {
        var item = element("li", "md-search-result__item");
        var link = element("a", "md-search-result__link");
        link.href = new URL(hit.url, base).href;
        link.tabIndex = -1;
        var article = element("article", "md-search-result__article md-typeset");
        article.setAttribute("data-md-score", String(body.hits.length - i));
        article.appendChild(element("h1", "", hit.title));
        var about = element("p", "hi-search-about", kind(hit));
        if (hit.municipalities && hit.municipalities.length) {
          about.appendChild(document.createTextNode(" · " + where(hit.municipalities)));
        }
        if (hit.open_now === true || hit.open_now === false) {
          about.appendChild(document.createTextNode(" · "));
          about.appendChild(element("span", "hi-open-now hi-open-now--" + (hit.open_now ? "open" : "closed"),
                                    hit.open_now ? "Åpen nå" : "Stengt nå"));
        }
        article.appendChild(about);
        link.appendChild(article);
        item.appendChild(link);
        list.appendChild(item);
      });
      say(count(body.hits.length));
      if (body.suggestion) {
        meta.appendChild(document.createTextNode(". Mente du "));
        var button = element("button", "hi-search-suggestion", body.suggestion);
        button.type = "button";
        button.addEventListener("click", function () {
          input.value = body.suggestion;
          input.focus();
          ask();
        });
        meta.appendChild(button);
        meta.appendChild(document.createTextNode("?"));
      }
    }

    function ask() {
      if (mode !== "api") return;
      var q = input.value.trim();
      if (q === shown) return;
      var mine = ++asked; // an answer to any earlier query is stale from now on
      if (controller) controller.abort();
      controller = null;
      shown = q;
      if (!q) {
        list.textContent = "";
        say(texts["search.result.placeholder"] || "");
        return;
      }
      var current = new AbortController();
      controller = current;
      var timeout = setTimeout(function () { current.abort("timeout"); }, TIMEOUT);
      endpoint.search = new URLSearchParams({ q: q }).toString();
      fetch(endpoint.href, { signal: current.signal, headers: { Accept: "application/json" }, credentials: "omit" })
        .then(function (response) {
          if (response.status >= 500) throw new Error("unavailable");
          return response.json().then(function (body) { return { status: response.status, body: body }; });
        })
        .then(function (answer) {
          clearTimeout(timeout);
          if (mine !== asked || mode !== "api") return;
          if (answer.status === 200 && answer.body && Array.isArray(answer.body.hits)) {
            render(answer.body);
          } else if (answer.body && typeof answer.body.message === "string") {
            list.textContent = "";
            result.setAttribute("data-hi-query", q);
            say(answer.body.message);
          } else {
            throw new Error("unexpected answer");
          }
        })
        .catch(function () {
          clearTimeout(timeout);
          if (mine !== asked) return; // cancelled by a newer query
          fallBack();
        });
    }

    function schedule() {
      if (mode !== "api") return;
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    }

    input.addEventListener("input", schedule);
    if (input.form) input.form.addEventListener("reset", function () { setTimeout(ask, 0); });
    input.addEventListener("focus", function () {
      if (mode === "api" && !input.value.trim()) say(texts["search.result.placeholder"] || "");
    });
    if (input.value.trim()) schedule(); // ?q= in the address, filled in by Material
  }

  function fallBack() {
    if (mode === "fallback" && !held.length) return;
    mode = "fallback";
    document.documentElement.setAttribute("data-hi-search", "fallback");
    var list = document.querySelector("[data-md-component=search-result] .md-search-result__list");
    if (list) list.textContent = "";
    held.splice(0).forEach(function (release) { release(); });
  }

  document.documentElement.setAttribute("data-hi-search", mode);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
