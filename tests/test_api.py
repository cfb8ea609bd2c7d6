"""HTTP API: every route, every error status, over a FakeService."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import FAKE_QUESTION, FAKE_RAW, FAKE_SOURCE, FAKE_UNKNOWN, FakeService
from fastapi.testclient import TestClient

import qa.api
from qa.api import MAX_K, MAX_QUESTION_CHARS, MODEL_ID, create_app, get_service
from qa.errors import BadQuestionError, IndexMissingError, IndexStaleError
from qa.serialize import answer_to_json, citation_to_json, display_quote, hit_to_json


@pytest.fixture
def client(fake_service: FakeService) -> TestClient:
    """Return a client for an app built around the fake service."""
    return TestClient(create_app(service=fake_service))


def assert_error(response: Any, status: int, kind: str) -> str:
    """Check the error body shape and return its message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["type"] == kind
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return str(body["error"]["message"])


def sse_events(text: str) -> list[str]:
    """Return the data payloads of a server-sent events body."""
    assert text.endswith("\n\n")
    return [block.removeprefix("data: ") for block in text.strip().split("\n\n")]


# ------------------------------------------------------------------ page, static, docs


def test_index_page_is_the_chat_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="ask-form"' in response.text
    assert '<label for="question"' in response.text


@pytest.mark.parametrize("name", ["app.js", "style.css", "index.html"])
def test_static_files_are_served(client: TestClient, name: str) -> None:
    assert client.get(f"/static/{name}").status_code == 200


