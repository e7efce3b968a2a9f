"""One calm light theme, everywhere (ui/page.js keeps gradio from switching to dark mode): every text at a
contrast of at least 4.5:1 (tests/test_ui_page.py measures it in the page), on the system's fonts (Noto Sans
CJK for Chinese); the page fetches no font from anywhere."""

from __future__ import annotations

import gradio as gr

SANS: list[gr.themes.Font | str] = [
    *(
        gr.themes.Font(f)
        for f in ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei")
    ),
    "system-ui",
    "sans-serif",
]
MONO: list[gr.themes.Font | str] = [gr.themes.Font("Noto Sans Mono CJK SC"), "ui-monospace", "monospace"]
TEXT, SUBDUED, LINK = "#1f2937", "#475569", "#075985"  # on white: 14.7, 7.6 and 8.3 : 1


def theme() -> gr.themes.Base:
    return gr.themes.Default(
        primary_hue=gr.themes.colors.sky,
        neutral_hue=gr.themes.colors.slate,
        font=SANS,
        font_mono=MONO,
        radius_size=gr.themes.sizes.radius_md,
    ).set(
        body_text_color=TEXT,
        body_text_color_subdued=SUBDUED,
        block_title_text_weight="600",
        block_label_text_color=SUBDUED,
        block_info_text_color=SUBDUED,
        input_placeholder_color="#64748b",  # 4.8 : 1
        button_primary_background_fill="#0369a1",  # white text on it: 5.9 : 1
        button_primary_background_fill_hover="#075985",
        button_primary_text_color="#ffffff",
        button_cancel_background_fill="#b91c1c",  # the stop and remove buttons: white on it 6.5 : 1
        button_cancel_background_fill_hover="#991b1b",
        button_cancel_text_color="#ffffff",
        link_text_color=LINK,
        link_text_color_visited=LINK,
    )


