"""The official ``openai`` client against a real server: the API is OpenAI-compatible."""

from __future__ import annotations

import httpx
import pytest
from conftest import FAKE_QUESTION, FAKE_UNKNOWN

from qa.api import MODEL_ID

openai = pytest.importorskip("openai", reason="the openai package is not installed")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(api_server: str) -> openai.OpenAI:
    """Return an OpenAI client pointed at the live server."""
    return openai.OpenAI(base_url=f"{api_server}/v1", api_key="x", max_retries=0, timeout=10)


def test_models_list(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list()] == [MODEL_ID]
    assert client.models.retrieve(MODEL_ID).id == MODEL_ID


def test_completion(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model=MODEL_ID,
        messages=[
            {"role": "system", "content": "Answer from the newspaper."},
            {"role": "user", "content": FAKE_QUESTION},
        ],
        temperature=0.3,
        max_tokens=200,
    )
    assert completion.object == "chat.completion"
    choice = completion.choices[0]
    assert choice.finish_reason == "stop"
    assert choice.message.role == "assistant"
    assert choice.message.content is not None
    assert choice.message.content.startswith("答案 Answer: 8.6万个 [1]")
    assert (
        "[1] 我省5G网络建设提速 (2024-11-04): “全省已建成5G基站8.6万个”" in choice.message.content
    )
    # extra fields survive on the pydantic objects of the client
    citations = completion.model_extra["citations"]  # type: ignore[index]
    assert citations[0]["quote"] == "全省已建成5G基\n站8.6万个"
    assert choice.message.model_extra["citations"] == citations  # type: ignore[index]
    assert completion.usage is not None
    assert completion.usage.completion_tokens == len(choice.message.content)


def test_streaming_concatenates_to_the_full_reply(client: openai.OpenAI) -> None:
    messages = [{"role": "user", "content": FAKE_QUESTION}]
    stream = client.chat.completions.create(model=MODEL_ID, messages=messages, stream=True)
    chunks = list(stream)  # ends cleanly on data: [DONE]
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert len(chunks) > 3  # the reply arrives in several deltas
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    full = client.chat.completions.create(model=MODEL_ID, messages=messages)
    assert text == full.choices[0].message.content


def test_streaming_with_usage(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model=MODEL_ID,
        messages=[{"role": "user", "content": FAKE_UNKNOWN}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.startswith("文章中没有提到。")


def test_raw_stream_ends_with_done(api_server: str) -> None:
    body = {
        "model": MODEL_ID,
        "stream": True,
        "messages": [{"role": "user", "content": FAKE_QUESTION}],
    }
    with httpx.stream("POST", f"{api_server}/v1/chat/completions", json=body) as response:
        lines = [line for line in response.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    assert all(line.startswith("data: ") for line in lines)


def test_errors_reach_the_client_as_api_errors(client: openai.OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        client.chat.completions.create(
            model=MODEL_ID, messages=[{"role": "system", "content": "no question"}]
        )
    assert "no user message" in caught.value.message
