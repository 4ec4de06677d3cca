"""Groups of respondents: cohort scoring, the wide answers frame, disclosure control, summaries,
tables and their text.  pandas lives here, at the edge."""