CSS = """
:root, body { color-scheme: light; }
.gradio-container { max-width: 1280px !important; margin: 0 auto; }
#top { align-items: flex-start; }
#header h2 { margin: 0.2em 0 0.1em; }
#header p { color: #475569; margin-top: 0; }
button[role=tab].selected, button[role=tab][aria-selected=true] { color: #075985 !important; }
#lang-switch { flex-grow: 0 !important; padding: 4px 10px !important; }
#lang-switch .wrap { flex-wrap: nowrap; gap: 6px; }
#lang-switch label { padding: 2px 10px; }
#privacy-note { background: #f0f9ff; border: 1px solid #bae6fd; border-radius: 8px; padding: 4px 12px; }
#privacy-note p { margin: 0; font-size: 0.92em; color: #075985; }
button.cite { all: unset; cursor: pointer; color: #075985; font-weight: 600; font-size: 0.8em;
              vertical-align: super; line-height: 1; padding: 0 1px; border-radius: 3px; }
.refs button.cite { vertical-align: baseline; font-size: 1em; font-weight: 500; text-decoration: underline;
                    text-underline-offset: 2px; }
button.cite:hover { background: #e0f2fe; }
button.cite:focus-visible, button.tool:focus-visible, .para-close:focus-visible, button.download:focus-visible {
  outline: 2px solid #0369a1; outline-offset: 1px; }
.answer-tools { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin-top: 6px;
                font-size: 0.88em; color: #475569; }
.answer-tools .refs { color: #475569; }
.tool-row { display: inline-flex; gap: 4px; }
button.tool { border: 1px solid #cbd5e1; background: #ffffff; color: #1f2937; border-radius: 6px;
              padding: 1px 8px; cursor: pointer; font-size: 0.95em; }
button.tool:hover { background: #f1f5f9; }
button.tool svg { fill: #334155; vertical-align: -2px; }
button.tool[aria-pressed=true] { background: #e0f2fe; border-color: #0369a1; }
sup.cite { color: #075985; font-weight: 600; margin-left: 1px; }
#question-count .count { font-size: 0.85em; color: #475569; }
#question-count .count.over { color: #b91c1c; font-weight: 600; }
#question-status p { color: #b91c1c; margin: 0; }
#sources label { width: 100%; justify-content: flex-start; text-align: left; }
.para { position: relative; border-left: 3px solid #0284c7; padding: 6px 14px; background: #f8fafc; color: #1f2937;
        border-radius: 4px; line-height: 1.75; max-height: 460px; overflow-y: auto; }
.para-empty { color: #475569; font-size: 0.92em; }
.para-key { font-weight: 700; color: #0c4a6e; padding-right: 2em; }
.para-doc { color: #334155; font-size: 0.92em; }
.para-doc .other-title { color: #475569; }
.para-path { color: #475569; font-size: 0.85em; margin-bottom: 6px; }
.para-text { margin: 6px 0; }
.para mark, .para-table mark { background: #fef08a; color: #1f2937; padding: 1px 0; border-radius: 2px; }
.para-notes { border-top: 1px dashed #cbd5e1; margin-top: 8px; padding-top: 4px; font-size: 0.85em; color: #475569; }
.para-notes ul { margin: 2px 0 0 0; padding-left: 1.2em; }
.para-close { display: none; position: absolute; top: 4px; right: 6px; border: 0; background: transparent;
              color: #1f2937; font-size: 1.4em; cursor: pointer; line-height: 1; }
.para-table-wrap { overflow-x: auto; margin: 6px 0; }
.para-table { border-collapse: collapse; font-size: 0.88em; line-height: 1.4; background: #ffffff; }
.para-table caption { text-align: left; color: #334155; font-weight: 600; padding: 2px 0 4px; }
.para-table th, .para-table td { border: 1px solid #cbd5e1; padding: 3px 6px; vertical-align: top; color: #1f2937; }
.para-table thead th { background: #f1f5f9; }
.para-table td { text-align: right; white-space: nowrap; }
.para-table th[scope=row] { text-align: left; font-weight: 500; background: #f8fafc; }
.para-table th.label-on { background: #fef9c3; }
.para-printed summary { cursor: pointer; color: #475569; font-size: 0.85em; }
.intro { font-size: 0.93em; line-height: 1.6; color: #1f2937; }
.intro p { margin: 0.3em 0; }
.intro ul { margin: 0.2em 0 0.5em; padding-left: 1.2em; }
.intro-warning { background: #fff7ed; border: 1px solid #fdba74; border-radius: 6px; padding: 4px 8px; color: #7c2d12; }
.intro .channels button.cite { vertical-align: baseline; font-size: 0.95em; font-weight: 500;
                               text-decoration: underline; text-underline-offset: 2px; }
.intro-docs-title { font-weight: 600; }
.intro .doc-date { color: #475569; }
.brief-downloads { display: flex; gap: 8px; flex-wrap: wrap; }
button.download { border: 1px solid #0369a1; background: #ffffff; color: #075985; border-radius: 6px;
                  padding: 4px 12px; cursor: pointer; }
#library-table table, #library-table td, #library-table th { font-family: var(--font) !important; }
@media (max-width: 767px) {
  /* before the first answer the About panel (what this is, where to turn) comes first on a phone */
  #chat-row:not(:has(#sources-box)) > #side-col { order: -1; }
  #chat { height: 460px !important; }
  /* a citation opens its paragraph as a sheet over the foot of the screen, right under the answer */
  #paragraph.sheet-open { position: fixed; left: 0; right: 0; bottom: 0; z-index: 1000; margin: 0;
                               box-shadow: 0 -4px 16px rgba(15, 23, 42, 0.25); background: #f8fafc; }
  #paragraph.sheet-open .para { max-height: 52vh; border-radius: 10px 10px 0 0; }
  #paragraph.sheet-open .para-close { display: block; }
  #tabs button[role=tab] { flex: 1 1 auto; }
}
"""
