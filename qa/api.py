"""HTTP front end: JSON API, OpenAI-compatible chat completions and the web chat page.

Routes (every error body is ``{"error": {"type", "message", "param"}}``):

    GET  /                      the chat page (static files under /static)
    POST /api/ask               {question, explain?} -> answer JSON (``qa ask --json``)
    POST /api/chat              {messages} -> answer JSON for the last user turn + message
    GET  /api/search?q=&k=      {query, hits}
    GET  /api/documents/{src}   {source, text, articles} to open and highlight a citation
    GET  /health                index state
    POST /v1/chat/completions   OpenAI chat completions, ``stream: true`` as SSE
    GET  /v1/models             OpenAI model list (one model, ``qa-extractive``)

Status codes: 400 malformed JSON or unreadable body; 422 missing, empty, blank or
over-long question (over ``MAX_QUESTION_CHARS``), wrong types, ``k`` out of range, chat
without a user message; 404 unknown source, model or path; 503 index missing, stale or
model unavailable (the message says how to fix it).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import uvicorn
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr
from starlette.exceptions import HTTPException

from qa.config import Settings
from qa.errors import (
    BadQuestionError,
    IndexError_,
    ModelUnavailableError,
    QAError,
    SeedError,
)
from qa.records import Answer, Citation
from qa.serialize import answer_to_json, citation_to_json, display_quote, hit_to_json
from qa.service import QAService, validate_question

__all__ = [
    "MAX_K",
    "MAX_QUESTION_CHARS",
    "MODEL_ID",
    "create_app",
    "get_service",
    "serve",
]

logger = logging.getLogger(__name__)

MODEL_ID = "qa-extractive"
MAX_QUESTION_CHARS = Settings().max_question_chars
MAX_K = 50
DEFAULT_K = 8
STREAM_PIECE_CHARS = 24  # size of each streamed content delta
WEB_DIR = Path(__file__).with_name("web")
_CREATED = int(time.time())  # "created" of the model card: when this server process started


# ---------------------------------------------------------------- request models


class AskRequest(BaseModel):
    """Body of ``POST /api/ask``."""

    model_config = ConfigDict(extra="ignore")

    question: StrictStr = Field(
        description=f"The question, 1 to {MAX_QUESTION_CHARS} characters, not blank.",
        examples=["山西省已建成多少个5G基站？"],
    )
    explain: StrictBool = Field(
        default=False, description="Add the answerer's reasoning steps as `explanation`."
    )


class TextPart(BaseModel):
    """One part of an OpenAI multi-part message content; only text parts are read."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description='Part type; `"text"` parts are read, others ignored.')
    text: str | None = Field(default=None, description="The text of a text part.")


Role = Literal["system", "developer", "user", "assistant", "tool", "function"]


class ChatMessageIn(BaseModel):
    """One turn of a conversation, as OpenAI chat clients send it."""

    model_config = ConfigDict(extra="ignore")

    role: Role = Field(description="Who wrote the turn; only `user` turns are questions.")
    content: str | list[TextPart] | None = Field(
        default=None, description="The text, or a list of OpenAI content parts."
    )


class ChatRequest(BaseModel):
    """Body of ``POST /api/chat``."""

    model_config = ConfigDict(extra="ignore")

    messages: list[ChatMessageIn] = Field(
        description="The whole conversation, oldest first; the last `user` turn is answered "
        "and earlier `user` turns are passed as history.",
    )


class StreamOptions(BaseModel):
    """OpenAI ``stream_options``."""

    model_config = ConfigDict(extra="ignore")

    include_usage: bool = Field(default=False, description="Send a last chunk with `usage`.")


