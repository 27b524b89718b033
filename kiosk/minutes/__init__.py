"""The biên bản kiểm kê (stock-take minutes): its figures from the database
(:mod:`kiosk.minutes.model`), written as an Excel sheet (:mod:`kiosk.minutes.xlsx`) and as a
PDF to print and sign (:mod:`kiosk.minutes.pdf`)."""