def test_openapi_describes_every_route_and_model(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/ask",
        "/api/chat",
        "/api/search",
        "/api/documents/{source}",
        "/health",
        "/v1/chat/completions",
        "/v1/models",
        "/v1/models/{model_id}",
    }
    schemas = spec["components"]["schemas"]
    for name in [
        "AskRequest",
        "AnswerOut",
        "ChatRequest",
        "ChatReply",
        "SearchOut",
        "DocumentOut",
        "HealthOut",
        "ChatCompletionRequest",
        "ChatCompletion",
        "ErrorResponse",
    ]:
        assert name in schemas
    assert schemas["AskRequest"]["properties"]["question"]["description"]
    ask = spec["paths"]["/api/ask"]["post"]["responses"]
    assert ask["422"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorResponse")
    refs = set(re.findall(r'"\$ref": "#/components/schemas/(\w+)"', json.dumps(spec)))
    assert refs <= set(schemas)  # no dangling references, e.g. the SSE chunk model
    assert "ChatCompletionChunk" in refs
    assert "HTTPValidationError" not in schemas  # every 422 is documented as ErrorResponse
    assert client.get("/docs").status_code == 200


def test_serve_runs_uvicorn(monkeypatch: pytest.MonkeyPatch, fake_service: FakeService) -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(qa.api.uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    qa.api.serve(service=fake_service, host="127.0.0.1", port=8123)
    [(app, kwargs)] = calls
    assert kwargs["host"] == "127.0.0.1" and kwargs["port"] == 8123
    assert app.state.service is fake_service


def test_unknown_path_and_method_are_json_errors(client: TestClient) -> None:
    assert_error(client.get("/nope"), 404, "not_found")
    assert_error(client.get("/api/ask"), 405, "method_not_allowed")


def test_dependency_override_replaces_the_service(fake_service: FakeService) -> None:
    app = create_app(service=FakeService())
    app.dependency_overrides[get_service] = lambda: fake_service
    TestClient(app).post("/api/ask", json={"question": FAKE_QUESTION})
    assert fake_service.asked == [(FAKE_QUESTION, ())]


# ------------------------------------------------------------------------- /api/ask


def test_ask_returns_exactly_the_cli_json(client: TestClient, fake_service: FakeService) -> None:
    response = client.post("/api/ask", json={"question": FAKE_QUESTION})
    assert response.status_code == 200
    assert response.json() == answer_to_json(fake_service.answer)
    assert "explanation" not in response.json()


def test_ask_citation_offsets_point_into_the_raw_file(client: TestClient) -> None:
    citation = client.post("/api/ask", json={"question": FAKE_QUESTION}).json()["citations"][0]
    assert (
        FAKE_RAW[citation["start"] : citation["end"]]
        == citation["quote"]
        == "全省已建成5G基\n站8.6万个"
    )


def test_ask_explain_adds_the_explanation(client: TestClient, fake_service: FakeService) -> None:
    response = client.post("/api/ask", json={"question": FAKE_QUESTION, "explain": True})
    assert response.json() == answer_to_json(fake_service.answer, explain=True)
    assert response.json()["explanation"] == ["question type: quantity", "picked the latest figure"]


def test_ask_strips_the_question(client: TestClient, fake_service: FakeService) -> None:
    client.post("/api/ask", json={"question": f"  {FAKE_QUESTION}\n"})
    assert fake_service.asked == [(FAKE_QUESTION, ())]


def test_ask_declined_answer_is_null(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": FAKE_UNKNOWN}).json()
    assert body["answer"] is None
    assert body["citations"] == []


def test_ask_accepts_a_question_of_the_maximum_length(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": "问" * MAX_QUESTION_CHARS})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "content",
    ['{"question": ', "{'question': 'x'}", "not json", '{"question": "a",}'],
)
def test_ask_malformed_json_is_400(client: TestClient, content: str) -> None:
    response = client.post(
        "/api/ask", content=content, headers={"Content-Type": "application/json"}
    )
    assert "not valid JSON" in assert_error(response, 400, "invalid_json")


def test_ask_body_not_utf8_is_400(client: TestClient) -> None:
    response = client.post(
        "/api/ask",
        content=b'{"question": "\xff\xfe"}',
        headers={"Content-Type": "application/json"},
    )
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize("body", [{}, {"explain": True}])
def test_ask_missing_question_is_422(client: TestClient, body: dict[str, Any]) -> None:
    message = assert_error(client.post("/api/ask", json=body), 422, "invalid_request")
    assert "question" in message
    assert client.post("/api/ask", json=body).json()["error"]["param"] == "question"


def test_ask_missing_body_is_422(client: TestClient) -> None:
    message = assert_error(client.post("/api/ask"), 422, "invalid_request")
    assert "body is missing" in message


@pytest.mark.parametrize("question", ["", "   ", "\n\t　"])
def test_ask_empty_or_blank_question_is_422(client: TestClient, question: str) -> None:
    message = assert_error(
        client.post("/api/ask", json={"question": question}), 422, "bad_question"
    )
    assert "empty" in message


def test_ask_too_long_question_is_422(client: TestClient, fake_service: FakeService) -> None:
    question = "问" * (MAX_QUESTION_CHARS + 1)
    message = assert_error(
        client.post("/api/ask", json={"question": question}), 422, "bad_question"
    )
    assert str(MAX_QUESTION_CHARS) in message
    assert fake_service.asked == []


@pytest.mark.parametrize(
    "body",
    [
        {"question": 5},
        {"question": None},
        {"question": ["a"]},
        {"question": "a", "explain": "yes"},
        ["question"],
        "question",
    ],
)
def test_ask_wrong_types_are_422(client: TestClient, body: Any) -> None:
    assert_error(client.post("/api/ask", json=body), 422, "invalid_request")


def test_ask_form_body_is_422_with_a_hint(client: TestClient) -> None:
    response = client.post("/api/ask", data={"question": FAKE_QUESTION})
    assert "Content-Type: application/json" in assert_error(response, 422, "invalid_request")


def test_service_bad_question_is_422(client: TestClient, fake_service: FakeService) -> None:
    fake_service.error = BadQuestionError("The question is not text: it has no letters.")
    response = client.post("/api/ask", json={"question": "？？？"})
    assert (
        assert_error(response, 422, "bad_question")
        == "The question is not text: it has no letters."
    )


@pytest.mark.parametrize("error_type", [IndexMissingError, IndexStaleError])
def test_index_errors_are_503_with_the_fix(
    client: TestClient, fake_service: FakeService, error_type: type[Exception]
) -> None:
    fake_service.error = error_type("No index at index/: run `qa build` first.")  # type: ignore[assignment]
    for response in [
        client.post("/api/ask", json={"question": FAKE_QUESTION}),
        client.post("/api/chat", json={"messages": [{"role": "user", "content": "x"}]}),
        client.get("/api/search", params={"q": "x"}),
        client.get("/health"),
        client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "x"}]}),
    ]:
        assert "qa build" in assert_error(response, 503, "index_unavailable")