class ChatCompletionRequest(BaseModel):
    """Body of ``POST /v1/chat/completions``; other OpenAI parameters are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(default=MODEL_ID, description=f"Any id is accepted; `{MODEL_ID}` answers.")
    messages: list[ChatMessageIn] = Field(description="The conversation, oldest first.")
    stream: bool = Field(default=False, description="Send `chat.completion.chunk` events (SSE).")
    stream_options: StreamOptions | None = Field(default=None, description="Streaming options.")


# --------------------------------------------------------------- response models


class ErrorDetail(BaseModel):
    """What went wrong and how to fix it."""

    type: str = Field(description="Machine-readable kind, e.g. `bad_question`, `not_found`.")
    message: str = Field(description="Plain-words explanation, with the fix.")
    param: str | None = Field(default=None, description="The offending field, when known.")


class ErrorResponse(BaseModel):
    """Body of every 4xx/5xx response."""

    error: ErrorDetail


class CitationOut(BaseModel):
    """A pointer at exact characters of a source file: ``text[start:end] == quote``."""

    source: str = Field(description="Source file name; open it with `/api/documents/{source}`.")
    title: str | None = Field(description="Title of the article the quote comes from.")
    date: str | None = Field(description="ISO date of the article.")
    start: int = Field(description="Start offset (Unicode code points) into the raw file.")
    end: int = Field(description="End offset (exclusive) into the raw file.")
    quote: str = Field(description="The raw characters `start:end`, line breaks included.")


class AlternativeOut(BaseModel):
    """Another reported figure for the same question, e.g. an older statement."""

    answer: str = Field(description="The other figure, copied from the text.")
    as_of: str | None = Field(description="ISO date the figure refers to.")
    citations: list[CitationOut]


class AnswerOut(BaseModel):
    """The extractive answer, exactly as ``qa ask --json`` prints it."""

    question: str
    answer: str | None = Field(description="Copied from the text; null: the articles do not say.")
    answer_type: str = Field(description="quantity, date, time, person, place, ... or free.")
    value: float | None = Field(description="Numeric value of a quantity answer.")
    unit: str | None = Field(description="Unit of a quantity answer.")
    as_of: str | None = Field(description="ISO date the answer refers to.")
    confidence: float = Field(description="0..1.")
    evidence: str | None = Field(description="The clean sentence the answer was copied from.")
    citations: list[CitationOut]
    alternatives: list[AlternativeOut]
    closest: list[CitationOut] = Field(
        description="When declining: the passages closest to the question; else empty."
    )
    timings_ms: dict[str, float] = Field(description="Time spent per stage.")
    explanation: list[str] | None = Field(
        default=None, description="Reasoning steps; present only when `explain` was true."
    )


class ChatReply(AnswerOut):
    """The answer JSON for the last user turn, plus a reply written for people."""

    message: str = Field(description="Answer in words, its date and numbered sources.")


class HitOut(BaseModel):
    """One retrieved chunk."""

    source: str
    start: int = Field(description="Raw offset of the chunk in its source file.")
    end: int
    quote: str = Field(description="Raw text of the chunk.")
    text: str = Field(description="Clean text of the chunk.")
    title: str | None
    date: str | None
    score: float = Field(description="Fused score.")
    rank: int = Field(description="1-based rank after fusion.")
    lexical_rank: int | None
    dense_rank: int | None
    chunk_id: str


class SearchOut(BaseModel):
    """Body of ``GET /api/search``."""

    query: str
    hits: list[HitOut]


class ArticleOut(BaseModel):
    """Where one article sits in the raw file."""

    id: str
    title: str | None
    date: str | None
    start: int
    end: int


class DocumentOut(BaseModel):
    """A raw source file and the articles cut from it."""

    source: str
    text: str = Field(description="The raw file text; citation offsets index into it.")
    articles: list[ArticleOut]


class HealthOut(BaseModel):
    """State of the loaded index."""

    status: Literal["ok"] = "ok"
    index_dir: str
    built_at: str = Field(description="When the index was built (ISO 8601).")
    sources: int
    articles: int
    chunks: int
    dense: bool = Field(description="Whether dense retrieval is used for queries.")
    model: str = Field(description="Configured embedding model.")
    dense_note: str | None = Field(description="Why dense retrieval is off, in plain words.")


class CompletionMessage(BaseModel):
    """The assistant message of a chat completion."""

    role: Literal["assistant"] = "assistant"
    content: str = Field(description="The reply: answer, date, numbered sources.")
    refusal: None = None
    citations: list[CitationOut] = Field(description="Sources, in the order numbered [1], [2]…")


class CompletionChoice(BaseModel):
    """The single choice of a chat completion."""

    index: int = 0
    message: CompletionMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class Usage(BaseModel):
    """Sizes in characters (the extractive model has no tokens)."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    """OpenAI ``chat.completion`` object."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[CompletionChoice]
    usage: Usage
    citations: list[CitationOut] = Field(description="Same list as `choices[0].message`.")


