# Models arrive with the data-room issue.
