// The page's own script (mounted by ui/app.py through gradio's `head`): nothing here leaves the browser.
// - buttons inside messages (citation markers, Copy, 👍, 👎) report to the server through the hidden
//   #action-go button (its event reads window.__integrityAction);
// - Copy and "Download conversation" use the clean text ui/render.py put in each answer's data-copy / data-md;
// - brief exports are saved from the bytes in their button (nothing is stored on the server);
// - <html lang> and the window title follow the page's language (#page-mark); one light theme everywhere;
// - the question box counts its characters against the limit.
(() => {
  const $ = (sel, root = document) => root.querySelector(sel);

  function report(action) {
    window.__integrityAction = JSON.stringify({ ...action, at: Date.now() });
    const go = $("#action-go");
    if (go) go.click();
  }

  // the first paint is in one language; the page shows once it is in the reader's (or after 3 s, whatever)
  const hide = document.createElement("style");
  hide.textContent = "body:not(.page-ready) gradio-app { visibility: hidden; }";
  document.head.appendChild(hide);
  // (every class change re-runs sync, so a class is only touched when it changes: no endless loop)
  const ready = () => document.body && !document.body.classList.contains("page-ready") && document.body.classList.add("page-ready");
  setTimeout(ready, 3000);

  function sync() {
    // gradio scopes the app's CSS inside its container, so the phone's sheet is a class of the panel itself
    const para = $("#paragraph");
    const open = document.body.classList.contains("sheet-open");
    if (para && para.classList.contains("sheet-open") !== open) para.classList.toggle("sheet-open", open);
    const mark = $("#page-mark");
    if (mark && mark.hasAttribute("data-ready")) ready();
    if (mark) {
      const lang = mark.dataset.lang || "zh-CN";
      if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
      if (mark.dataset.title && document.title !== mark.dataset.title) document.title = mark.dataset.title;
    }
    // one theme: gradio would follow the system's dark mode, with texts the app's colours were not made for
    for (const el of [document.documentElement, document.body]) {
      if (el && el.classList.contains("dark")) el.classList.remove("dark");
    }
    // gradio labels each message with its raw Markdown (markup and all); screen readers read the content
    for (const msg of document.querySelectorAll("#chat [data-testid=bot][aria-label], #chat [data-testid=user][aria-label]")) {
      msg.removeAttribute("aria-label");
    }
  }

  function save(name, mime, bytes) {
    const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
    return Promise.resolve();
  }

  window.integrityDownload = () => {
    const mark = $("#page-mark");
    const title = (mark && mark.dataset.conv) || "Integrity Assistant";
    const stamp = new Date().toISOString().slice(0, 16).replace("T", " ");
    const turns = [...document.querySelectorAll("#chat .answer-tools[data-md]")].map((el) => el.dataset.md);
    const note = (mark && mark.dataset.convNote) || "";
    const text = `# ${title}\n\n${stamp}. ${note}\n\n${turns.join("\n---\n\n")}`;
    save(`conversation-${stamp.replace(/[ :]/g, "-")}.md`, "text/markdown;charset=utf-8", text);
  };

  function closeSheet() {
    document.body.classList.remove("sheet-open");
  }

  document.addEventListener("click", (ev) => {
    const target = ev.target instanceof Element ? ev.target : null;
    if (!target) return;
    const cite = target.closest("button.cite[data-key]");
    if (cite) {
      ev.preventDefault();
      ev.stopPropagation(); // not also a click on the message (that would select its turn again)
      report({ act: "cite", key: cite.dataset.key, turn: cite.dataset.turn });
      document.body.classList.add("sheet-open"); // on a phone the paragraph opens over the chat's foot
      const panel = $("#paragraph");
      if (panel && window.matchMedia("(min-width: 768px)").matches) panel.scrollIntoView({ block: "nearest" });
      return;
    }
    const tool = target.closest(".answer-tools button.tool[data-act]");
    if (tool) {
      ev.preventDefault();
      ev.stopPropagation();
      const box = tool.closest(".answer-tools");
      const act = tool.dataset.act;
      if (act === "copy") {
        copyText(box.dataset.copy || "").then(() => {
          const was = tool.textContent;
          tool.textContent = tool.dataset.done || "✓";
          setTimeout(() => (tool.textContent = was), 1500);
        });
      } else {
        tool.setAttribute("aria-pressed", "true");
        report({ act, turn: box.dataset.turn });
      }
      return;
    }
    if (target.closest(".para-close")) {
      closeSheet();
      return;
    }
    const file = target.closest("button.download[data-b64]");
    if (file) {
      const raw = atob(file.dataset.b64);
      const bytes = Uint8Array.from(raw, (c) => c.charCodeAt(0));
      save(file.dataset.name, file.dataset.mime, bytes);
    }
  }, true);

  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") closeSheet();
  });

  document.addEventListener("input", (ev) => {
    const box = ev.target;
    if (!(box instanceof HTMLTextAreaElement) || !box.closest("#question")) return;
    const count = $("#question-count .count");
    if (!count) return;
    const most = Number(count.dataset.max || 0);
    const n = [...box.value.trim()].length;
    const near = most && n > most * 0.8;
    count.textContent = near ? `${n.toLocaleString("en")} / ${most.toLocaleString("en")}` : "";
    count.classList.toggle("over", n > most);
  });

  new MutationObserver(sync).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["class", "aria-label", "data-lang"],
  });
  document.addEventListener("DOMContentLoaded", sync);
})();
