"""Write a 311-like service request log: ``generate_requests.py FILE ROWS [--seed S]``.

The columns of a city portal's 311 extract (Unique Key, Created Date as ``MM/DD/YYYY hh:mm:ss
AM``, Agency, Complaint Type, Descriptor, Incident Address, ...), with free-text descriptions
that hold quoted commas, doubled quotes and newlines, and made-up residents' names and
addresses: about 300 bytes a row, 300 MB for a million. The same seed writes the same file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

COMPLAINTS = [
    ("HEAT/HOT WATER", "HPD"), ("Illegal Lockout", "HPD"), ("Eviction", "HPD"), ("Mold", "HPD"),
    ("PLUMBING", "HPD"), ("WATER LEAK", "HPD"), ("PAINT/PLASTER", "HPD"), ("Pest Control", "DOHMH"),
    ("Noise - Residential", "NYPD"), ("Noise - Street/Sidewalk", "NYPD"), ("Illegal Parking", "NYPD"),
    ("Blocked Driveway", "NYPD"), ("Street Light Condition", "DOT"), ("Street Condition", "DOT"),
    ("Sidewalk Condition", "DOT"), ("Missed Collection", "DSNY"), ("Dirty Condition", "DSNY"),
    ("Graffiti", "DSNY"), ("Water System", "DEP"), ("Sewer", "DEP"), ("Tree Damage", "DPR"),
    ("Rodent", "DOHMH"), ("Food Establishment", "DOHMH"), ("Building/Use", "DOB"),
    ("General Construction/Plumbing", "DOB"), ("Elevator", "DOB"), ("Homeless Person Assistance", "DHS"),
    ("Abandoned Vehicle", "NYPD"), ("Consumer Complaint", "DCWP"), ("Taxi Complaint", "TLC"),
]
WEIGHTS = [9, 2, 1, 2, 6, 3, 3, 2, 10, 5, 8, 6, 3, 3, 2, 4, 3, 2, 2, 2, 2, 3, 1, 2, 2, 1, 2, 2, 1, 1]
_TEXT = ("no heat in apartment since monday landlord says it is fixed but still cold water leaking "
         "from ceiling mold in the bathroom tenant was locked out neighbors loud music every night "
         "car blocking the driveway again street light out at the corner trash not picked up")
WORDS = _TEXT.split(" ")
FIRST = ["Maria", "James", "Aisha", "Wei", "Carlos", "Fatima", "John", "Olga", "Kwame", "Priya"]
LAST = ["Ortega", "Smith", "Khan", "Chen", "Diaz", "Haddad", "Brown", "Ivanova", "Mensah", "Patel"]
STREETS = ["Elm St", "Oak Ave", "Main St", "Pine Rd", "River Blvd", "Cedar Ln", "Hill St", "Park Ave"]
HEADER = ["Unique Key", "Created Date", "Closed Date", "Agency", "Complaint Type", "Descriptor",
          "Resident Name", "Incident Address", "Incident Zip", "City", "Status", "Borough",
          "Latitude", "Longitude"]


def description(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 24))
    text = " ".join(words)
    if rng.random() < 0.5:
        text = text.replace(" ", ", ", 1)  # a quoted comma
    if rng.random() < 0.1:
        text += ' and she said "call back", twice'  # doubled quotes
    if rng.random() < 0.05:
        text += "\nsecond line of the note"  # a newline inside a field
    return text


def rows(count: int, seed: int) -> object:
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1)
    for key in range(count):
        created = start + dt.timedelta(seconds=key * 31_536_000 // max(count, 1) + rng.randint(0, 59))
        closed = created + dt.timedelta(hours=rng.randint(1, 400))
        complaint, agency = rng.choices(COMPLAINTS, weights=WEIGHTS)[0]
        yield [
            50_000_000 + key, created.strftime("%m/%d/%Y %I:%M:%S %p"), closed.strftime("%m/%d/%Y %I:%M:%S %p"),
            agency, complaint, description(rng), f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            f"{rng.randint(1, 9999)} {rng.choice(STREETS)}, Apt {rng.randint(1, 40)}",
            f"{rng.randint(10001, 10499)}", "RIVERTON", rng.choice(["Closed", "Open", "In Progress"]),
            rng.choice(["NORTHSIDE", "EASTSIDE", "DOWNTOWN", "WESTSIDE"]),
            f"{40.5 + rng.random() / 2:.6f}", f"{-74.2 + rng.random() / 2:.6f}",
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("rows", type=int)
    parser.add_argument("--seed", type=int, default=311)
    args = parser.parse_args()
    with args.file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(args.rows, args.seed))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
