from typing import Any

from django.apps import AppConfig

from continuum.govuk.navigation import NavItem


def _reads_history_only(user: Any) -> bool:
    """Administrators read the history of merges and splits (without a child's details); reviewers reach it from
    the queue."""
    from continuum.agencies import access
    from continuum.linkage.selectors import can_read_history

    return can_read_history(user) and not access.can_review_linkage(user)


class LinkageConfig(AppConfig):
    name = "continuum.linkage"
    label = "linkage"
    verbose_name = "Record linkage"
    url_prefix = "linkage/"
    audit_events = {
        "run": "Linked the records of the agency feeds and the people in the platform",
        "model_train": "Trained a record linkage model",
        "review_queue_view": "Read the clerical review queue of record linkage",
        "review_pair_view": "Read a pair of records waiting for clerical review",
        "review_decide": "Decided a pair of records in clerical review",
        "merge": "Merged two identities into one",
        "unmerge": "Undid a merge of two identities",
        "history_view": "Read the merge and split history of record linkage",
        "evaluate": "Measured record linkage against a known truth",
    }

    def navigation(self) -> list[NavItem]:
        from continuum.agencies import access

        return [
            NavItem("Linkage review", "linkage:queue", access.can_review_linkage, order=12),
            NavItem("Merges and splits", "linkage:history", _reads_history_only, order=45),
        ]
