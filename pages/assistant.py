"""Assistant: chat about your datasets, runs and the app; every answer shows the query and rows behind it."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import components
from services import assistant, datasets
from services.errors import UserFacingError
from settings import get_settings

components.app_frame()  # opened by its address first: app.py's navigation, not the folder's
runtime = components.get_runtime()
user = components.current_user()


@st.cache_resource(show_spinner="Loading the language model…")
def get_llm():
    """The configured model, once per process; None when it cannot be loaded (answers stay templates)."""
    from ml.device import select_device
    from ml.llm import LLMUnavailableError, build_llm

    settings = get_settings()
    try:
        return build_llm(backend=settings.llm_backend, cache_dir=runtime.state_dir / "llm-cache",
                         device=select_device(runtime.device), model_dir=settings.llm_model_dir,
                         endpoint=settings.llm_endpoint, model=settings.llm_model, api_key=settings.llm_api_key)
    except (LLMUnavailableError, OSError, ValueError):
        return None


@st.cache_resource(show_spinner=False)
def get_embedder():
    from ml.embeddings import LazyEmbedder

    return LazyEmbedder()


def words(text: str):
    """The checked template answer, streamed word by word like a model reply."""
    for word in text.split(" "):
        yield word + " "


def show_data(query: str, rows: list[dict], *, key: str) -> None:
    if not query and not rows:
        return
    with st.expander("Show the data"):
        if query:
            st.code(query, language="sql")
        st.caption(assistant.rows_returned(len(rows)))
        if rows:
            st.dataframe(pd.DataFrame(assistant.rows_shown(rows)), hide_index=True, width="stretch", key=key,
                         placeholder=components.EMPTY)


st.title("Assistant")
st.caption("Ask about your datasets, your runs and the app. Numbers come only from the data; "
           "open “Show the data” under an answer to see the exact query and rows.")

stored = datasets.list_datasets(runtime)
names = ["(best match)"] + [d.name for d in stored]
left, middle, right = st.columns([3, 2, 1])
chosen = left.selectbox("Dataset", names, key="assistant.dataset")
phrase = middle.toggle("Let the language model phrase answers", value=True, key="assistant.llm")
if "assistant.conversation" not in st.session_state:
    st.session_state["assistant.conversation"] = assistant.latest_conversation(runtime, user=user)
if right.button("New chat", key="assistant.new"):
    st.session_state["assistant.conversation"] = assistant.new_conversation()
conversation = st.session_state["assistant.conversation"]

for i, turn in enumerate(assistant.history(runtime, user=user, conversation_id=conversation)):
    with st.chat_message(turn["role"]):
        st.markdown(turn["content"])
        if turn["role"] == "assistant":
            show_data(turn["query"] or "", turn["rows"], key=f"assistant.rows.{i}")

question = st.chat_input("Ask a question, e.g. “total sales in 2017 for store 1”", key="assistant.ask")
if question:
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        try:
            with st.spinner("Looking it up…"):
                reply = assistant.answer(runtime, question, user=user, conversation_id=conversation,
                                         dataset=None if chosen == names[0] else chosen, embedder=get_embedder(),
                                         save=False)
        except UserFacingError as exc:
            st.error(str(exc))
            st.stop()
        stored = assistant.save_turn(runtime, user=user, reply=reply)  # kept if the next question restarts the page
        llm = get_llm() if phrase and not reply.cannot else None
        if llm is not None:  # checked before it is shown: a wording with a wrong figure had flashed up, then gone
            with st.spinner("Phrasing the answer…"):
                try:
                    reply = assistant.finalize(reply, "".join(map(str, assistant.stream_phrasing(reply, llm))))
                except Exception:  # noqa: BLE001 - a model or endpoint that fails mid-answer: the checked answer stands
                    pass
            if reply.llm_used:
                assistant.reword_turn(runtime, stored, reply)
        st.write_stream(words(reply.answer))
        if llm is not None and not reply.llm_used and not st.session_state.get("assistant.set_aside_said"):
            st.session_state["assistant.set_aside_said"] = True  # once a session: it had stood under every answer
            st.caption("Shown: the checked answer. The language model's wording was set aside because it changed, "
                       "added or dropped a figure or a name, or was cut short; later answers are checked the same "
                       "way without this note.")
        show_data(reply.query, reply.rows, key="assistant.rows.new")
