"""Assistant in a real browser: type a question, read the answer, open the data behind it.

The session server loads the bundled samples, so `store_item_sales` is there. The LLM toggle is
switched off first: the journey checks the grounded answer, not the embedded model's wording.
The dataset is left on "(best match)": the question names `store` and `sales`.
Selectors for the chat widgets live here (harness.py is shared; see the report).
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.harness import open_app, wait_for_app

CHAT_INPUT = '[data-testid="stChatInputTextArea"]'
EXPANDER = '[data-testid="stExpander"]'


def test_ask_a_question_and_see_the_rows(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/assistant")
    page.get_by_text("Let the language model phrase answers").click()
    wait_for_app(page)
    box = page.locator(CHAT_INPUT)
    box.fill("what is the total sales for store 2 in 2017?")
    box.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"The total of sales where store = 2 and date from 2017-01-01 to "
                                       r"2017-12-31 is [\d,]+\."))).to_be_visible(timeout=60_000)
    expander = page.locator(EXPANDER).last
    expander.get_by_text("Show the data").click()
    expect(expander.get_by_text("1 row returned")).to_be_visible()
    expect(expander.get_by_text(re.compile(r'WHERE "store" = 2'))).to_be_visible()
