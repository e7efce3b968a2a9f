"""Start `integrity serve` on the configured index (or use `--url`), ask in headless Chromium and save the
README's pictures of real answers with their citations: docs/screenshot-zh.png (Chinese, desktop),
docs/screenshot-en.png (English, desktop) and docs/screenshot-phone.png (a phone, a citation opened).

    python scripts/screenshot.py [--out-dir docs] [--url http://127.0.0.1:7860]

Needs Debian's chromium and fonts-noto-cjk (scripts/test.sh installs them) and a built index
(`integrity ingest`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from ui.bench_serve import CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop, wait_ready

ROOT = Path(__file__).resolve().parent.parent
DESKTOP = {"viewport": {"width": 1360, "height": 940}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
SHOTS = [  # (file, browser language, question, context options, open the first citation)
    ("screenshot-zh.png", "zh-CN", "举报不当行为的人怎样得到保护，不受报复？", DESKTOP, False),
    ("screenshot-en.png", "en-US", "How many service requests did the Ethics Office receive in 2020?", DESKTOP, True),
    ("screenshot-phone.png", "zh-CN", "道德操守办公室2020年收到多少服务请求？", PHONE, True),
]


def shoot(browser: Any, url: str, out: Path, locale: str, question: str, options: dict[str, Any], cite: bool) -> None:
    ctx = browser.new_context(locale=locale, **options)
    ctx.set_default_timeout(90_000)
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector("body.page-ready #question textarea")
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.wait_for_selector("#chat .answer-tools")
    if cite:
        page.locator("#chat button.cite").first.click()
    page.wait_for_selector("#paragraph mark")
    page.wait_for_timeout(800)  # let the last message settle before the picture
    page.screenshot(path=str(out), full_page=options is DESKTOP)
    ctx.close()
    print(f"wrote {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=ROOT / "docs")
    ap.add_argument("--url", help="a running server (default: start one)")
    ap.add_argument("--chromium", default=CHROMIUM)
    args = ap.parse_args()
    proc = None
    url = args.url
    if not url:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = start_server(port)
    try:
        if proc is not None:
            wait_ready(url, proc, timeout=600)
        args.out_dir.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            for name, locale, question, options, cite in SHOTS:
                shoot(browser, url, args.out_dir / name, locale, question, options, cite)
            browser.close()
    finally:
        if proc is not None:
            stop(proc)


if __name__ == "__main__":
    main()
