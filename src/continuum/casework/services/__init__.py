"""Writing casework. Other modules use only what is exported here."""
