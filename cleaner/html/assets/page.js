"use strict";
// The review page. Every text that comes from a file is put in the page as a text node (append,
// textContent, setAttribute): never as markup. A file's data is decoded when the file is opened.
(function () {
  performance.mark("cleaner:start");
  const SAME = 0, GONE = 1, ADDED = 2;
  const F = { label: 0, kind: 1, action: 2, line: 3, sim: 4, passage: 5, matched: 6, detail: 7, anchor: 8, cat: 9, diff: 10 };
  const TITLE_KINDS = new Set(["title_repair", "title_cut", "mojibake"]);
  const SEAMS = new Set(["overlap", "continuation"]);
  const INLINE_MAX = 40; // a removed run this short, within one line, is struck through in place
  const FIRST_ITEMS = 300; // review items listed before "show all"
  const GROUP_MIN = 3; // this many dropped paragraphs in a row fold into one group
  const IDX = JSON.parse(document.getElementById("index").textContent);
  const CATS = IDX.categories;
  const files = IDX.files;
  const byPath = new Map(files.map((f, i) => [f.p, i]));
  const state = { q: "", onlyReview: false, rules: new Set(), mode: "cleaned", open: -1, mark: -1, current: -1, showAll: false };
  const cache = new Map();
  let renderToken = 0;
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
    return e;
  }
  const svg = (tag, attrs) => {
    const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  };
  const baseName = (p) => p.slice(p.lastIndexOf("/") + 1);
  const catClass = (c) => (c === null || c === undefined || c < 0 ? "cat-other" : "cat-" + CATS[c]);
  const simText = (s) => (s === null || s === undefined ? "" : String(Math.round(s)));

  // ---- filters ------------------------------------------------------------------------------------
  function fileVisible(i) {
    const f = files[i];
    if (state.q && !f.p.toLowerCase().includes(state.q)) return false;
    if (state.onlyReview && f.r === 0) return false;
    if (state.rules.size && ![...state.rules].some((r) => f.n[r])) return false;
    return true;
  }
  function itemVisible(item) {
    return fileVisible(item[0]) && (!state.rules.size || state.rules.has(item[3]));
  }
  let visibleItems = [];

  function applyFilters() {
    let shown = 0;
    for (const li of $("file-list").children) {
      const ok = fileVisible(Number(li.dataset.i));
      li.hidden = !ok;
      shown += ok ? 1 : 0;
    }
    $("file-count").textContent = shown === files.length ? `${files.length} files` : `${shown} of ${files.length} files`;
    visibleItems = IDX.review.filter(itemVisible);
    renderReview();
    renderRuleChips();
    for (const g of document.querySelectorAll("#chart .bar")) g.classList.toggle("on", state.rules.has(g.dataset.rule));
    for (const m of document.querySelectorAll("#detail .mark")) m.classList.toggle("dim", state.rules.size > 0 && !state.rules.has(m.dataset.rule));
  }
  function toggleRule(rule) {
    if (state.rules.has(rule)) state.rules.delete(rule);
    else state.rules.add(rule);
    state.current = -1;
    applyFilters();
  }
  function renderRuleChips() {
    const box = $("rule-filter");
    box.replaceChildren();
    for (const rule of state.rules) {
      const chip = el("button", { class: "chip on", type: "button", title: "remove this filter", "data-rule": rule }, rule + " ×");
      chip.addEventListener("click", () => toggleRule(rule));
      box.append(chip);
    }
  }

  // ---- overview -----------------------------------------------------------------------------------
  function renderOverview() {
    const s = IDX.summary;
    const stat = (n, what, cls) => el("div", { class: "stat " + (cls || "") }, el("b", { text: String(n) }), el("span", { text: what }));
    $("stats").replaceChildren(
      stat(s.files, "files read"),
      stat(s.changed, "changed"),
      stat(s.unchanged, "unchanged"),
      stat(s.errors, "with errors", s.errors ? "err" : ""),
      stat(IDX.review.length, "to review first"),
    );
    renderChart();
    renderDuplicates();
    const boiler = $("boiler");
    if (!IDX.boilerplate.length) boiler.replaceChildren(el("p", { class: "empty", text: "none" }));
    else {
      const t = el("table", {}, el("tr", {}, el("th", { text: "line" }), el("th", { text: "files" })));
      for (const [line, n] of IDX.boilerplate) t.append(el("tr", {}, el("td", { text: line }), el("td", { text: String(n) })));
      boiler.replaceChildren(t);
    }
  }
  function renderChart() {
    const labels = IDX.labels;
    const box = $("chart");
    if (!labels.length) { box.replaceChildren(el("p", { class: "empty", text: "no findings" })); return; }
    const reviewRules = new Set(IDX.review.map((r) => r[3]));
    const row = 22, left = 190, width = 620, barMax = width - left - 60;
    const max = Math.max(...labels.map((l) => l[1]));
    const s = svg("svg", { viewBox: `0 0 ${width} ${labels.length * row + 4}`, role: "img", "aria-label": "findings by rule" });
    labels.forEach(([rule, n], i) => {
      const y = i * row + 2;
      const g = svg("g", { class: "bar" + (reviewRules.has(rule) ? " review" : ""), "data-rule": rule, tabindex: 0 });
      const title = svg("title");
      title.textContent = `${rule}: ${n} — click to filter`;
      const name = svg("text", { x: left - 8, y: y + 15, "text-anchor": "end" });
      name.textContent = rule;
      const w = Math.max(2, (n / max) * barMax);
      const count = svg("text", { class: "n", x: left + w + 6, y: y + 15 });
      count.textContent = String(n);
      g.append(title, svg("rect", { x: 0, y, width, height: row, fill: "transparent" }), name,
        svg("rect", { class: "b", x: left, y: y + 3, width: w, height: row - 6, rx: 3 }), count);
      g.addEventListener("click", () => toggleRule(rule));
      g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); e.stopPropagation(); toggleRule(rule); } });
      s.append(g);
    });
    box.replaceChildren(s);
  }
  function fileLink(path) {
    const i = byPath.get(path);
    return i === undefined ? el("span", { text: path }) : el("a", { href: `#f${i}` , text: baseName(path), title: path });
  }
  function renderDuplicates() {
    const box = $("dups");
    if (!IDX.duplicates.length) { box.replaceChildren(el("p", { class: "empty", text: "none" })); return; }
    const t = el("table", {}, el("tr", {}, el("th", { text: "kept" }), el("th", { text: "same article" }), el("th", { text: "sim" })));
    for (const g of IDX.duplicates) {
      g.members.forEach(([path, sim, reason], k) => {
        t.append(el("tr", {}, el("td", {}, k === 0 ? fileLink(g.canonical) : ""), el("td", { title: reason }, fileLink(path)), el("td", { text: simText(sim) })));
      });
    }
    box.replaceChildren(t);
  }

  // ---- file list and review list ------------------------------------------------------------------
  function renderFileList() {
    const list = $("file-list");
    const frag = document.createDocumentFragment();
    files.forEach((f, i) => {
      const changes = Object.values(f.n).reduce((a, b) => a + b, 0);
      const li = el("li", { "data-i": i, class: f.c ? "changed" : "unchanged", title: f.p },
        el("span", { class: "name", text: baseName(f.p) }),
        f.e ? el("span", { class: "badge err", text: "error" }) : null,
        f.r ? el("span", { class: "badge rv", title: "review items", text: String(f.r) }) : null,
        changes ? el("span", { class: "badge", title: "findings", text: String(changes) }) : null);
      li.addEventListener("click", () => { location.hash = `#f${i}`; });
      frag.append(li);
    });
    list.replaceChildren(frag);
  }
  function renderReview() {
    const list = $("review-list");
    const items = state.showAll ? visibleItems : visibleItems.slice(0, FIRST_ITEMS);
    const frag = document.createDocumentFragment();
    items.forEach((item, n) => {
      const [fi, k, cat, rule, sim, text] = item;
      const li = el("li", { "data-n": n, "data-rule": rule, "data-file": fi },
        el("a", { href: `#f${fi}:${k}` },
          el("span", { class: "cat " + catClass(cat), text: CATS[cat] }),
          el("span", { class: "file", text: baseName(files[fi].p), title: files[fi].p }),
          el("span", { class: "rule", text: rule }),
          el("span", { class: "sim", text: cat === 1 || sim < 100 ? simText(sim) : "" }),
          el("span", { class: "text", text })));
      if (n === state.current) li.classList.add("current");
      frag.append(li);
    });
    list.replaceChildren(frag);
    $("review-count").textContent = `${visibleItems.length} items`;
    const more = $("more");
    more.hidden = state.showAll || visibleItems.length <= FIRST_ITEMS;
    more.textContent = `show all ${visibleItems.length}`;
  }

  // ---- one file -----------------------------------------------------------------------------------
  async function load(i) {
    const b = files[i].b;
    if (b < 0) return null;
    if (cache.has(b)) return cache.get(b);
    const raw = atob($("d" + b).textContent);
    const bytes = new Uint8Array(raw.length);
    for (let j = 0; j < raw.length; j++) bytes[j] = raw.charCodeAt(j);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    const data = JSON.parse(await new Response(stream).text());
    for (const f of data.f) {
      // a text the passage diff holds whole is sent once, inside the diff
      if (f[F.passage] === null) f[F.passage] = f[F.diff].filter(([op]) => op !== ADDED).map(([, t]) => t).join("");
      if (f[F.matched] === null) {
        f[F.matched] = f[F.diff] ? f[F.diff].filter(([op]) => op !== GONE).map(([, t]) => t).join("") : f[F.passage];
      }
    }
    cache.set(b, data);
    return data;
  }
  function diffSide(segs, side) {
    // one side of a passage diff: the old side shows what went, the new side what came
    const span = el("span");
    for (const [op, text] of segs || []) {
      if (op === SAME) span.append(text);
      else if (op === GONE && side === "old") span.append(el("del", { text }));
      else if (op === ADDED && side === "new") span.append(el("ins", { text }));
    }
    return span;
  }
  function mark(f, k) {
    const sim = simText(f[F.sim]);
    const m = el("span", { class: "mark " + catClass(f[F.cat]), id: `m${k}`, "data-rule": f[F.label], tabindex: 0,
      title: [f[F.label], f[F.action], sim && `similarity ${sim}`, f[F.detail]].filter(Boolean).join(" · ") }, f[F.label] + (sim ? ` ${sim}` : ""));
    if (state.rules.size && !state.rules.has(f[F.label])) m.classList.add("dim");
    return m;
  }
  function info(f) {
    const box = el("span", { class: "info" });
    box.append(el("span", { class: "k", text: f[F.action] }), f[F.detail] || "");
    if (f[F.matched] && !TITLE_KINDS.has(f[F.kind])) {
      const what = SEAMS.has(f[F.kind]) ? "joined to" : "kept";
      box.append(el("br"), el("span", { class: "k", text: what + (f[F.sim] !== null ? ` (similarity ${simText(f[F.sim])})` : "") }),
        f[F.diff] ? diffSide(f[F.diff], "new") : f[F.matched]);
    }
    if (f[F.passage] && f[F.kind] !== "marker") box.append(el("br"), el("span", { class: "k", text: "passage" }), f[F.diff] ? diffSide(f[F.diff], "old") : f[F.passage]);
    return box;
  }
  function markWithInfo(f, k) {
    const m = mark(f, k);
    const box = info(f);
    box.hidden = true;
    m.addEventListener("click", (e) => { e.preventDefault(); box.hidden = !box.hidden; });
    const wrap = document.createDocumentFragment();
    wrap.append(m, box);
    return wrap;
  }
  function dropBlock(text, marks, data) {
    const d = el("details", { class: "drop" });
    const summary = el("summary");
    for (const k of marks) summary.append(mark(data.f[k], k));
    const chars = text.replace(/\n/g, "").length;
    summary.append(` dropped · ${chars} characters`);
    const body = el("div", { class: "body" });
    body.append(el("div", { class: "was" }, el("span", { class: "k", text: "dropped" }), text.replace(/\n+$/, "")));
    for (const k of marks) {
      const f = data.f[k];
      if (f[F.matched]) {
        const what = SEAMS.has(f[F.kind]) ? "joined to" : "the kept passage it matched";
        body.append(el("div", { class: "kept" },
          el("span", { class: "k", text: `${f[F.label]}: ${what}` + (f[F.sim] !== null ? ` · similarity ${simText(f[F.sim])}` : "") }),
          f[F.diff] ? diffSide(f[F.diff], "new") : f[F.matched]));
        if (f[F.diff] && f[F.diff].some(([op]) => op === GONE)) body.append(el("div", { class: "kept" }, el("span", { class: "k", text: "what differs in the dropped one" }), diffSide(f[F.diff], "old")));
      } else if (f[F.detail]) body.append(el("div", { class: "kept" }, el("span", { class: "k", text: f[F.label] }), f[F.detail]));
    }
    d.append(summary, body);
    return d;
  }
  function renderArticle(data, mode) {
    const art = el("div", { class: "article mode-" + mode });
    const anchored = new Map();
    data.f.forEach((f, k) => {
      if (f[F.anchor] < 0) return;
      if (!anchored.has(f[F.anchor])) anchored.set(f[F.anchor], []);
      anchored.get(f[F.anchor]).push(k);
    });
    const fm = data.fm > 0 ? el("span", { class: "fm" }) : null;
    if (fm) art.append(fm);
    // consecutive dropped paragraphs (a whole repeated answer) fold into one group
    let run = [];
    let drops = 0;
    const flush = () => {
      if (drops >= GROUP_MIN) {
        const counts = new Map();
        for (const node of run) {
          if (!(node instanceof Element)) continue;
          for (const m of node.querySelectorAll("summary .mark")) counts.set(m.dataset.rule, (counts.get(m.dataset.rule) || 0) + 1);
        }
        const what = [...counts].map(([rule, n]) => (n > 1 ? `${rule} ×${n}` : rule)).join(", ");
        const review = run.filter((n) => n instanceof Element && n.querySelector("summary .mark:not(.cat-other)")).length;
        const summary = el("summary", {}, review ? el("span", { class: "badge rv", text: `${review} to review` }) : null,
          ` ${drops} passages dropped here` + (what ? ` · ${what}` : ""));
        const group = el("details", { class: "drop-group" }, summary);
        group.append(...run);
        art.append(group);
      } else art.append(...run);
      run = [];
      drops = 0;
    };
    let pos = 0;
    data.s.forEach(([op, text], i) => {
      const target = fm && pos < data.fm ? fm : art;
      const marks = anchored.get(i) || [];
      if (op !== ADDED) pos += text.length;
      if (target === art && mode === "cleaned" && drops && !marks.length && op !== ADDED && !text.trim()) {
        if (op === SAME) run.push(document.createTextNode(text));
        return; // blank lines between dropped paragraphs stay in the run
      }
      if (op === GONE && mode === "cleaned" && target === art && !text.trim()) {
        flush();
        for (const k of marks) target.append(markWithInfo(data.f[k], k));
        return; // a blank line that went: nothing to read
      }
      if (op === GONE && mode === "cleaned" && target === art && (text.includes("\n") || text.length > INLINE_MAX)) {
        run.push(dropBlock(text, marks, data));
        drops++;
        return;
      }
      flush();
      for (const k of marks) target.append(markWithInfo(data.f[k], k));
      if (op === SAME) target.append(text);
      else if (op === GONE) target.append(el("del", { text }));
      else if (mode === "cleaned") target.append(el("ins", { text }));
      else target.append(el("span", { class: "ghost", title: "added by the cleaner: " + text, text: "+" + text.length }));
    });
    flush();
    return art;
  }
  async function openFile(i, k) {
    const token = ++renderToken;
    const f = files[i];
    state.open = i;
    for (const li of document.querySelectorAll("#file-list li.open")) li.classList.remove("open");
    const li = document.querySelector(`#file-list li[data-i="${i}"]`);
    if (li) { li.classList.add("open"); li.scrollIntoView({ block: "nearest" }); }
    $("home").hidden = true;
    const detail = $("detail");
    detail.hidden = false;
    detail.removeAttribute("data-ready");
    const data = await load(i);
    if (token !== renderToken) return;
    const toggle = el("span", { class: "toggle" });
    for (const mode of ["cleaned", "original"]) {
      const b = el("button", { type: "button", class: state.mode === mode ? "on" : "", "data-mode": mode, text: mode === "cleaned" ? "Cleaned" : "Original" });
      b.addEventListener("click", () => { state.mode = mode; openFile(i, -1); });
      toggle.append(b);
    }
    const head = el("div", { class: "file-head" }, el("a", { class: "back", href: "#", text: "← overview" }),
      el("h1", { text: f.p }), el("span", { class: "badge", text: f.e ? "error" : f.c ? "changed" : "unchanged" }), toggle,
      el("span", { class: "legend" }, el("ins", { text: "added" }), el("del", { text: "removed" }), el("span", { class: "mark cat-seam", text: "seam" }),
        el("span", { class: "mark cat-moved", text: "moved" }), el("span", { class: "mark cat-fragment", text: "fragment" }),
        el("span", { class: "mark cat-title", text: "title" }), el("span", { class: "mark cat-suspect", text: "suspect" })));
    const parts = [head];
    const notes = el("ul", { class: "file-notes" });
    if (f.e) notes.append(el("li", { text: "error: " + f.e }));
    for (const [rule, , detailText] of f.x) notes.append(el("li", {}, el("b", { text: rule + ": " }), detailText));
    if (data) {
      data.f.forEach((g, n) => {
        if (TITLE_KINDS.has(g[F.kind]) && g[F.matched]) {
          parts.push(el("div", { class: "title-change" }, mark(g, `t${n}`), " ",
            g[F.diff] ? diffSide(g[F.diff], "old") : g[F.passage], el("span", { class: "arrow", text: "→" }),
            g[F.diff] ? diffSide(g[F.diff], "new") : g[F.matched]));
        }
        if (g[F.anchor] < 0 && !TITLE_KINDS.has(g[F.kind])) notes.append(el("li", {}, mark(g, n), " ", g[F.detail] || g[F.passage]));
      });
    }
    if (notes.children.length) parts.push(notes);
    if (data) parts.push(renderArticle(data, state.mode));
    detail.replaceChildren(...parts);
    detail.setAttribute("data-ready", "1");
    if (k >= 0) focusMark(k);
    else window.scrollTo(0, 0);
  }
  function focusMark(k) {
    for (const m of document.querySelectorAll(".current-mark")) m.classList.remove("current-mark");
    const m = $(`m${k}`);
    if (!m) return;
    for (let d = m.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
    m.classList.add("current-mark");
    m.scrollIntoView({ block: "center" });
  }

  // ---- navigation ---------------------------------------------------------------------------------
  function route() {
    const match = /^#f(\d+)(?::(\d+))?$/.exec(location.hash);
    if (!match || !files[Number(match[1])]) {
      renderToken++;
      state.open = -1;
      $("detail").hidden = true;
      $("home").hidden = false;
      for (const li of document.querySelectorAll("#file-list li.open")) li.classList.remove("open");
      return;
    }
    const i = Number(match[1]);
    const k = match[2] === undefined ? -1 : Number(match[2]);
    const n = visibleItems.findIndex((it) => it[0] === i && it[1] === k);
    if (n >= 0) setCurrent(n);
    if (state.open === i && $("detail").getAttribute("data-ready")) { if (k >= 0) focusMark(k); }
    else openFile(i, k);
  }
  function setCurrent(n) {
    state.current = n;
    if (n >= FIRST_ITEMS && !state.showAll) { state.showAll = true; renderReview(); }
    for (const li of document.querySelectorAll("#review-list li.current")) li.classList.remove("current");
    const li = document.querySelector(`#review-list li[data-n="${n}"]`);
    if (li) li.classList.add("current");
  }
  function step(delta) {
    if (!visibleItems.length) return;
    const n = Math.min(visibleItems.length - 1, Math.max(0, state.current + delta));
    setCurrent(n);
    const [fi, k] = visibleItems[n];
    location.hash = `#f${fi}:${k}`;
  }
  document.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    if (e.key === "j") step(1);
    else if (e.key === "k") step(-1);
    else if (e.key === "o" && state.open >= 0) { state.mode = state.mode === "cleaned" ? "original" : "cleaned"; openFile(state.open, -1); }
    else if (e.key === "Escape") location.hash = "";
    else if (e.key === "/") { e.preventDefault(); $("q").focus(); }
    else return;
    e.preventDefault();
  });

  // ---- start --------------------------------------------------------------------------------------
  $("q").addEventListener("input", (e) => { state.q = e.target.value.trim().toLowerCase(); applyFilters(); });
  $("only-review").addEventListener("change", (e) => { state.onlyReview = e.target.checked; applyFilters(); });
  $("more").addEventListener("click", () => { state.showAll = true; renderReview(); });
  window.addEventListener("hashchange", route);
  document.title = IDX.title;
  renderOverview();
  renderFileList();
  applyFilters();
  route();
  document.body.setAttribute("data-ready", "1");
  performance.measure("cleaner:init", "cleaner:start");
})();