# ------------------------------------------------------------------------ /api/chat


def test_chat_answers_the_last_user_turn_with_history(
    client: TestClient, fake_service: FakeService
) -> None:
    messages = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "山西5G建设情况如何？"},
        {"role": "assistant", "content": "..."},
        {"role": "user", "content": FAKE_QUESTION},
    ]
    response = client.post("/api/chat", json={"messages": messages})
    assert response.status_code == 200
    body = response.json()
    assert fake_service.asked == [(FAKE_QUESTION, ("山西5G建设情况如何？",))]
    message = body.pop("message")
    assert body == answer_to_json(fake_service.answer)
    assert message == (
        "答案 Answer: 8.6万个 [1]\n"
        "日期 Date: 2024-10-31\n"
        "另有数字 Also reported: 7.9万个（截至 2024-06） [2]\n"
        "\n"
        "来源 Sources:\n"
        "[1] 我省5G网络建设提速 (2024-11-04): “全省已建成5G基站8.6万个”\n"
        "[2] 我省5G网络建设提速 (2024-11-04): “全省5G基站为7.9万个”"
    )


def test_chat_says_plainly_when_the_articles_do_not_say(client: TestClient) -> None:
    body = client.post(
        "/api/chat", json={"messages": [{"role": "user", "content": FAKE_UNKNOWN}]}
    ).json()
    assert body["answer"] is None
    assert body["message"].startswith("文章中没有提到。")
    assert FAKE_UNKNOWN in body["message"]


def test_chat_reads_text_content_parts(client: TestClient, fake_service: FakeService) -> None:
    content = [
        {"type": "text", "text": "山西省已建成"},
        {"type": "image_url"},
        {"type": "text", "text": "多少个5G基站？"},
    ]
    response = client.post("/api/chat", json={"messages": [{"role": "user", "content": content}]})
    assert response.status_code == 200
    assert fake_service.asked == [(FAKE_QUESTION, ())]


@pytest.mark.parametrize(
    "messages",
    [[], [{"role": "system", "content": "hi"}], [{"role": "assistant", "content": "hi"}]],
)
def test_chat_without_a_user_message_is_422(client: TestClient, messages: list[Any]) -> None:
    response = client.post("/api/chat", json={"messages": messages})
    assert "no user message" in assert_error(response, 422, "bad_question")


def test_chat_blank_last_question_is_422(client: TestClient) -> None:
    messages = [{"role": "user", "content": FAKE_QUESTION}, {"role": "user", "content": "  "}]
    assert_error(client.post("/api/chat", json={"messages": messages}), 422, "bad_question")


def test_chat_too_long_question_is_422(client: TestClient) -> None:
    messages = [{"role": "user", "content": "问" * (MAX_QUESTION_CHARS + 1)}]
    assert_error(client.post("/api/chat", json={"messages": messages}), 422, "bad_question")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"messages": "hello"},
        {"messages": [{"role": "robot", "content": "x"}]},
        {"messages": [{"content": "x"}]},
        {"messages": [{"role": "user", "content": 5}]},
    ],
)
def test_chat_wrong_shapes_are_422(client: TestClient, body: dict[str, Any]) -> None:
    assert_error(client.post("/api/chat", json=body), 422, "invalid_request")


def test_chat_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(
        "/api/chat", content="{messages: []}", headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, "invalid_json")


