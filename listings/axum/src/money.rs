//! Money in whole cents, so totals add up exactly. Prices arrive as JSON numbers of dollars
//! (24.99) and leave the same way; everything in between is an integer number of cents.

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

    /// Reads an amount of dollars with at most two decimals (24.99), or `None` for anything
    /// else: NaN, infinities, sub-cent fractions, amounts beyond what cents can hold.
    ///
    /// The amount is read as the shortest decimal that parses back to the same `f64`, which
    /// is what the client wrote: `24.99` is 24.99, and `0.30000000000000004` (what
    /// `0.1 + 0.2` serialises to) is a sub-cent fraction, not thirty cents.
    pub fn from_dollars(amount: f64) -> Option<Cents> {
        if !amount.is_finite() {
            return None;
        }
        // Rust's `Display` for f64 is that shortest decimal, never in exponent notation.
        let written = amount.abs().to_string();
        let (whole, fraction) = written.split_once('.').unwrap_or((&written, ""));
        if fraction.len() > 2 || whole.len() > 13 {
            return None;
        }
        let cents = whole.parse::<i64>().ok()? * 100
            + format!("{fraction:0<2}").parse::<i64>().ok()?;
        Some(Cents(if amount < 0.0 { -cents } else { cents }))
    }

    /// The amount in dollars, for JSON (exact for every value `from_dollars` accepts).
    pub fn dollars(self) -> f64 {
        self.0 as f64 / 100.0
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
    fn dollars_with_at_most_two_decimals() {
        assert_eq!(Cents::from_dollars(24.99), Some(Cents(2499)));
        assert_eq!(Cents::from_dollars(0.1 + 0.2), None);
        assert_eq!(Cents::from_dollars(-3.5), Some(Cents(-350)));
        assert_eq!(Cents::from_dollars(1e12), Some(Cents(100_000_000_000_000)));
        assert_eq!(Cents::from_dollars(12.5), Some(Cents(1250)));
        assert_eq!(Cents::from_dollars(24.999), None);
        assert_eq!(Cents::from_dollars(1e-9), None);
        assert_eq!(Cents::from_dollars(1e308), None);
        assert_eq!(Cents::from_dollars(f64::NAN), None);
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
        assert_eq!(Cents(77_47).dollars(), 77.47);
    }
}
