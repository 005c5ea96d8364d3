"""Outcome analytics in plain Python (no Django): scoring measures and the statistics of change.

Usable from a notebook as it is from the service: `sdq` (the Strengths and Difficulties Questionnaire,
scored to its published rules, one response or a whole table), `change` (reliable change, goal-based
outcomes, a programme's change on a measure), `indices` (a programme's own index, defined as data).
"""
