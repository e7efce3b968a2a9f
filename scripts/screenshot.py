"""Start `integrity serve` on the configured index, ask one question in headless Chromium and save
docs/screenshot-chat.png: the README's picture of a real answer with its citations.

    python scripts/screenshot.py [--out docs/screenshot-chat.png] [--question "…"]

Needs Debian's chromium and fonts-noto-cjk (scripts/test.sh installs them) and a built index
(`integrity ingest`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from ui.bench_serve import free_port, start_server, stop, wait_ready

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot-chat.png")
    ap.add_argument("--question", default="我觉得自己因为举报而遭到报复，应该找谁？")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server(port)
    try:
        wait_ready(url, proc, timeout=600)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
            page = browser.new_page(viewport={"width": 1360, "height": 940})
            page.goto(url)
            page.fill("#question textarea", args.question)
            page.press("#question textarea", "Enter")
            page.wait_for_selector("#paragraph mark", timeout=60_000)
            page.wait_for_timeout(800)  # let the last message settle before the picture
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out), full_page=True)
            browser.close()
    finally:
        stop(proc)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
