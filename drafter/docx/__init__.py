"""Word (.docx) support: reader.py (→ Report), writer.py (GB/T 9704), comments.py, fix.py;
the raw WordprocessingML lives only in the oxml/ package."""
