"""Reading report files into Report records (text, structure, offsets)."""
