"""Settings kept in the database, so that everyone who shares a database shares the rules."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from dangvien_cli.core.errors import UsageError
from dangvien_cli.core.settings import SETTINGS, Rules, SettingError, normalise_setting, rules_from
from dangvien_cli.db.audit import Stamp
from dangvien_cli.db.models import setting_t


@dataclass(frozen=True)
class SettingRow:
    key: str
    value: str
    default: str
    description: str

    @property
    def is_default(self) -> bool:
        return self.value == self.default


def stored_settings(session: Session) -> dict[str, str]:
    return {str(k): str(v) for k, v in session.execute(select(setting_t.c.key, setting_t.c.value))}


def current_rules(session: Session) -> Rules:
    return rules_from(stored_settings(session))


def list_settings(session: Session) -> list[SettingRow]:
    stored = stored_settings(session)
    return [
        SettingRow(
            key=key,
            value=stored.get(key, spec.default),
            default=spec.default,
            description=spec.description,
        )
        for key, spec in SETTINGS.items()
    ]


def set_setting(session: Session, key: str, value: str, *, stamp: Stamp) -> tuple[str, str]:
    """Store a setting; returns (old, new) canonical values. The change goes to the audit log."""
    try:
        new = normalise_setting(key, value)
    except SettingError as exc:
        raise UsageError(exc.message) from exc
    key = key.strip().lower().replace("-", "_")  # as normalise_setting read it
    spec = SETTINGS[key]
    stored = stored_settings(session)
    old = stored.get(key, spec.default)
    if key in stored:
        session.execute(
            update(setting_t).where(setting_t.c.key == key).values(value=new, updated_at=stamp.now)
        )
    else:
        session.execute(insert(setting_t).values(key=key, value=new, updated_at=stamp.now))
    if old != new:
        stamp.log(
            session,
            action="config",
            entity="setting",
            changes={key: [old, new]},
        )
    return old, new
