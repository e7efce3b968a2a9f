"""JSON routes for integrations: `POST /api/ask` returns the object `integrity ask --json` prints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assistant.pipeline import Assistant
from index.errors import IntegrityError

EXAMPLE = '{"question": "…", "history": [], "docs": ["A/76/76"]}'


class AskRequest(BaseModel):
    question: str
    history: list[str] = Field(default_factory=list, description="Earlier turns' `query` values, oldest first.")
    docs: list[str] | None = Field(None, description="Only these documents (symbol, short title or id).")


def api_router(get_assistant: Callable[[], Assistant]) -> APIRouter:
    router = APIRouter(prefix="/api")

    @router.post("/ask")
    def ask(req: AskRequest) -> Any:  # a plain def: FastAPI runs it in its thread pool
        try:
            return get_assistant().ask(req.question, req.history, req.docs).to_dict()
        except IntegrityError as e:
            return JSONResponse({"error": str(e)}, status_code=400)

    @router.get("/documents")
    def documents() -> list[dict[str, Any]]:
        a = get_assistant()
        counts: dict[str, int] = {}
        for u in a.store.units:
            counts[u.doc_id] = counts.get(u.doc_id, 0) + 1
        return [
            {
                "id": d.doc_id,
                "symbol": d.symbol,
                "label": d.label,
                "title": d.title,
                "title_en": d.title_en,
                "paragraphs": counts.get(d.doc_id, 0),
                "origin": d.origin,
            }
            for d in a.store.documents.values()
        ]

    @router.get("/health")
    def health() -> dict[str, Any]:
        a = get_assistant()
        return {"status": "ok", "documents": len(a.store.documents), "paragraphs": len(a.store.units)}

    return router


def add_error_handlers(app: FastAPI) -> None:
    """A malformed JSON body gets one line naming the field, as `{"error": …}`; the input is never echoed
    (it may be huge, or hold text that cannot even be encoded in the reply)."""

    async def invalid(request: Request, exc: Exception) -> JSONResponse:
        errors = exc.errors() if isinstance(exc, RequestValidationError) else []
        first = errors[0] if errors else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "body") or "the body"
        return JSONResponse(
            {"error": f"{where}: {first.get('msg', 'invalid')}; send JSON like {EXAMPLE}."}, status_code=422
        )

    app.add_exception_handler(RequestValidationError, invalid)
