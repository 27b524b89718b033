"""A stand-in for the provincial systems: contract version 1 over its own SQLite file.

A district office can point a kiosk at it to try the push, and the tests have a real peer that
can be told to misbehave (:mod:`kiosk.standin.faults`).
"""
