//! Money in whole cents, so totals add up exactly. Amounts arrive and leave as decimal
//! strings ("24.99"), never as JSON numbers; in between, and in the task context, they are
//! integer numbers of cents.

use std::fmt;

pub const TAX_RATE_PERCENT: i64 = 8;
/// Orders from this subtotal ship free; below it shipping costs FLAT_SHIPPING.
pub const FREE_SHIPPING_FROM: Cents = Cents(100_00);
pub const FLAT_SHIPPING: Cents = Cents(9_99);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Cents(i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    pub const fn new(cents: i64) -> Cents {
        Cents(cents)
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// Reads an amount written as a decimal string, up to six digits and at most two
    /// decimals ("24.99", "7", "0.5"); `None` for anything else: signs, exponents, spaces,
    /// sub-cent digits. Amounts never travel as JSON numbers, which readers take as binary
    /// floats.
    pub fn parse(text: &str) -> Option<Cents> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits =
            |s: &str, max: usize| s.len() <= max && s.bytes().all(|b| b.is_ascii_digit());
        let fraction_ok = !text.contains('.') || !fraction.is_empty();
        if whole.is_empty() || !digits(whole, 6) || !digits(fraction, 2) || !fraction_ok {
            return None;
        }
        let cents = whole.parse::<i64>().ok()? * 100
            + format!("{fraction:0<2}").parse::<i64>().ok()?;
        Some(Cents(cents))
    }

    pub fn checked_mul(self, n: u64) -> Option<Cents> {
        i64::try_from(n)
            .ok()
            .and_then(|n| self.0.checked_mul(n))
            .map(Cents)
    }

    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }

    /// `p` percent, rounded half away from zero, as a till would.
    pub fn percent(self, p: i64) -> Cents {
        Cents((self.0 * p + 50) / 100)
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

pub fn shipping_for(subtotal: Cents) -> Cents {
    if subtotal >= FREE_SHIPPING_FROM {
        Cents::ZERO
    } else {
        FLAT_SHIPPING
    }
}

/// What an order costs. Callers bound the subtotal (validation's limits), so the tax and
/// shipping added to it cannot overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub subtotal: Cents,
    pub tax: Cents,
    pub shipping: Cents,
    pub total: Cents,
}

impl Totals {
    pub fn for_subtotal(subtotal: Cents) -> Totals {
        let tax = subtotal.percent(TAX_RATE_PERCENT);
        let shipping = shipping_for(subtotal);
        Totals {
            subtotal,
            tax,
            shipping,
            total: Cents(subtotal.0 + tax.0 + shipping.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_decimal_strings_of_whole_cents() {
        for (text, cents) in [
            ("24.99", 2499),
            ("12.5", 1250),
            ("7", 700),
            ("0.01", 1),
            ("100000.00", 100_000_00),
        ] {
            assert_eq!(Cents::parse(text), Some(Cents(cents)), "{text}");
        }
        for text in [
            "", ".", "1.", ".5", "-1", "+1", "1e3", " 1", "1 ", "24.999", "1,00",
            "1000000", "\u{663}",
        ] {
            assert_eq!(Cents::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn totals_in_cents() {
        let t = Totals::for_subtotal(Cents(62_48));
        assert_eq!(
            (t.tax, t.shipping, t.total),
            (Cents(5_00), Cents(9_99), Cents(77_47))
        );
        assert_eq!(Totals::for_subtotal(Cents(100_00)).shipping, Cents::ZERO);
        assert_eq!(Cents(77_47).to_string(), "77.47");
        assert_eq!(Cents(24_00).to_string(), "24.00");
    }
}
