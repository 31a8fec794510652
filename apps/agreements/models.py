# Models arrive with the agreements issue.
