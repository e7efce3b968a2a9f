"""Render a facilitator brief to DOCX, convert it to PDF with LibreOffice headless, and save its first
page as PNG (the picture in the README).

    python scripts/brief_preview.py [THEME] [--lang en|zh] [--png docs/brief-page1.png] [--out out/brief-preview]

Needs LibreOffice and poppler: apt-get install -y libreoffice-writer-nogui fonts-noto-cjk poppler-utils
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.brief import make_brief
from assistant.brief.export import docx_to_pdf, pdf_page_png, to_docx
from assistant.brief.render import to_markdown
from assistant.pipeline import Assistant
from assistant.settings import PACKAGE_ROOT, Settings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("theme", nargs="?", default="accountability")
    ap.add_argument("--lang", default="en", choices=["en", "zh"])
    ap.add_argument("--png", type=Path, default=PACKAGE_ROOT / "docs" / "brief-page1.png")
    ap.add_argument("--out", type=Path, default=PACKAGE_ROOT / "out" / "brief-preview")
    ap.add_argument("--dpi", type=int, default=110)
    args = ap.parse_args(argv)
    brief = make_brief(Assistant.load(Settings()), args.theme, args.lang)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"brief-{args.lang}"
    (args.out / f"{stem}.md").write_text(to_markdown(brief), encoding="utf-8")
    docx = args.out / f"{stem}.docx"
    docx.write_bytes(to_docx(brief))
    try:
        pdf = docx_to_pdf(docx, args.out)
        png = pdf_page_png(pdf, args.png, dpi=args.dpi)
    except FileNotFoundError as e:
        print(
            f"error: {e}; install: apt-get install -y libreoffice-writer-nogui fonts-noto-cjk poppler-utils",
            file=sys.stderr,
        )
        return 2
    print(f"{docx}\n{pdf}\n{png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
