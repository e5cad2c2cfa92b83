"""Signing issued documents (Decree 30 Appendix I), as pure functions on PDF bytes.

prepare_draft -> sign_personal (the leader) -> fill_number (the clerk) -> sign_agency
(the clerk, with the agency's key); appendices in separate files: sign_agency(appendix=True).
Keys come from routing.keys.
"""

from .fields import fill_number, prepare_draft
from .stamps import sign_agency, sign_personal

__all__ = ["fill_number", "prepare_draft", "sign_agency", "sign_personal"]
