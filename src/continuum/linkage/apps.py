from django.apps import AppConfig


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