class ChunkDelta(BaseModel):
    """What a streamed chunk adds to the message."""

    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    """The single choice of a streamed chunk."""

    index: int = 0
    delta: ChunkDelta
    finish_reason: Literal["stop"] | None = None


class ChatCompletionChunk(BaseModel):
    """OpenAI ``chat.completion.chunk`` (one SSE event); first and last carry `citations`."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    citations: list[CitationOut] | None = None
    usage: Usage | None = None


class ModelCard(BaseModel):
    """OpenAI model object."""

    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "qa"


class ModelList(BaseModel):
    """OpenAI model list."""

    object: Literal["list"] = "list"
    data: list[ModelCard]


# -------------------------------------------------------------------- dependency


def get_service(request: Request) -> QAService:
    """Return the service built at start-up (override in tests)."""
    service: QAService = request.app.state.service
    return service


ServiceDep = Annotated[QAService, Depends(get_service)]


# ---------------------------------------------------------------------- helpers


def _checked(text: str, *, what: str = "question") -> str:
    """Return ``text`` stripped, or raise BadQuestionError when blank or too long."""
    return validate_question(text, max_chars=MAX_QUESTION_CHARS, what=what)


def _content_text(message: ChatMessageIn) -> str:
    """Return the text of a chat turn, joining text parts."""
    if message.content is None:
        return ""
    if isinstance(message.content, str):
        return message.content
    return "".join(part.text or "" for part in message.content if part.type == "text")


def _split_turns(messages: Sequence[ChatMessageIn]) -> tuple[str, tuple[str, ...]]:
    """Return the last user question and the earlier user turns, oldest first."""
    user_turns = [_content_text(m) for m in messages if m.role == "user"]
    if not user_turns:
        raise BadQuestionError(
            'The conversation has no user message: add {"role": "user", "content": ...}.'
        )
    history = tuple(t.strip() for t in user_turns[:-1] if t.strip())
    return _checked(user_turns[-1]), history


def _span(citation: Citation) -> tuple[str, int, int]:
    return (citation.source, citation.start, citation.end)


def _numbered(answer: Answer) -> list[Citation]:
    """Return the answer's and alternatives' citations in reference order, without repeats."""
    seen: set[tuple[str, int, int]] = set()
    ordered: list[Citation] = []
    cited = (*answer.citations, *(c for a in answer.alternatives for c in a.citations))
    for citation in (*cited, *answer.closest):
        if _span(citation) not in seen:
            seen.add(_span(citation))
            ordered.append(citation)
    return ordered


def _refs(citations: Sequence[Citation], order: Sequence[Citation]) -> str:
    """Return markers like ``[1][2]`` for ``citations`` within the numbered ``order``."""
    numbers = {_span(c): n for n, c in enumerate(order, start=1)}
    return "".join(f"[{numbers[_span(c)]}]" for c in citations if _span(c) in numbers)


def _reply_text(answer: Answer) -> str:
    """Write the answer for people: answer, date, other figures and numbered sources."""
    order = _numbered(answer)
    if answer.text is None:
        lines = [f"文章中没有提到。The articles do not say: nothing answers “{answer.question}”."]
        if order:
            lines.append("相关段落 Closest passages:")
    else:
        lines = [f"答案 Answer: {answer.text} {_refs(answer.citations, order)}".rstrip()]
        date = answer.as_of or next((c.date for c in answer.citations if c.date), None)
        if date:
            lines.append(f"日期 Date: {date}")
        for alternative in answer.alternatives:
            when = f"（截至 {alternative.as_of}）" if alternative.as_of else ""
            refs = _refs(alternative.citations, order)
            lines.append(f"另有数字 Also reported: {alternative.text}{when} {refs}".rstrip())
        if order:
            lines.append("")
            lines.append("来源 Sources:")
    for number, citation in enumerate(order, start=1):
        title = citation.title or citation.source
        date = f" ({citation.date})" if citation.date else ""
        lines.append(f"[{number}] {title}{date}: “{display_quote(citation.quote)}”")
    return "\n".join(lines)


def _completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def _usage(messages: Sequence[ChatMessageIn], content: str) -> Usage:
    prompt = sum(len(_content_text(m)) for m in messages)
    return Usage(
        prompt_tokens=prompt, completion_tokens=len(content), total_tokens=prompt + len(content)
    )


def _completion(request: ChatCompletionRequest, answer: Answer) -> ChatCompletion:
    """Build a non-streaming ``chat.completion`` for ``answer``."""
    content = _reply_text(answer)
    citations = [CitationOut(**citation_to_json(c)) for c in _numbered(answer)]
    return ChatCompletion(
        id=_completion_id(),
        created=int(time.time()),
        model=MODEL_ID,
        choices=[CompletionChoice(message=CompletionMessage(content=content, citations=citations))],
        usage=_usage(request.messages, content),
        citations=citations,
    )


def _sse(chunk: ChatCompletionChunk) -> str:
    """Return one server-sent event; absent delta fields are left out, as OpenAI does."""
    data = chunk.model_dump(mode="json", exclude_none=True)
    for choice, out in zip(chunk.choices, data["choices"], strict=True):
        out["finish_reason"] = choice.finish_reason  # null until the last chunk, as OpenAI
    return f"data: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def _stream(request: ChatCompletionRequest, answer: Answer) -> Iterator[str]:
    """Yield server-sent events of ``chat.completion.chunk`` objects, then ``[DONE]``."""
    content = _reply_text(answer)
    citations = [CitationOut(**citation_to_json(c)) for c in _numbered(answer)]
    common: dict[str, Any] = {
        "id": _completion_id(),
        "created": int(time.time()),
        "model": MODEL_ID,
    }

    def chunk(delta: ChunkDelta, **extra: Any) -> ChatCompletionChunk:
        choice = ChunkChoice(index=0, delta=delta, finish_reason=extra.pop("finish_reason", None))
        return ChatCompletionChunk(**common, choices=[choice], **extra)

    yield _sse(chunk(ChunkDelta(role="assistant", content=""), citations=citations))
    for i in range(0, len(content), STREAM_PIECE_CHARS):
        yield _sse(chunk(ChunkDelta(content=content[i : i + STREAM_PIECE_CHARS])))
    yield _sse(chunk(ChunkDelta(), finish_reason="stop", citations=citations))
    if request.stream_options is not None and request.stream_options.include_usage:
        usage = _usage(request.messages, content)
        yield _sse(ChatCompletionChunk(**common, choices=[], usage=usage))
    yield "data: [DONE]\n\n"


# ------------------------------------------------------------------ error handling

# first matching class wins; the message of the exception says how to fix it
_QA_ERROR_STATUS: tuple[tuple[type[QAError], int, str, str], ...] = (
    (
        BadQuestionError,
        422,
        "bad_question",
        f"Send a question of 1 to {MAX_QUESTION_CHARS} characters.",
    ),
    (IndexError_, 503, "index_unavailable", "Build the index with `qa build`, then restart."),
    (ModelUnavailableError, 503, "model_unavailable", "Download the model or use --model none."),
    (SeedError, 503, "corpus_unavailable", "Check the seeds directory, then `qa build`."),
)

_HTTP_ERROR_TYPES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
}


def _error(status: int, kind: str, message: str, *, param: str | None = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorDetail(type=kind, message=message, param=param))
    return JSONResponse(status_code=status, content=body.model_dump())


def _qa_error_response(exc: QAError) -> JSONResponse:
    """Map any QAError to its status code: the one place that does so."""
    for cls, status, kind, fix in _QA_ERROR_STATUS:
        if isinstance(exc, cls):
            return _error(status, kind, str(exc) or fix)
    logger.exception("unmapped QAError", exc_info=exc)
    return _error(500, "qa_error", str(exc) or type(exc).__name__)


def _field(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc[1:]] if len(loc) > 1 else [str(p) for p in loc]
    return ".".join(parts)


def _validation_response(exc: RequestValidationError) -> JSONResponse:
    """Return 400 for unparsable JSON and 422 naming each field for everything else."""
    errors = list(exc.errors())
    for error in errors:
        if error.get("type") == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "JSON decode error")
            position = error["loc"][1] if len(error["loc"]) > 1 else "?"
            return _error(
                400,
                "invalid_json",
                f"The request body is not valid JSON ({reason} at character {position}). "
                'Send a JSON object such as {"question": "..."}.',
            )
    parts = []
    for error in errors[:5]:
        loc = tuple(error.get("loc", ()))
        if loc == ("body",):
            if error.get("type") == "missing":
                parts.append("the request body is missing: send a JSON object")
            else:
                parts.append(
                    "the request body must be a JSON object sent with "
                    "Content-Type: application/json"
                )
        else:
            parts.append(f"{_field(loc)}: {error.get('msg', 'invalid')}")
    first = _field(tuple(errors[0].get("loc", ()))) if errors else None
    return _error(422, "invalid_request", "Invalid request: " + "; ".join(parts) + ".", param=first)


def _install_error_handlers(app: FastAPI) -> None:
    """Register JSON error bodies for QA errors, validation errors and HTTP errors."""

    async def on_qa_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, QAError)
        return _qa_error_response(exc)

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return _validation_response(exc)

    async def on_http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        kind = _HTTP_ERROR_TYPES.get(exc.status_code, "http_error")
        response = _error(exc.status_code, kind, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def on_crash(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error", exc_info=exc)
        return _error(500, "internal_error", "The server failed; see its log for details.")

    app.add_exception_handler(QAError, on_qa_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Exception, on_crash)


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Document error responses for OpenAPI."""
    described = {
        400: "Malformed JSON body.",
        404: "Unknown source, model or path.",
        422: "Missing, blank or too long question, wrong types or out-of-range values.",
        503: "Index missing or stale, or model unavailable; the message says how to fix it.",
    }
    return {s: {"model": ErrorResponse, "description": described[s]} for s in statuses}


