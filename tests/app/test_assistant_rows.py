"""AppTest: the rows under an answer are rounded as the answer is ("The average of sales … is 33.33" stood above
33.333333333333336)."""
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
SALES = pd.DataFrame({"store": [1, 1, 1, 2], "sales": [10, 20, 70, 50]})


def test_rows_behind_an_answer_are_rounded_like_it(app_env, monkeypatch):
    from pages import components
    from services import datasets
    import ml.embeddings
    import ml.llm

    datasets.import_dataset(components.get_runtime(), SALES.to_csv(index=False).encode(), filename="shop.csv",
                            name="shop", user="analyst")
    monkeypatch.setattr(ml.llm, "build_llm", lambda **_: None)
    monkeypatch.setattr(ml.embeddings, "LazyEmbedder", lambda *a, **k: None)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("pages/assistant.py")
    at.run()
    at.chat_input(key="assistant.ask").set_value("what is the average sales for store 1?").run()
    assert not at.exception, at.exception
    assert "is 33.33." in "\n".join(str(m.value) for m in at.markdown)
    assert at.expander[-1].dataframe[0].value.iloc[0, 0] == 33.33  # it was 33.333333333333336
