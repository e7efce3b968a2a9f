"""The `integrity` command: one verb per stage of use. Errors become one line and a non-zero exit."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import json
import sys
from pathlib import Path
from typing import Annotated, cast

import typer
from pydantic import ValidationError

from assistant import terminal
from assistant.settings import Settings, settings_table
from eval.bench_cli import bench
from index.errors import InputError, IntegrityError
from index.text import shorten

MODES = ("hybrid", "dense", "lexical")
MAX_K = 100
app = typer.Typer(add_completion=False, no_args_is_help=True, help="Cited answers from UN accountability documents.")


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders; default: the bundled corpus.")] = None,
    rebuild: Annotated[
        bool, typer.Option(help="Embed every document the index holds again, from its file (and the PATHs given).")
    ] = False,
    replace: Annotated[
        bool, typer.Option(help="Let a file take the place of a document that has its symbol or name.")
    ] = False,
) -> None:
    """Add or update documents in the index (only new text is embedded).

    Example: integrity ingest corpus/ my-report.pdf
    """
    from tqdm import tqdm

    from assistant.pipeline import ingest as run_ingest
    from assistant.registry import make_embedder

    settings = Settings()
    bar = tqdm(total=0, unit="piece", desc="embedding", disable=not sys.stderr.isatty())

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    store, report = run_ingest(
        paths or [settings.index.corpus_dir],
        settings.index,
        make_embedder(settings.index),
        rebuild=rebuild,
        progress=progress,
        replace=replace,
    )
    bar.close()
    typer.echo(
        f"{len(store.documents)} documents, {len(store.units)} paragraphs; added {len(report.added)}, "
        f"updated {len(report.updated)}, unchanged {len(report.unchanged)}"
        + (f", replaced {', '.join(report.removed)}" if report.removed else "")
        + "; "
        f"embedded {report.embedded} texts (passages and sentences), reused {report.reused}."
    )


@app.command()
def remove(doc: Annotated[str, typer.Argument(help="Symbol, short title or document id.")]) -> None:
    """Remove a document from the index (from an unreadable index: from its document list, before a rebuild).

    Example: integrity remove A/75/201
    """
    from assistant.pipeline import forget
    from assistant.pipeline import ingest as run_ingest
    from assistant.registry import make_embedder
    from index.errors import IndexCorruptError

    settings = Settings()
    embedder = make_embedder(settings.index)
    try:
        store, report = run_ingest([], settings.index, embedder, remove=[doc])
    except IndexCorruptError:
        removed, left = forget(settings.index, embedder, doc)
        typer.echo(
            f"removed {', '.join(removed)} from the document list; the index itself is unreadable: rebuild it "
            f"from the {left} documents left with `integrity ingest --rebuild`."
        )
        return
    typer.echo(f"removed {', '.join(report.removed)}; {len(store.documents)} documents left.")


@app.command()
def library() -> None:
    """List the indexed documents with symbol, paragraph count, origin (bundled, uploaded, ingested) and title;
    then a warning for each paragraph kept out of answers as planted instructions.

    Example: integrity library
    """
    from assistant.pipeline import Assistant

    terminal.print_library(Assistant.load(Settings()).store)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in Chinese or English.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer object as JSON.")] = False,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this document (repeatable).")] = None,
) -> None:
    """Answer one question with a citation on every sentence.

    Example: integrity ask "我觉得自己因为举报而遭到报复，应该找谁？"
    """
    from assistant.pipeline import Assistant

    a = Assistant.load(Settings())
    if as_json:
        typer.echo(json.dumps(a.ask(question, docs=doc).to_dict(), ensure_ascii=False, indent=1))
    else:
        terminal.stream(a, question, [], doc)


@app.command()
def chat(doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this document.")] = None) -> None:
    """A multi-turn conversation in the terminal (follow-ups use the earlier turns; empty line quits).

    Example: integrity chat
    """
    from assistant.pipeline import Assistant

    a = Assistant.load(Settings())
    history: list[str] = []
    typer.echo("Ask in Chinese or English; an empty line ends. Nothing you type is stored.")
    while True:
        try:
            q = input("> ").strip()
        except EOFError:
            break
        if not q:
            break
        try:
            answer = terminal.stream(a, q, history, doc)
        except IntegrityError as e:
            typer.echo(f"error: {e}", err=True)
            continue
        keep = a.settings.answer.max_history_items  # the earlier turns a question may carry: the latest ones
        history = [*history, answer.query][-keep:] if keep else []


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words or a question.")],
    k: Annotated[int, typer.Option(help="How many paragraphs.")] = 10,
    mode: Annotated[str, typer.Option(help="hybrid, dense or lexical.")] = "hybrid",
) -> None:
    """Ranked paragraphs with their scores (no answer).

    Example: integrity search "财务披露 合规率" --k 5
    """
    from assistant.language import detect
    from assistant.limits import check_question
    from assistant.pipeline import Assistant
    from assistant.query import query_for
    from index.retrieve import Mode
    from index.text import to_simplified

    settings = Settings()
    query = check_question(query, settings)  # the checks `ask` makes, before the model is even loaded
    if not 1 <= k <= MAX_K:
        raise InputError(f"--k must be between 1 and {MAX_K}; got {k}.")
    if mode not in MODES:
        raise InputError(f"unknown mode '{mode}'; choose {', '.join(MODES[:-1])} or {MODES[-1]}.")
    a = Assistant.load(settings)
    q = query_for(to_simplified(query), detect(query), settings)
    for i, h in enumerate(a.retriever.search(q, k, mode=cast(Mode, mode)), start=1):
        parts = f"dense={h.dense:.3f} " if h.dense is not None else ""
        parts += f"bm25={h.lexical:.2f}" if h.lexical is not None else ""
        typer.echo(f"{i:2}. {h.score:.3f} {h.key:28} {parts:24} {shorten(h.paragraph.text, 60)}")


@app.command("eval")
def evaluate(
    questions: Annotated[Path | None, typer.Argument(help="JSONL question file.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for results, metrics and the report.")] = Path("out/eval"),
    configs: Annotated[str | None, typer.Option(help="Comma-separated configuration presets (eval/configs).")] = None,
    mode: Annotated[str, typer.Option(help="hybrid, dense or lexical retrieval (single run).")] = "hybrid",
    compare: Annotated[
        tuple[Path, Path] | None, typer.Option(help="Two result folders: print what changed, question by question.")
    ] = None,
) -> None:
    """Score retrieval and answers on a question set; compare configurations or two runs.

    Example: integrity eval eval/questions/check.jsonl --out out/check --configs bm25,dense,hybrid
    """
    from eval.cli import run_eval

    run_eval(Settings(), questions, out, configs, mode, compare)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 7860,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(help="A public name clients use (behind a reverse proxy); repeatable. Others get 400."),
    ] = None,
) -> None:
    """Start the web chat (gradio) on this machine.

    Example: integrity serve --port 7860
    """
    from ui.app import serve as run_serve

    settings = Settings()
    if allowed_host:
        settings = settings.replace(allowed_hosts=[*settings.ui.allowed_hosts, *allowed_host])
    run_serve(settings, host, port)


@app.command()
def brief(
    theme: Annotated[str, typer.Argument(help="The dialogue theme, e.g. 问责制, accountability, speaking up.")],
    lang: Annotated[str, typer.Option(help="Language of the brief: zh or en.")] = "zh",
    docs: Annotated[list[str] | None, typer.Option("--docs", help="Only these documents (repeatable).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write to FILE.md or FILE.docx (default: print Markdown).")] = None,
) -> None:
    """A facilitator brief for a leadership dialogue: cited key points, figures, questions, sources.

    Example: integrity brief 问责制 --lang zh --out brief.docx
    """
    from assistant.brief import run_brief

    run_brief(Settings(), theme, lang, docs, out)


app.command()(bench)  # eval/bench_cli.py: what it runs is the evaluation floor's


local_model = typer.Typer(no_args_is_help=True, help="The small model for tests and trials (generator local).")
app.add_typer(local_model, name="local-model")


@local_model.command("path")
def local_model_path(
    check: Annotated[
        bool, typer.Option("--check", help="Hash an existing file again (about a second per GB).")
    ] = False,
) -> None:
    """Print the path of the small GGUF model, assembling it from the installed parts on first use (data folder).

    Example: INTEGRITY_GENERATOR=local INTEGRITY_LOCAL_MODEL=$(integrity local-model path) integrity chat
    """
    from assistant.local_model import model_path

    typer.echo(str(model_path(Settings().index.data_dir, check=check)))


@app.command("settings")
def show_settings(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="The table of every setting (as in the README).")
    ] = False,
) -> None:
    """Print the settings in effect, stage by stage (secrets hidden), or the table of all of them.

    Example: INTEGRITY_TOP_K=5 integrity settings
    """
    terminal.print_settings(settings_table() if markdown else None)


def main() -> None:
    try:
        app()
    except IntegrityError as e:
        typer.echo(f"error: {e}", err=True)
        raise SystemExit(2) from None
    except ValidationError as e:  # a setting's value from the environment
        err = e.errors()[0]
        name = str(err["loc"][-1]) if err["loc"] else "?"
        typer.echo(f"error: INTEGRITY_{name.upper()}: {err['msg']}; fix the variable.", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
