"""Which meter profiles this installation knows: the reference (built in, the default) and every
profile a package registers under the entry-point group `counter.meter_profiles`
(docs/hardware.md "Meter profiles").

A profile is chosen per meter model, and the model is the profile's `name` (it is recorded on the
account, `Account.meter_model`). The entry point's name must equal the class's `name`, so the name
stored in the database always finds the same class.
"""

from __future__ import annotations

import importlib
import logging
from importlib.metadata import EntryPoint, entry_points

from base.errors import InputInvalid
from hardware.profile import MeterProfile, ReferenceProfile

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "counter.meter_profiles"
DEFAULT_PROFILE = ReferenceProfile.name


def profile_names() -> list[str]:
    """Every known meter model: the reference first, then the registered ones by name."""
    return _names(_registered())


def _names(registered: dict[str, EntryPoint]) -> list[str]:
    return [DEFAULT_PROFILE, *sorted(set(registered) - {DEFAULT_PROFILE})]


def _registered() -> dict[str, EntryPoint]:
    """The registered profiles by entry-point name (the first of a name, as the installed packages
    list them). Asked once per question: each call reads the metadata of every installed package."""
    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, ep)
    return found


def load_profile(name: str | None = None) -> MeterProfile:
    """The profile for meter model `name` (None: the default). INPUT_INVALID for an unknown name."""
    name = name or DEFAULT_PROFILE
    if name == DEFAULT_PROFILE:
        # Built in, so the default works even where the package metadata was not reinstalled.
        return ReferenceProfile()
    return _load_registered(name, _registered())


def _load_registered(name: str, registered: dict[str, EntryPoint]) -> MeterProfile:
    if name not in registered:
        known = _names(registered)
        raise InputInvalid(
            f"未知的电表型号：{name}（已知：{'、'.join(known)}）",
            detail_en=f"unknown meter model {name!r}; known: {', '.join(known)}",
            field="meter_model",
            data={"meter_model": name, "known": known},
        )
    return _instance(registered[name].load(), name)


def load_profile_spec(spec: str) -> MeterProfile:
    """A profile class named as `MODULE:CLASS` (the profile check loads one not yet registered)."""
    module_name, _, class_name = spec.partition(":")
    if not module_name or not class_name:
        raise ValueError(f"expected MODULE:CLASS, got {spec!r}")
    cls = getattr(importlib.import_module(module_name), class_name)
    return _instance(cls, None)


def known_profiles() -> list[MeterProfile]:
    """One instance of every known profile, in the order a card's format is tried (reference first).
    A registered profile that fails to load is logged and left out: the counter still opens, and an
    account of that model is refused with INPUT_INVALID (unknown meter model) at its card writes."""
    profiles: list[MeterProfile] = [ReferenceProfile()]
    registered = _registered()  # one read of the installed packages' metadata for all of them
    for name in _names(registered)[1:]:
        try:
            profiles.append(_load_registered(name, registered))
        except Exception:  # a broken plug-in must not stop the counter for the other models
            log.exception("meter profile %r could not be loaded", name)
    return profiles


def _instance(cls: object, name: str | None) -> MeterProfile:
    if not (isinstance(cls, type) and issubclass(cls, MeterProfile)):
        raise TypeError(f"{cls!r} is not a MeterProfile subclass")
    profile = cls()
    if name is not None and profile.name != name:
        raise TypeError(f"entry point {name!r} names a profile called {profile.name!r}")
    return profile
