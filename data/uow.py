"""Unit of work (cosmicpython): one session per user action, rolled back unless commit() is called."""
from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from data.repositories import (
    AuditRepository,
    ChatRepository,
    DatasetRepository,
    JobRepository,
    PredictionRepository,
    ReportRepository,
    ReviewRepository,
    RunRepository,
    UserRepository,
)


class UnitOfWork:
    users: UserRepository
    datasets: DatasetRepository
    runs: RunRepository
    jobs: JobRepository
    predictions: PredictionRepository
    reports: ReportRepository
    audit: AuditRepository
    reviews: ReviewRepository
    chat: ChatRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self.session: Session | None = None
        self.committed = False

    def __enter__(self) -> "UnitOfWork":
        self.session = self._session_factory()
        self.committed = False
        self.users = UserRepository(self.session)
        self.datasets = DatasetRepository(self.session)
        self.runs = RunRepository(self.session)
        self.jobs = JobRepository(self.session)
        self.predictions = PredictionRepository(self.session)
        self.reports = ReportRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.reviews = ReviewRepository(self.session)
        self.chat = ChatRepository(self.session)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self.session is not None
        try:
            self.session.rollback()
        finally:
            self.session.close()
            self.session = None

    def commit(self) -> None:
        assert self.session is not None, "use the unit of work as a context manager"
        self.session.commit()
        self.committed = True

    def rollback(self) -> None:
        assert self.session is not None
        self.session.rollback()
