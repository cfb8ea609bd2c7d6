// Chat page: sends the whole conversation to /api/chat, renders the answer with numbered
// citations, and opens a citation's source (/api/documents) with the quoted span marked.
"use strict";

const conversation = []; // [{role, content}], sent whole on every turn
const documents = new Map(); // source -> Promise<document JSON>

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "role" || /^(data|aria)-/.test(key)) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// Raw newspaper text breaks lines mid-sentence; join them for one-line display
// (same rule as the server's message: whitespace next to Chinese text is dropped).
function oneLine(text) {
  return text.replace(/(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])/gu, "").replace(/\s+/g, " ").trim();
}

async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return readJSON(response);
}

async function readJSON(response) {
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = data && data.error ? data.error.message : `HTTP ${response.status}`;
    throw new Error(message);
  }
  return data;
}

function scrollThread() {
  const thread = $("thread");
  thread.lastElementChild?.scrollIntoView({ block: "end", behavior: "smooth" });
}

function addUserTurn(text) {
  $("hint")?.remove();
  const turn = el("li", { class: "turn user" },
    el("span", { class: "who visually-hidden", text: "你问：" }),
    el("div", { class: "bubble", text }));
  $("thread").append(turn);
  scrollThread();
}

function addPendingTurn() {
  const turn = el("li", { class: "turn assistant pending", "aria-busy": "true" },
    el("div", { class: "bubble" }, el("span", { class: "dots", text: "正在查找 Searching…" })));
  $("thread").append(turn);
  scrollThread();
  return turn;
}

function citationButton(citation, number) {
  const label = citation.title || citation.source;
  const button = el("button", {
    type: "button",
    class: "cite",
    title: `打开原文 Open ${citation.source} at ${citation.start}–${citation.end}`,
  },
  el("span", { class: "num", text: `[${number}]` }),
  el("span", { class: "cite-title", text: label }),
  citation.date ? el("span", { class: "cite-date", text: citation.date }) : null,
  el("span", { class: "cite-quote", text: `“${oneLine(citation.quote)}”` }));
  button.dataset.source = citation.source;
  button.dataset.start = String(citation.start);
  button.dataset.end = String(citation.end);
  button.addEventListener("click", () => openCitation(citation, number, button));
  return button;
}

const citationKey = (c) => `${c.source}:${c.start}:${c.end}`;

// Number citations as the server's message does: the answer's, then the alternatives'.
function numberedCitations(data) {
  const seen = new Set();
  const ordered = [];
  const all = [...data.citations, ...data.alternatives.flatMap((a) => a.citations)];
  for (const c of all) {
    const key = citationKey(c);
    if (!seen.has(key)) {
      seen.add(key);
      ordered.push(c);
    }
  }
  return ordered;
}

function refs(citations, ordered) {
  const keys = ordered.map(citationKey);
  return citations
    .map((c) => keys.indexOf(citationKey(c)) + 1)
    .filter((n) => n > 0)
    .map((n) => `[${n}]`)
    .join("");
}

function renderAnswer(turn, data) {
  turn.classList.remove("pending");
  turn.removeAttribute("aria-busy");
  const bubble = turn.querySelector(".bubble");
  bubble.replaceChildren();
  const ordered = numberedCitations(data);

  if (data.answer === null) {
    bubble.append(el("p", { class: "answer none" },
      el("strong", { text: "文章中没有提到。" }),
      el("span", { class: "muted", text: " The articles do not say." })));
  } else {
    bubble.append(el("p", { class: "answer" },
      el("strong", { class: "answer-text", text: data.answer }),
      el("span", { class: "refs", text: " " + refs(data.citations, ordered) })));
    const date = data.as_of || data.citations.find((c) => c.date)?.date;
    if (date) {
      bubble.append(el("p", { class: "date" },
        el("span", { class: "label", text: "日期 Date" }), el("time", { dateTime: date, text: date })));
    }
    for (const alt of data.alternatives) {
      bubble.append(el("p", { class: "alt" },
        el("span", { class: "label", text: "另有数字 Also reported" }),
        el("span", { text: alt.answer + (alt.as_of ? `（${alt.as_of}）` : "") + " " + refs(alt.citations, ordered) })));
    }
  }
  if (ordered.length) {
    bubble.append(el("h3", { class: "sources-heading", text: data.answer === null ? "相关段落 Closest passages" : "来源 Sources" }));
    const list = el("ol", { class: "sources" });
    ordered.forEach((c, i) => list.append(el("li", {}, citationButton(c, i + 1))));
    bubble.append(list);
  }
  scrollThread();
}

