"""The assistant's conversation as stored: one reply, its turns saved and reworded, the state a follow-up builds on,
and the user's conversations listed (moved out of ``services.assistant`` to keep it to the answering)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from data.records import ChatMessageRecord
from services.runtime import Runtime

ALONE = "alone"  # a state key: the answer set figures side by side and no follow-up builds on it


@dataclass(frozen=True)
class Reply:
    question: str
    answer: str
    template: str
    tool: str
    query: str
    rows: list[dict[str, Any]]
    dataset: str | None = None
    cannot: bool = False
    llm_used: bool = False
    invented: tuple[str, ...] = ()
    conversation_id: str = ""
    state: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        """What ``assistant ask --json`` prints: exactly these four keys."""
        return {"answer": self.answer, "tool": self.tool, "query": self.query, "rows": self.rows}


def previous_state(runtime: Runtime, user: str, conversation_id: str | None) -> dict[str, Any]:
    if not conversation_id:
        return {}
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        turns = uow.chat.conversation(owner.id, conversation_id)
        uow.commit()
        for turn in reversed(turns):
            if turn.role == "assistant" and ((turn.details or {}).get("question") or (turn.details or {}).get(ALONE)):
                return dict(turn.details)
            if turn.role == "assistant" and (turn.details or {}).get("fresh"):
                return {}  # the conversation started afresh here (--new): nothing before it is built on
    return {}


def save_turn(runtime: Runtime, *, user: str, reply: Reply) -> int:
    """The question and its answer stored in the conversation; returns the answer's message id (``reword_turn``)."""
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        uow.chat.add(ChatMessageRecord(user_id=owner.id, conversation_id=reply.conversation_id, role="user",
                                       content=reply.question))
        stored = uow.chat.add(ChatMessageRecord(user_id=owner.id, conversation_id=reply.conversation_id,
                                                role="assistant", content=reply.answer, tool=reply.tool,
                                                query=reply.query, rows=reply.rows,
                                                details={**reply.state, "template": reply.template,
                                                         "cannot": reply.cannot, "llm_used": reply.llm_used}))
        uow.commit()
        return stored.id


def reword_turn(runtime: Runtime, message_id: int, reply: Reply) -> None:
    """A stored answer's words replaced by the model's checked phrasing (``finalize``). The page stores the checked
    answer first and phrases it after: a question sent while the model was loading had restarted the page and lost
    the turns before it, which were stored only once phrased."""
    with runtime.uow() as uow:
        message = uow.chat.get(message_id)
        if message is not None and message.role == "assistant":
            message.content = reply.answer
            message.details = {**(message.details or {}), "llm_used": reply.llm_used}
        uow.commit()


def history(runtime: Runtime, *, user: str, conversation_id: str) -> list[dict[str, Any]]:
    """The stored turns of one conversation, oldest first, as plain dicts for the page."""
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        turns = uow.chat.conversation(owner.id, conversation_id)
        uow.commit()
        return [{"role": t.role, "content": t.content, "tool": t.tool, "query": t.query, "rows": t.rows or []}
                for t in turns]


def latest_conversation(runtime: Runtime, *, user: str) -> str:
    """The user's most recent conversation, or a new id."""
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        found = uow.chat.conversations(owner.id)
        uow.commit()
    return found[0] if found else new_conversation()


def new_conversation() -> str:
    return uuid.uuid4().hex
