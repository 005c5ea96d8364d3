"""The county snapshot: a council's agencies, practitioners, people and their involvement, loaded as a whole.

It sits above people and agencies (it loads both) and below the web shell.
"""
