"""What clients need to know beyond the schema's types: example values for the documentation."""

FIELD_EXAMPLES = {
    "Notification.kind": "dataroom.access_approved",
    "Notification.title": "Access to the LUM-101 data room approved",
    "Notification.body": "Shanghai Lumina Biotherapeutics approved your request; the CMC folder is open to you.",
    "Notification.url": "/datarooms/42",
    "Notification.target_type": "datarooms.dataroom",
    "Notification.target_id": "42",
    "Preference.kind": "dataroom.access_approved",
    "Preference.title": "Data-room access approved",
}
