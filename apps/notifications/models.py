# Models arrive with the notifications issue (outbox, notification, preference).
