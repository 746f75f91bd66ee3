"""State changes on claims and assessments: the admin, the API and the commands call these.

`grep "def claim_"` and `grep "def assessment_"` list every action. Each one checks the actor's
permission (claims.roles), the workflow rules (claims.workflow), writes in one transaction and
leaves a history record naming who did it.
"""

from .assessments import (
    assessment_approve,
    assessment_propose,
    assessment_record,
    assessment_return,
    assessment_update,
)
from .batches import (
    assessment_batch_approve,
    assessment_batch_reject,
    assessment_batch_upload,
)
from .claims import (
    claim_assign,
    claim_comment,
    claim_create,
    claim_history,
    claim_link_strike,
    claim_reopen,
    claim_unlink_strike,
    claim_update,
)
from .strikes import strike_create, strike_update

__all__ = [
    "assessment_approve",
    "assessment_batch_approve",
    "assessment_batch_reject",
    "assessment_batch_upload",
    "assessment_propose",
    "assessment_record",
    "assessment_return",
    "assessment_update",
    "claim_assign",
    "claim_comment",
    "claim_create",
    "claim_history",
    "claim_link_strike",
    "claim_reopen",
    "claim_unlink_strike",
    "claim_update",
    "strike_create",
    "strike_update",
]