function renderError(turn, message) {
  turn.classList.remove("pending");
  turn.classList.add("error");
  turn.removeAttribute("aria-busy");
  const bubble = turn.querySelector(".bubble");
  bubble.replaceChildren(el("p", { role: "alert", text: `出错了 Error: ${message}` }));
}

async function ask(question) {
  const send = $("send");
  send.disabled = true;
  addUserTurn(question);
  conversation.push({ role: "user", content: question });
  const turn = addPendingTurn();
  try {
    const data = await postJSON("/api/chat", { messages: conversation });
    conversation.push({ role: "assistant", content: data.message });
    renderAnswer(turn, data);
  } catch (error) {
    conversation.pop(); // a failed turn is not part of the history
    renderError(turn, error.message);
  } finally {
    send.disabled = false;
    $("question").focus();
  }
}

function loadDocument(source) {
  if (!documents.has(source)) {
    const promise = fetch(`/api/documents/${encodeURIComponent(source)}`).then(readJSON);
    promise.catch(() => documents.delete(source));
    documents.set(source, promise);
  }
  return documents.get(source);
}

async function openCitation(citation, number, button) {
  const viewer = $("viewer");
  const text = $("viewer-text");
  document.querySelectorAll(".cite.active").forEach((b) => b.classList.remove("active"));
  button.classList.add("active");
  viewer.hidden = false;
  document.body.classList.add("viewing");
  $("viewer-title").textContent = `[${number}] ${citation.title || citation.source}`;
  $("viewer-meta").textContent = "正在打开… Opening…";
  text.replaceChildren();
  let doc;
  try {
    doc = await loadDocument(citation.source);
  } catch (error) {
    $("viewer-meta").textContent = `无法打开原文 Cannot open the source: ${error.message}`;
    return;
  }
  // Offsets count Unicode code points (Python str); slice code points, not UTF-16 units,
  // so characters outside the BMP (e.g. 𠮷) do not shift the highlight.
  const chars = Array.from(doc.text);
  const mark = el("mark", { id: "cited", tabIndex: -1, text: chars.slice(citation.start, citation.end).join("") });
  text.replaceChildren(
    document.createTextNode(chars.slice(0, citation.start).join("")),
    mark,
    document.createTextNode(chars.slice(citation.end).join("")),
  );
  const article = doc.articles.find((a) => a.start <= citation.start && citation.end <= a.end);
  const where = [doc.source, article?.title, article?.date || citation.date].filter(Boolean);
  $("viewer-meta").textContent = `${where.join(" · ")} · 第 ${citation.start}–${citation.end} 字`;
  mark.scrollIntoView({ block: "center" });
  mark.focus({ preventScroll: true });
}

function closeViewer() {
  $("viewer").hidden = true;
  document.body.classList.remove("viewing");
  document.querySelectorAll(".cite.active").forEach((b) => b.classList.remove("active"));
}

async function showStatus() {
  const status = $("status");
  try {
    const h = await readJSON(await fetch("/health"));
    status.textContent = `${h.sources} 版 · ${h.articles} 篇文章 · 检索：${h.dense ? "词法+语义" : "词法"}`;
    status.title = [`index: ${h.index_dir}`, `built: ${h.built_at}`, `model: ${h.model}`, h.dense_note]
      .filter(Boolean).join("\n");
  } catch (error) {
    status.textContent = `索引不可用 Index unavailable: ${error.message}`;
    status.classList.add("bad");
  }
}

function bindExample(button) {
  button.addEventListener("click", () => {
    $("question").value = button.textContent;
    submit();
  });
}

function submit() {
  const input = $("question");
  const question = input.value.trim();
  if (!question || $("send").disabled) {
    input.focus();
    return;
  }
  input.value = "";
  ask(question);
}

document.addEventListener("DOMContentLoaded", () => {
  $("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  $("question").addEventListener("keydown", (event) => {
    // Enter sends and Shift+Enter breaks the line; inside an IME composition Enter
    // picks a candidate, so leave it alone
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  document.querySelectorAll(".example").forEach(bindExample);
  $("viewer-close").addEventListener("click", closeViewer);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("viewer").hidden) closeViewer();
  });
  const hint = $("hint").cloneNode(true);
  $("new-chat").addEventListener("click", () => {
    conversation.length = 0;
    const freshHint = hint.cloneNode(true);
    freshHint.querySelectorAll(".example").forEach(bindExample);
    $("thread").replaceChildren(freshHint);
    closeViewer();
    $("question").focus();
  });
  showStatus();
});
