"""Repositories of what people did and said: the audit trail, reviews of a run's results, assistant chats (the
stored tables themselves: data/repositories.py)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from data.records import AuditEventRecord, ChatMessageRecord, ReviewRecord, UserRecord


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        *,
        user_id: int | None,
        action: str,
        object_type: str,
        object_id: str | int | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditEventRecord:
        event = AuditEventRecord(
            user_id=user_id,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            details=details or {},
        )
        self.session.add(event)
        self.session.flush()
        return event

    def list(self, limit: int = 200, object_type: str | None = None) -> Sequence[AuditEventRecord]:
        stmt = select(AuditEventRecord).order_by(AuditEventRecord.id.desc()).limit(limit)
        if object_type:
            stmt = stmt.where(AuditEventRecord.object_type == object_type)
        return self.session.scalars(stmt).all()

    def find(self, *, desk: str | None = None, run_id: int | None = None, action: str | None = None,
             object_type: str | None = None, object_id: str | None = None, limit: int | None = 500
             ) -> list[tuple[AuditEventRecord, str]]:
        """Events, newest first, with their user's name ('' for none), filtered in the database: the limit
        counts matching events only. A run's events are those about it (object 'run', its id) or naming it
        (details.run_id); the desk is details.desk."""
        stmt = (select(AuditEventRecord, UserRecord.name)
                .outerjoin(UserRecord, UserRecord.id == AuditEventRecord.user_id)
                .order_by(AuditEventRecord.id.desc()))
        details = AuditEventRecord.details
        if desk is not None:
            stmt = stmt.where(details["desk"].as_string() == desk)
        if run_id is not None:
            stmt = stmt.where(or_(details["run_id"].as_integer() == int(run_id),
                                  and_(AuditEventRecord.object_type == "run",
                                       AuditEventRecord.object_id == str(run_id))))
        for column, value in ((AuditEventRecord.action, action), (AuditEventRecord.object_type, object_type),
                              (AuditEventRecord.object_id, object_id)):
            if value is not None:
                stmt = stmt.where(column == value)
        if limit is not None:
            stmt = stmt.limit(limit)
        return [(event, name or "") for event, name in self.session.execute(stmt).all()]


class ReviewRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: ReviewRecord) -> ReviewRecord:
        self.session.add(record)
        self.session.flush()
        return record

    def list(self, run_id: int) -> Sequence[ReviewRecord]:
        stmt = select(ReviewRecord).where(ReviewRecord.run_id == run_id).order_by(ReviewRecord.id)
        return self.session.scalars(stmt).all()


class ChatRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: ChatMessageRecord) -> ChatMessageRecord:
        self.session.add(record)
        self.session.flush()
        return record

    def get(self, message_id: int) -> ChatMessageRecord | None:
        return self.session.get(ChatMessageRecord, message_id)

    def conversation(self, user_id: int, conversation_id: str, limit: int = 200) -> Sequence[ChatMessageRecord]:
        """The latest ``limit`` messages, oldest first: a long conversation's follow-ups build on its last turn,
        not on the one that happened to be message 200."""
        stmt = (select(ChatMessageRecord)
                .where(ChatMessageRecord.user_id == user_id, ChatMessageRecord.conversation_id == conversation_id)
                .order_by(ChatMessageRecord.id.desc()).limit(limit))
        return list(reversed(self.session.scalars(stmt).all()))

    def conversations(self, user_id: int) -> list[str]:
        stmt = (select(ChatMessageRecord.conversation_id, func.max(ChatMessageRecord.id))
                .where(ChatMessageRecord.user_id == user_id)
                .group_by(ChatMessageRecord.conversation_id).order_by(func.max(ChatMessageRecord.id).desc()))
        return [row[0] for row in self.session.execute(stmt)]
