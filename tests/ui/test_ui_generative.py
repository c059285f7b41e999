"""Generative answers in the chat, in a real browser: the app runs with
ASSISTANT_LLM_BASE_URL pointing at a scripted OpenAI-compatible endpoint on
loopback (the real-model checks are in tests/test_generation.py). Verified
sentences appear while the model is still writing, unsupported ones never
appear, and a fallback shows the extractive answer with its notice."""

import re

import pytest

pytestmark = [pytest.mark.ui, pytest.mark.llm]

DELETION = "Which states called for deleting Article 35(3)?"
GOOD = "Egypt, Saudi Arabia, Iran, Iraq, Mauritania and Oman called for the deletion of Article 35(3)"


def passage_with(request: dict, needle: str) -> int:
    """The number of the evidence passage whose quote holds `needle`, as the prompt numbers them."""
    user = request["messages"][-1]["content"]
    for number, quote in re.findall(r"^\[(\d+)\][^\n]*\n<<<(.*?)>>>", user, re.M | re.S):
        if needle in quote:
            return int(number)
    raise AssertionError(f"no passage holds {needle!r}:\n{user}")


def bot_texts_while_answering(page) -> None:
    page.evaluate("""() => { window.__seen = [];
        new MutationObserver(() => { const b = [...document.querySelectorAll('#chat [data-testid=bot]')].pop();
                                     if (b) window.__seen.push(b.innerText); })
          .observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true}); }""")


def test_verified_sentences_stream_in_and_unsupported_ones_never_show(gen_app, scripted_model):
    def reply(request):
        n = passage_with(request, "Oman")
        return [GOOD[:40], GOOD[40:] + f" [{n}].", " France opposed the whole convention [1].",
                f" Saudi Arabia and Oman called for deleting Article 35(3) altogether [{n}]."]

    scripted_model.reply = reply
    page = gen_app.page
    bot_texts_while_answering(page)
    bubble = gen_app.ask(DELETION, 1)
    final = bubble.inner_text()
    seen = page.evaluate("window.__seen")
    # the first verified sentence was on screen, without the second, before the answer was final
    assert any("called for the deletion of Article 35(3)" in t and "altogether" not in t for t in seen), seen
    assert "Saudi Arabia and Oman called for deleting Article 35(3) altogether" in final
    assert "France" not in final and not any("France" in t for t in seen)
    assert "Written by a language model" in final
    assert "1 of 3 generated sentences were left out" in final
    sources = page.inner_text("#sources")
    assert "Oman" in sources
    gen_app.screenshot("ui_generative_answer.png")


def test_a_fallback_shows_the_extractive_answer_and_says_why(gen_app, scripted_model):
    scripted_model.reply = lambda request: ["France supported Article 24 [1]."]
    bubble = gen_app.ask(DELETION, 1)
    final = bubble.inner_text()
    assert "France" not in final
    assert "Generated answer not used" in final and "Written by a language model" not in final
    assert re.search(r"\bOman\b", final) and "[1]" in final
    gen_app.screenshot("ui_generative_fallback.png")
