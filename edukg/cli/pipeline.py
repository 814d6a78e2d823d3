"""``edukg extract``, ``edukg build``: the main job."""

from __future__ import annotations
