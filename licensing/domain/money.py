"""Invoices and payments, pure: invoice numbers, payment references with check digits, an
invoice's standing from what was paid against it.

A payment reference is an ISO 11649 creditor reference ("RF" + two check digits + the
invoice's own digits), the structured reference European and many Kazakh banks' systems
already validate: a mistyped digit fails the check before the money moves."""

from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")
UNPAID, PART_PAID, PAID, OVERPAID = "unpaid", "part_paid", "paid", "overpaid"


def invoice_number(year: int, sequence: int) -> str:
    return f"INV-{year}-{sequence:06d}"


def _as_digits(text: str) -> str:
    """Letters as numbers (A=10 … Z=35), digits as themselves: the ISO 7064 MOD 97-10 input."""
    return "".join(str(int(ch, 36)) for ch in text.upper())


def creditor_reference(base: str) -> str:
    """The ISO 11649 reference for `base` (letters and digits, at most 21): RF, the two check
    digits, then `base`."""
    if not base.isalnum() or not base.isascii() or len(base) > 21:
        raise ValueError("a creditor reference holds 1 to 21 Latin letters and digits")
    check = 98 - int(_as_digits(base.upper() + "RF00")) % 97
    return f"RF{check:02d}{base.upper()}"


def creditor_reference_valid(reference: str) -> bool:
    """Whether `reference` (spaces allowed, any case) is a well-formed ISO 11649 reference."""
    compact = reference.replace(" ", "").upper()
    if not (5 <= len(compact) <= 25 and compact.startswith("RF") and compact.isalnum() and compact.isascii()):
        return False
    return int(_as_digits(compact[4:] + compact[:4])) % 97 == 1


def payment_reference(number: str) -> str:
    """The payment reference of invoice `number` (INV-2026-000123 → RF..2026000123): unique
    because the number is."""
    return creditor_reference("".join(ch for ch in number if ch.isalnum() and not ch.isalpha()))


def kzt(amount_mci: Decimal, mci_kzt: Decimal) -> Decimal:
    return (amount_mci * mci_kzt).quantize(CENT)


@dataclass(frozen=True)
class Standing:
    """Where an invoice stands: paid so far, and the balance (positive: still owed; negative:
    paid over the amount, kept and shown, never absorbed)."""

    amount_kzt: Decimal
    paid_kzt: Decimal

    @property
    def balance_kzt(self) -> Decimal:
        return self.amount_kzt - self.paid_kzt

    @property
    def status(self) -> str:
        if self.paid_kzt <= 0:
            return UNPAID
        if self.paid_kzt < self.amount_kzt:
            return PART_PAID
        return PAID if self.paid_kzt == self.amount_kzt else OVERPAID

    @property
    def settled(self) -> bool:
        return self.paid_kzt >= self.amount_kzt
