"""Domain services: identify a scan, borrow, return, renew, void, staff, calendar. No Kivy here."""
