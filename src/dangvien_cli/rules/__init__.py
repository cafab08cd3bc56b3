"""The rules of admission: settings and eligibility, as pure functions of facts and a date."""
