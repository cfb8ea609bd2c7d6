"""The chat page in headless Chromium: ask, read the answer, open a citation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FAKE_QUESTION, FAKE_UNKNOWN, FakeService

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-background-networking",
    "--disable-gpu",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (apt-get install chromium)"
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Launch Debian's Chromium once for the module."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, api_server: str) -> Iterator[Any]:
    """Open the chat page; fail the test on any JavaScript error."""
    context = browser.new_context(viewport={"width": 1360, "height": 860}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(api_server + "/")
    yield page
    context.close()
    assert errors == []


def ask(page: Any, question: str) -> Any:
    """Type a question, submit it and return the newest assistant turn once rendered."""
    page.get_by_label("问题 Question").fill(question)
    page.get_by_role("button", name="提问 Ask").click()
    turn = page.locator(".turn.assistant:not(.pending)").last
    turn.wait_for()
    return turn


def test_ask_and_open_a_citation(page: Any, live_fake_service: FakeService) -> None:
    sync_api.expect(page.locator("#status")).to_contain_text("1 版")
    turn = ask(page, FAKE_QUESTION)
    assert turn.locator(".answer strong").inner_text() == "8.6万个"
    assert "2024-10-31" in turn.locator(".date").inner_text()
    citations = turn.locator("button.cite")
    assert citations.count() == 2
    assert "[1]" in citations.first.inner_text()
    assert "我省5G网络建设提速" in citations.first.inner_text()

    citations.first.click()
    mark = page.locator("#viewer-text mark")
    mark.wait_for()
    # the exact raw span, line break included, despite the astral 𠮷 before it
    assert mark.text_content() == "全省已建成5G基\n站8.6万个"
    assert mark.is_visible()
    sync_api.expect(page.locator("#viewer-title")).to_contain_text("[1]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"))

    # a follow-up in the same thread sends the earlier question as history
    ask(page, "那今年6月呢？")
    assert live_fake_service.asked[-1] == ("那今年6月呢？", (FAKE_QUESTION,))
    declined = ask(page, FAKE_UNKNOWN)
    assert "文章中没有提到" in declined.locator(".answer").inner_text()
    assert page.locator(".turn.user").count() == 3

    page.locator(".turn.assistant").first.locator("button.cite").nth(1).click()
    sync_api.expect(mark).to_have_text("全省5G基站为7.9万个")
    page.screenshot(path=str(ARTIFACTS / "chat-thread.png"))


def test_error_is_shown(page: Any) -> None:
    turn = ask(page, "问" * 501)  # the textarea caps input at 500, so this is 500 characters
    assert turn.locator(".answer strong").inner_text() == "8.6万个"
    page.evaluate("document.getElementById('question').removeAttribute('maxlength')")
    turn = ask(page, "问" * 501)
    sync_api.expect(turn.get_by_role("alert")).to_contain_text("limit is 500")


def test_example_and_new_chat(page: Any, live_fake_service: FakeService) -> None:
    page.get_by_role("button", name=FAKE_QUESTION).click()
    page.locator(".turn.assistant:not(.pending)").last.wait_for()
    assert live_fake_service.asked[-1] == (FAKE_QUESTION, ())
    page.get_by_role("button", name="新对话 New chat").click()
    assert page.locator(".turn").count() == 0
    turn = ask(page, FAKE_QUESTION)  # the example is back, and the history is empty again
    assert turn.locator(".answer strong").inner_text() == "8.6万个"
    assert live_fake_service.asked[-1] == (FAKE_QUESTION, ())