# ------------------------------------------------------------------------- the app


def create_app(*, service: QAService) -> FastAPI:
    """Assemble the FastAPI app around a service built once by the caller."""
    app = FastAPI(
        title="Newspaper QA",
        summary="Extractive answers over Chinese newspaper pages, with exact citations.",
        version="0.1.0",
    )
    app.state.service = service
    _install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        """Serve the chat page."""
        return FileResponse(WEB_DIR / "index.html", media_type="text/html")

    @app.post(
        "/api/ask",
        response_model=AnswerOut,
        response_model_exclude_unset=True,
        responses=_errors(400, 422, 503),
        tags=["qa"],
    )
    def ask(body: AskRequest, service: ServiceDep) -> dict[str, Any]:
        """Answer one question (the `qa ask --json` contract)."""
        answer = service.ask(_checked(body.question))
        return answer_to_json(answer, explain=body.explain)

    @app.post(
        "/api/chat",
        response_model=ChatReply,
        response_model_exclude_unset=True,
        responses=_errors(400, 422, 503),
        tags=["qa"],
    )
    def chat(body: ChatRequest, service: ServiceDep) -> dict[str, Any]:
        """Answer the last user turn, with earlier user turns as history."""
        question, history = _split_turns(body.messages)
        answer = service.ask(question, history=history)
        return {**answer_to_json(answer), "message": _reply_text(answer)}

    @app.get("/api/search", response_model=SearchOut, responses=_errors(422, 503), tags=["qa"])
    def search(
        service: ServiceDep,
        q: Annotated[str, Query(description="Search text.", max_length=MAX_QUESTION_CHARS)],
        k: Annotated[int, Query(ge=1, le=MAX_K, description="Number of hits.")] = DEFAULT_K,
    ) -> dict[str, Any]:
        """Return the top chunks for a query."""
        query = _checked(q, what="query")
        return {"query": query, "hits": [hit_to_json(h) for h in service.search(query, k=k)]}

    @app.get(
        "/api/documents/{source:path}",
        response_model=DocumentOut,
        responses=_errors(404, 422, 503),
        tags=["qa"],
    )
    def document(source: str, service: ServiceDep) -> DocumentOut:
        """Return a source file's raw text and article spans, to open a citation."""
        try:
            doc = service.document(source)
        except KeyError:
            raise HTTPException(
                404,
                f"Unknown source {source!r}: no such file in the index. Use the `source` "
                "of a citation or search hit.",
            ) from None
        articles = [
            ArticleOut(id=a.id, title=a.title, date=a.date, start=a.start, end=a.end)
            for a in doc.articles
        ]
        return DocumentOut(source=doc.source, text=doc.raw, articles=articles)

    @app.get("/health", response_model=HealthOut, responses=_errors(503), tags=["service"])
    def health(service: ServiceDep) -> HealthOut:
        """Describe the loaded index."""
        h = service.health()
        return HealthOut(
            index_dir=h.index_dir,
            built_at=h.built_at,
            sources=h.sources,
            articles=h.articles,
            chunks=h.chunks,
            dense=h.dense,
            model=h.model,
            dense_note=h.dense_note,
        )

    @app.post(
        "/v1/chat/completions",
        response_model=ChatCompletion,
        responses={
            **_errors(400, 422, 503),
            200: {
                "description": "A `chat.completion`, or with `stream: true` server-sent events "
                "of `chat.completion.chunk` objects ending with `data: [DONE]`.",
                "content": {
                    "text/event-stream": {"schema": {"$ref": f"{_COMPONENTS}ChatCompletionChunk"}}
                },
            },
        },
        tags=["openai"],
    )
    def chat_completions(
        body: ChatCompletionRequest, service: ServiceDep
    ) -> ChatCompletion | StreamingResponse:
        """Answer the last user turn, OpenAI style (streaming or not)."""
        question, history = _split_turns(body.messages)
        # answered before streaming starts so errors still get their status code
        answer = service.ask(question, history=history)
        if body.stream:
            return StreamingResponse(
                _stream(body, answer),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        return _completion(body, answer)

    @app.get("/v1/models", response_model=ModelList, tags=["openai"])
    def models() -> ModelList:
        """List the one model."""
        return ModelList(data=[ModelCard(id=MODEL_ID, created=_CREATED)])

    @app.get(
        "/v1/models/{model_id}",
        response_model=ModelCard,
        responses=_errors(404, 422),
        tags=["openai"],
    )
    def model(model_id: str) -> ModelCard:
        """Describe the one model."""
        if model_id != MODEL_ID:
            raise HTTPException(404, f"Unknown model {model_id!r}; the only model is {MODEL_ID!r}.")
        return ModelCard(id=MODEL_ID, created=_CREATED)

    _document_stream_chunks(app)
    return app


_COMPONENTS = "#/components/schemas/"


def _document_stream_chunks(app: FastAPI) -> None:
    """Add the SSE chunk model, which no route returns as JSON, to the OpenAPI components."""
    base = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = base()  # cached on the app, so this runs once
        chunk = ChatCompletionChunk.model_json_schema(ref_template=_COMPONENTS + "{model}")
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for name, schema in {**chunk.pop("$defs", {}), "ChatCompletionChunk": chunk}.items():
            schemas.setdefault(name, schema)
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def serve(*, service: QAService, host: str, port: int) -> None:
    """Serve the app with uvicorn until interrupted."""
    uvicorn.run(create_app(service=service), host=host, port=port, log_level="info")
