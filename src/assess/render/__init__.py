"""Take-aways a person keeps: Markdown, HTML, the calendar file and the JSON document."""
