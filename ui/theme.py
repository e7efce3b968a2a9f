"""A calm theme on the system's fonts (Noto Sans CJK for Chinese): the page fetches no font from anywhere."""

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


def theme() -> gr.themes.Base:
    return gr.themes.Default(
        primary_hue=gr.themes.colors.sky,
        neutral_hue=gr.themes.colors.slate,
        font=SANS,
        font_mono=MONO,
        radius_size=gr.themes.sizes.radius_md,
    ).set(body_text_color="#1f2937", block_title_text_weight="600")


CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto; }
#header h2 { margin-bottom: 0.1em; }
#header p { color: #475569; margin-top: 0; }
#privacy-note { background: #f0f9ff; border: 1px solid #bae6fd; border-radius: 8px; padding: 4px 12px; }
#privacy-note p { margin: 0; font-size: 0.92em; color: #075985; }
sup.cite { color: #0369a1; font-weight: 600; margin-left: 1px; }
.refs { color: #64748b; font-size: 0.85em; }
#sources label { width: 100%; justify-content: flex-start; text-align: left; }
.para { border-left: 3px solid #7dd3fc; padding: 6px 14px; background: #f8fafc; border-radius: 4px;
        line-height: 1.75; max-height: 460px; overflow-y: auto; }
.para-empty { color: #64748b; font-size: 0.92em; }
.para-key { font-weight: 700; color: #0c4a6e; }
.para-doc { color: #334155; font-size: 0.92em; }
.para-doc .en { color: #64748b; }
.para-path { color: #64748b; font-size: 0.85em; margin-bottom: 6px; }
.para-text { margin: 6px 0; }
.para mark { background: #fef08a; padding: 1px 0; border-radius: 2px; }
.para-notes { border-top: 1px dashed #cbd5e1; margin-top: 8px; padding-top: 4px; font-size: 0.85em; color: #475569; }
#library-table table, #library-table td, #library-table th { font-family: var(--font) !important; }
.para-notes ul { margin: 2px 0 0 0; padding-left: 1.2em; }
"""