# ---------------------------------------------------------------------- /api/search


def test_search_returns_hits(client: TestClient, fake_service: FakeService) -> None:
    response = client.get("/api/search", params={"q": " 5G基站 ", "k": 1})
    assert response.status_code == 200
    assert response.json() == {"query": "5G基站", "hits": [hit_to_json(fake_service.hits[0])]}
    assert fake_service.searched == [("5G基站", 1)]
    hit = response.json()["hits"][0]
    assert FAKE_RAW[hit["start"] : hit["end"]] == hit["quote"]


def test_search_default_k(client: TestClient, fake_service: FakeService) -> None:
    assert len(client.get("/api/search", params={"q": "5G"}).json()["hits"]) == 2
    assert fake_service.searched == [("5G", 8)]


@pytest.mark.parametrize("k", ["0", "-1", str(MAX_K + 1), "abc", "2.5"])
def test_search_k_out_of_range_is_422(client: TestClient, k: str) -> None:
    response = client.get("/api/search", params={"q": "5G", "k": k})
    assert assert_error(response, 422, "invalid_request").startswith("Invalid request: k")


def test_search_missing_query_is_422(client: TestClient) -> None:
    assert_error(client.get("/api/search"), 422, "invalid_request")


def test_search_blank_query_is_422(client: TestClient) -> None:
    assert_error(client.get("/api/search", params={"q": "  "}), 422, "bad_question")


def test_search_too_long_query_is_422(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "问" * (MAX_QUESTION_CHARS + 1)})
    assert_error(response, 422, "invalid_request")


# ------------------------------------------------------------------- /api/documents


def test_document_returns_raw_text_and_articles(client: TestClient) -> None:
    response = client.get(f"/api/documents/{FAKE_SOURCE}")
    assert response.status_code == 200
    body = response.json()
    assert body["source"] == FAKE_SOURCE
    assert body["text"] == FAKE_RAW
    [article] = body["articles"]
    assert article["id"] == f"{FAKE_SOURCE}#0"
    assert body["text"][article["start"] : article["end"]].startswith("我省5G网络建设提速")


def test_document_slices_every_citation(client: TestClient) -> None:
    answer = client.post("/api/ask", json={"question": FAKE_QUESTION}).json()
    text = client.get(f"/api/documents/{FAKE_SOURCE}").json()["text"]
    for citation in [*answer["citations"], *answer["alternatives"][0]["citations"]]:
        assert text[citation["start"] : citation["end"]] == citation["quote"]


@pytest.mark.parametrize("source", ["999_missing.txt", "..%2Fetc%2Fpasswd", "%E4%B8%AD.txt"])
def test_unknown_document_is_404(client: TestClient, source: str) -> None:
    message = assert_error(client.get(f"/api/documents/{source}"), 404, "not_found")
    assert "Unknown source" in message


# --------------------------------------------------------------------------- /health


def test_health_reports_the_index(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "index_dir": "index",
        "built_at": "2024-11-05T08:00:00+00:00",
        "sources": 1,
        "articles": 1,
        "chunks": 2,
        "dense": False,
        "model": "BAAI/bge-small-zh-v1.5",
        "dense_note": "the embedding model is not available offline; lexical retrieval only",
    }


# ---------------------------------------------------------------------- /v1 (OpenAI)


def test_models_lists_the_one_model(client: TestClient) -> None:
    body = client.get("/v1/models").json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == [MODEL_ID]
    assert body["data"][0]["object"] == "model"
    assert client.get(f"/v1/models/{MODEL_ID}").json()["id"] == MODEL_ID
    assert_error(client.get("/v1/models/gpt-4"), 404, "not_found")


