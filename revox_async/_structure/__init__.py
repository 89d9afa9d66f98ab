"""JSON to models and back: field facts, the generated fast path and the cattrs converter.

``base`` holds the types models are written with; ``fields`` what is known of each model class;
``fast`` the generated function per class; ``converter`` the cattrs converter and its rules;
``timestamps`` the timestamp text rules; ``drift`` the reports of fields and values it does not
know.
"""
