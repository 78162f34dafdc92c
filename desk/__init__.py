"""The department's desk: work queues, job-fair imports, targets, the dashboard and its reports."""
