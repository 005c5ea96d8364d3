"""The child's record: the casework section (episodes of support), for the page and the download."""
