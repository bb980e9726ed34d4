"""The officer's work queue ("Việc cần làm"), computed from the records and the configured legal periods."""


def work_queue(commune):
    return []