def test_completion_non_streaming(client: TestClient, fake_service: FakeService) -> None:
    messages = [{"role": "user", "content": "先问一句"}, {"role": "user", "content": FAKE_QUESTION}]
    response = client.post(
        "/v1/chat/completions",
        json={
            "model": "anything",
            "messages": messages,
            "temperature": 0.2,
            "top_p": 1,
            "max_tokens": 50,
            "user": "u1",
            "n": 1,
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"].startswith("chatcmpl-")
    assert body["object"] == "chat.completion"
    assert body["model"] == MODEL_ID
    assert isinstance(body["created"], int)
    [choice] = body["choices"]
    assert choice["index"] == 0
    assert choice["finish_reason"] == "stop"
    content = choice["message"]["content"]
    assert choice["message"]["role"] == "assistant"
    assert content.startswith("答案 Answer: 8.6万个 [1]")
    expected = [
        citation_to_json(fake_service.main_citation),
        citation_to_json(fake_service.old_citation),
    ]
    assert choice["message"]["citations"] == expected
    assert body["citations"] == expected
    prompt = len("先问一句") + len(FAKE_QUESTION)
    assert body["usage"] == {
        "prompt_tokens": prompt,
        "completion_tokens": len(content),
        "total_tokens": prompt + len(content),
    }
    assert fake_service.asked == [(FAKE_QUESTION, ("先问一句",))]


def test_completion_streaming_events(client: TestClient) -> None:
    messages = [{"role": "user", "content": FAKE_QUESTION}]
    with client.stream(
        "POST", "/v1/chat/completions", json={"messages": messages, "stream": True}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = sse_events(response.read().decode())
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert chunks[-1]["choices"][0] == {"index": 0, "delta": {}, "finish_reason": "stop"}
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])
    assert len(chunks[0]["citations"]) == len(chunks[-1]["citations"]) == 2
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    plain = client.post("/v1/chat/completions", json={"messages": messages}).json()
    assert text == plain["choices"][0]["message"]["content"]


def test_completion_streaming_usage_chunk(client: TestClient) -> None:
    body = {
        "messages": [{"role": "user", "content": FAKE_QUESTION}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    events = sse_events(client.post("/v1/chat/completions", json=body).text)
    last = json.loads(events[-2])
    assert last["choices"] == []
    assert last["usage"]["prompt_tokens"] == len(FAKE_QUESTION)


def test_completion_declined(client: TestClient) -> None:
    body = {"messages": [{"role": "user", "content": FAKE_UNKNOWN}]}
    completion = client.post("/v1/chat/completions", json=body).json()
    assert completion["choices"][0]["message"]["content"].startswith("文章中没有提到。")
    assert completion["citations"] == []


@pytest.mark.parametrize(
    ("body", "status", "kind"),
    [
        ({"messages": []}, 422, "bad_question"),
        ({"messages": [{"role": "system", "content": "x"}]}, 422, "bad_question"),
        ({"messages": [{"role": "user", "content": " "}]}, 422, "bad_question"),
        ({}, 422, "invalid_request"),
        (
            {"messages": [{"role": "user", "content": "x"}], "stream": "maybe"},
            422,
            "invalid_request",
        ),
    ],
)
def test_completion_errors(client: TestClient, body: Any, status: int, kind: str) -> None:
    assert_error(client.post("/v1/chat/completions", json=body), status, kind)


def test_completion_streaming_error_is_a_status_not_a_stream(
    client: TestClient, fake_service: FakeService
) -> None:
    fake_service.error = IndexStaleError("The corpus changed: run `qa build`.")
    body = {"messages": [{"role": "user", "content": "x"}], "stream": True}
    assert_error(client.post("/v1/chat/completions", json=body), 503, "index_unavailable")


@pytest.mark.parametrize(
    ("quote", "line"),
    [
        ("全省已建成5G基\n站8.6万个", "全省已建成5G基站8.6万个"),
        ("本报太原 11月 4日讯", "本报太原11月4日讯"),
        ("GDP\ngrowth  of 5.2%\n增长", "GDP growth of 5.2%增长"),
    ],
)
def test_reply_quotes_are_joined_onto_one_line(quote: str, line: str) -> None:
    assert display_quote(quote) == line
