"""An example meter maker's card format, as a counter meter profile (see profile.py)."""

from counter_sample_profile.profile import SampleProfile

__all__ = ["SampleProfile"]
