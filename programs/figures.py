"""Small value objects shared by the computations and the stored status (no queries here):
an adherence figure and a reason for the therapist's attention."""

from dataclasses import dataclass
from datetime import datetime

from programs.choices import ATTENTION_ORDER, AttentionKind

ADHERENT_FROM = 0.8  # 80% of scheduled sessions, the figure trials use


@dataclass(frozen=True)
class Adherence:
    days: int
    completed: int
    scheduled: int

    @property
    def percent(self) -> int | None:
        if not self.scheduled:
            return None
        return round(100 * min(self.completed, self.scheduled) / self.scheduled)

    @property
    def is_adherent(self) -> bool:
        return self.scheduled > 0 and self.completed / self.scheduled >= ADHERENT_FROM


@dataclass(frozen=True)
class Reason:
    kind: str
    evidence: str
    raised_at: datetime  # the newest data behind it: a review after this hides it
    program_id: int | None = None

    @property
    def label(self) -> str:
        return AttentionKind(self.kind).label

    @property
    def rank(self) -> int:
        return ATTENTION_ORDER[self.kind]

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "evidence": self.evidence,
            "raised_at": self.raised_at.isoformat(),
            "program_id": self.program_id,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Reason":
        return cls(
            kind=data["kind"],
            evidence=data["evidence"],
            raised_at=datetime.fromisoformat(data["raised_at"]),
            program_id=data.get("program_id"),
        )
